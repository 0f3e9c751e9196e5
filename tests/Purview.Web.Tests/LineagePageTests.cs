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
        Assert.Equal(shallow.GetProperty("guidEntityMap").EnumerateObject().Count(), await EntitiesDrawnAsync(page));

        await page.SelectOptionAsync("[data-testid=lineage-depth]", "4");
        await page.ClickAsync("[data-testid=lineage-form] button[type=submit]");
        await page.WaitForURLAsync("**depth=4**");
        await page.ReadyAsync("lineage");
        var deep = await dashboard.GetJsonAsync($"/datamap/api/atlas/v2/lineage/{dashboard.Demo.LineageGuid}?direction=BOTH&depth=4");
        var deepCount = deep.GetProperty("guidEntityMap").EnumerateObject().Count();
        Assert.True(deepCount > shallow.GetProperty("guidEntityMap").EnumerateObject().Count());
        Assert.Equal(deepCount, await EntitiesDrawnAsync(page));
        // 21 days of a daily partitioned copy: one resource set and one process, not one of each per run.
        var nodes = await page.Locator("[data-testid=lineage-graph] a[data-guid]").CountAsync();
        Assert.True(nodes <= 12, $"{nodes} nodes at depth 4");
        var process = deep.GetProperty("guidEntityMap").EnumerateObject().Single(e => e.Value.GetProperty("displayText").GetString() == "copy_revenue" && e.Value.GetProperty("typeName").GetString() == "adf_copy_operation").Value;
        var runs = process.GetProperty("attributes").GetProperty("runCount").GetInt64();
        Assert.True(runs >= 10, $"{runs} runs");
        Assert.Contains($"{runs} runs, last ", await page.Locator($"[data-testid=lineage-graph] a[data-guid='{process.GetProperty("guid").GetString()}']").TextContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync("lineage");

        // Keyboard: a node is a link; Enter centres the graph on it.
        var other = page.Locator($"[data-testid=lineage-graph] a[data-guid]:not([data-guid='{dashboard.Demo.LineageGuid}'])").First;
        var guid = await other.GetAttributeAsync("data-guid");
        await other.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync($"**guid={guid}**");
        await page.ReadyAsync("lineage");
    }

    /// <summary>The entities the graph stands for: each node is one entity or a group of alike ones.</summary>
    private static async Task<int> EntitiesDrawnAsync(Microsoft.Playwright.IPage page) =>
        (await page.Locator("[data-testid=lineage-graph] a[data-guid]").EvaluateAllAsync<int[]>("nodes => nodes.map(n => Number(n.getAttribute('data-members')))")).Sum();
}
