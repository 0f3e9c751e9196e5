using Xunit;

namespace Purview.Web.Tests;

[Collection(DashboardCollection.Name)]
public sealed class LineagePageTests(DashboardFixture dashboard)
{
    [BrowserFact]
    public async Task The_graph_holds_the_entities_the_API_returns_and_the_depth_changes_them()
    {
        var page = await dashboard.SignedInPageAsync();
        await page.GotoAsync("/#/lineage");
        await page.ReadyAsync("lineage");
        // Found by type and qualified name: the page computes the data map's name-based GUID.
        await page.FillAsync("#l-type", "azure_sql_table");
        await page.FillAsync("#l-qn", dashboard.Demo.LineageAssetName);
        await page.SelectOptionAsync("[data-testid=lineage-depth]", "1");
        await page.ClickAsync("[data-testid=lineage-form] button[type=submit]");
        await page.WaitForURLAsync($"**guid={dashboard.Demo.LineageGuid}**");
        await page.ReadyAsync("lineage");
        var shallow = await dashboard.GetJsonAsync($"/datamap/api/atlas/v2/lineage/{dashboard.Demo.LineageGuid}?direction=BOTH&depth=1");
        Assert.Equal(shallow.GetProperty("guidEntityMap").EnumerateObject().Count(), await page.Locator("[data-testid=lineage-graph] a[data-guid]").CountAsync());

        await page.SelectOptionAsync("[data-testid=lineage-depth]", "4");
        await page.ClickAsync("[data-testid=lineage-form] button[type=submit]");
        await page.WaitForURLAsync("**depth=4**");
        await page.ReadyAsync("lineage");
        var deep = await dashboard.GetJsonAsync($"/datamap/api/atlas/v2/lineage/{dashboard.Demo.LineageGuid}?direction=BOTH&depth=4");
        var deepCount = deep.GetProperty("guidEntityMap").EnumerateObject().Count();
        Assert.True(deepCount > shallow.GetProperty("guidEntityMap").EnumerateObject().Count());
        Assert.Equal(deepCount, await page.Locator("[data-testid=lineage-graph] a[data-guid]").CountAsync());
        await page.ScreenshotAsync("lineage");

        // Keyboard: a node is a link; Enter centres the graph on it.
        var other = page.Locator($"[data-testid=lineage-graph] a[data-guid]:not([data-guid='{dashboard.Demo.LineageGuid}'])").First;
        var guid = await other.GetAttributeAsync("data-guid");
        await other.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**guid={guid}**");
        await page.ReadyAsync("lineage");
    }
}
