using System.Net.Http.Json;
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

    [BrowserFact]
    public async Task Entities_that_still_repeat_are_drawn_as_one_group_that_lists_its_members()
    {
        // Three runs writing distinct files of one name (not partition-like, so not rolled up): three sinks and three
        // operations, all alike - as data pushed before roll-up looks.
        var source = "mssql://legacy.database.windows.net/db/dbo/legacy_source";
        var sinks = new[] { "alpha", "beta", "gamma" }.Select(f => $"https://legacy.blob.core.windows.net/out/{f}/data.csv").ToList();
        for (var i = 0; i < sinks.Count; i++)
        {
            var start = DateTimeOffset.UtcNow.AddHours(-3).AddMinutes(i);
            using var response = await dashboard.Api.PostAsJsonAsync(new Uri("/links/AzureDataFactory/contoso-adf/activityruns", UriKind.Relative), new
            {
                pipelineName = "legacy_export", activityName = "copy_legacy", activityType = "Copy", activityRunId = $"legacy-{i}-{Guid.NewGuid():N}", pipelineRunId = $"p-legacy-{i}",
                status = "Succeeded", start, end = start.AddMinutes(1),
                inputs = new[] { new { qualifiedName = source, type = "azure_sql_table", name = "legacy_source" } },
                outputs = new[] { new { qualifiedName = sinks[i], type = "azure_blob_path", name = "data.csv" } },
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var guid = Purview.Core.DataMap.DataMapIds.EntityGuid("azure_sql_table", source);
        var page = await dashboard.SignedInPageAsync();
        await page.GotoAsync($"/#/lineage?guid={guid}&depth=2&direction=OUTPUT");
        await page.ReadyAsync("lineage");
        var api = await dashboard.GetJsonAsync($"/datamap/api/atlas/v2/lineage/{guid}?direction=OUTPUT&depth=2");
        // The source, 3 operations, 3 files, and the containers: factory, pipeline, activity.
        Assert.Equal(10, api.GetProperty("guidEntityMap").EnumerateObject().Count());
        Assert.Equal(10, await EntitiesDrawnAsync(page));
        var groups = page.Locator("[data-testid=lineage-graph] a[data-members='3']");
        Assert.Equal(2, await groups.CountAsync());
        Assert.Equal(6, await page.Locator("[data-testid=lineage-graph] a[data-guid]").CountAsync());
        Assert.Contains("3 alike, grouped", await groups.First.TextContentAsync(), StringComparison.Ordinal);

        // Each group lists its members by qualified name, one keypress away.
        var files = page.Locator("[data-testid=lineage-hops] li", new() { HasText = "data.csv (azure_blob_path)" }).Locator("details");
        await files.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(sinks, (await files.Locator("ul a").AllInnerTextsAsync()).Select(t => t.Trim()).Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>The entities the graph stands for: each node is one entity or a group of alike ones.</summary>
    private static async Task<int> EntitiesDrawnAsync(Microsoft.Playwright.IPage page) =>
        (await page.Locator("[data-testid=lineage-graph] a[data-guid]").EvaluateAllAsync<int[]>("nodes => nodes.map(n => Number(n.getAttribute('data-members')))")).Sum();
}
