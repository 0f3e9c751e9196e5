using System.Text.Json;
using Xunit;

namespace Purview.Web.Tests;

[Collection(DashboardCollection.Name)]
public sealed class LinksPageTests(DashboardFixture dashboard)
{
    private async Task AssertKpisAsync(Microsoft.Playwright.IPage page, JsonElement summary)
    {
        Assert.Equal(PageAssertions.Shown(summary.GetProperty("sources").GetInt64()), await page.KpiAsync("sources"));
        Assert.Equal(PageAssertions.Shown(summary.GetProperty("assets").GetInt64()), await page.KpiAsync("assets"));
        Assert.Equal(PageAssertions.Shown(summary.GetProperty("relationships").GetInt64()), await page.KpiAsync("relationships"));
        Assert.Equal(PageAssertions.Shown(summary.GetProperty("activityRuns").GetInt64()), await page.KpiAsync("activityRuns"));
    }

    [BrowserFact]
    public async Task The_links_page_shows_the_API_figures_and_its_filters_change_them()
    {
        var page = await dashboard.SignedInPageAsync();
        await page.GotoAsync("/#/links");
        await page.ReadyAsync("links");
        var month = await dashboard.GetJsonAsync("/monitoring/links/summary?period=30d");
        Assert.True(month.GetProperty("activityRuns").GetInt64() > 50, "the demo pushes three weeks of copy runs");
        await AssertKpisAsync(page, month);
        var reportedTill = DateTimeOffset.Parse(month.GetProperty("reportedTill").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Reported till {reportedTill.UtcDateTime:yyyy-MM-dd HH:mm} UTC", (await page.Locator("[data-testid=reported-till]").InnerTextAsync()).Trim());
        Assert.Equal(month.GetProperty("trend").GetArrayLength(), await page.Locator("table[data-testid='link-trend-table'] tbody tr").CountAsync());
        await page.ScreenshotAsync("links");

        await page.SelectOptionAsync("[data-testid=link-period]", "7d");
        await page.ClickAsync("[data-testid=apply-filters]");
        await page.WaitForURLAsync("**period=7d**");
        await page.ReadyAsync("links");
        var week = await dashboard.GetJsonAsync("/monitoring/links/summary?period=7d");
        Assert.True(week.GetProperty("activityRuns").GetInt64() < month.GetProperty("activityRuns").GetInt64());
        await AssertKpisAsync(page, week);

        await page.SelectOptionAsync("[data-testid=link-type]", "AzureSynapse");
        await page.ClickAsync("[data-testid=apply-filters]");
        await page.WaitForURLAsync("**sourceType=AzureSynapse**");
        await page.ReadyAsync("links");
        var synapse = await dashboard.GetJsonAsync("/monitoring/links/summary?period=7d&sourceType=AzureSynapse");
        Assert.Equal(1, synapse.GetProperty("sources").GetInt64());
        await AssertKpisAsync(page, synapse);

        // A custom range of whole UTC days, the end day included.
        var today = DateTime.UtcNow.Date;
        var from = today.AddDays(-20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = today.AddDays(-10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.SelectOptionAsync("[data-testid=link-type]", "");
        await page.SelectOptionAsync("[data-testid=link-period]", "custom");
        await page.FillAsync("[data-testid=link-from]", from);
        await page.FillAsync("[data-testid=link-to]", to);
        await page.ClickAsync("[data-testid=apply-filters]");
        await page.WaitForURLAsync("**period=custom**");
        await page.ReadyAsync("links");
        var custom = await dashboard.GetJsonAsync($"/monitoring/links/summary?from={from}T00:00:00Z&to={today.AddDays(-9):yyyy-MM-dd}T00:00:00Z");
        await AssertKpisAsync(page, custom);
        Assert.Equal(11, await page.Locator("table[data-testid='link-trend-table'] tbody tr").CountAsync());
    }

    [BrowserFact]
    public async Task View_more_lists_the_sources_and_a_source_drills_down_to_its_pipeline_activities()
    {
        var page = await dashboard.SignedInPageAsync();
        await page.GotoAsync("/#/links");
        await page.ReadyAsync("links");
        await page.ClickAsync("[data-testid=view-more]");
        await page.ReadyAsync("link-status");
        var sources = (await dashboard.GetJsonAsync("/monitoring/links?period=30d&orderBy=sourceName&top=1000")).GetProperty("value");
        Assert.Equal(3, sources.GetArrayLength());
        Assert.Equal(sources.EnumerateArray().Select(s => PageAssertions.Shown(s.GetProperty("assetsIngested").GetInt64())).ToList(), await page.ColumnAsync("link-status", "assets"));
        Assert.Equal(sources.EnumerateArray().Select(s => PageAssertions.Shown(s.GetProperty("activityRuns").GetInt64())).ToList(), await page.ColumnAsync("link-status", "runs"));
        await page.ScreenshotAsync("link-status");

        await page.ClickAsync("a[data-source='AzureDataFactory/contoso-adf']");
        await page.ReadyAsync("link-source");
        var activities = (await dashboard.GetJsonAsync("/monitoring/links/AzureDataFactory/contoso-adf?period=30d&orderBy=sourceName&top=1000")).GetProperty("value");
        Assert.Equal(activities.EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList(), await page.ColumnAsync("link-activities", "name"));
        Assert.Contains("ingest_sales/copy_orders", await page.ColumnAsync("link-activities", "name"));
        Assert.Equal(activities.EnumerateArray().Select(a => PageAssertions.Shown(a.GetProperty("relationshipsIngested").GetInt64())).ToList(), await page.ColumnAsync("link-activities", "relationships"));
        await page.ScreenshotAsync("link-activities");
    }
}
