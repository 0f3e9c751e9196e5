using System.Net.Http.Json;
using Xunit;

namespace Purview.Web.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ConnectorsPageTests(DashboardFixture dashboard)
{
    [BrowserFact]
    public async Task Each_connector_shows_its_last_seven_admin_logs_with_the_days_counters_and_downloads_them()
    {
        var page = await dashboard.SignedInPageAsync();
        await page.GotoAsync("/#/connectors");
        await page.ReadyAsync("connectors");
        var connectors = (await dashboard.GetJsonAsync("/connectors")).GetProperty("value");
        Assert.Equal(2, connectors.GetArrayLength());
        foreach (var connector in connectors.EnumerateArray())
        {
            var id = connector.GetProperty("id").GetString()!;
            var logs = (await dashboard.GetJsonAsync($"/connectors/{id}/admin-logs")).GetProperty("value");
            Assert.Equal(7, logs.GetArrayLength());
            var table = page.Locator($"table[data-testid='admin-logs-{id}']");
            Assert.Equal(logs.EnumerateArray().Select(l => l.GetProperty("date").GetString()!).ToList(), (await table.Locator("tbody th").AllInnerTextsAsync()).Select(t => t.Trim()).ToList());

            // The counters of a day are those of the log the API serves.
            var log = logs[0];
            var csv = await dashboard.Api.GetStringAsync(new Uri(log.GetProperty("downloadLink").GetString()!, UriKind.Relative));
            var summary = csv.Split("\r\n").SkipWhile(l => !l.StartsWith("Import completion time", StringComparison.Ordinal)).Skip(1).First().Split(',');
            var row = table.Locator($"tr[data-date='{log.GetProperty("date").GetString()}']");
            await row.Locator("[data-col=imported]").WaitForAsync();
            Assert.Equal(PageAssertions.Shown(long.Parse(summary[1], System.Globalization.CultureInfo.InvariantCulture)), (await row.Locator("[data-col=fromSource]").InnerTextAsync()).Trim());
            Assert.Equal(PageAssertions.Shown(long.Parse(summary[3], System.Globalization.CultureInfo.InvariantCulture)), (await row.Locator("[data-col=imported]").InnerTextAsync()).Trim());
            Assert.Equal(PageAssertions.Shown(long.Parse(summary[6], System.Globalization.CultureInfo.InvariantCulture)), (await row.Locator("[data-col=failed]").InnerTextAsync()).Trim());

            var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-testid=download-log]").ClickAsync());
            Assert.Equal($"{id}-admin-log-{log.GetProperty("date").GetString()}.csv", download.SuggestedFilename);
            Assert.Equal(csv, await File.ReadAllTextAsync(await download.PathAsync()));
        }

        await page.ScreenshotAsync("connectors");
    }

    [BrowserFact]
    public async Task With_auditing_off_the_page_says_so_and_how_to_turn_it_on()
    {
        using (var off = await dashboard.Api.PutAsJsonAsync(new Uri("/connectors/settings", UriKind.Relative), new { auditingEnabled = false }))
        {
            off.EnsureSuccessStatusCode();
        }

        try
        {
            var page = await dashboard.SignedInPageAsync();
            await page.GotoAsync("/#/connectors");
            await page.ReadyAsync("connectors");
            var message = await page.Locator("[data-testid=auditing-off]").InnerTextAsync();
            Assert.Contains("Auditing is turned off", message, StringComparison.Ordinal);
            Assert.Contains("PUT /connectors/settings", message, StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("table[data-testid^='admin-logs-']").CountAsync());
        }
        finally
        {
            using var on = await dashboard.Api.PutAsJsonAsync(new Uri("/connectors/settings", UriKind.Relative), new { auditingEnabled = true });
            on.EnsureSuccessStatusCode();
        }
    }
}
