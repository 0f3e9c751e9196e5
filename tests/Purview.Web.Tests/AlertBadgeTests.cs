using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Alerts;
using Purview.Core.Jobs;
using Xunit;

namespace Purview.Web.Tests;

[Collection(DashboardCollection.Name)]
public sealed class AlertBadgeTests(DashboardFixture dashboard)
{
    [BrowserFact]
    public async Task A_firing_rule_puts_a_badge_on_its_page_in_the_nav_and_none_on_the_others_until_it_is_deleted()
    {
        // A scan that never ran has not succeeded in the last day: the rule fires at the first evaluation.
        using (var put = await dashboard.Api.PutAsJsonAsync(new Uri("/monitoring/alerts/web-badge", UriKind.Relative), new { kind = "scanNotSucceeded", days = 1, dataSource = "no-such-source", scan = "never" }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        try
        {
            var job = dashboard.Host.Services.GetServices<IScheduledJob>().OfType<AlertJob>().Single();
            await job.RunAsync(DateTimeOffset.UtcNow, CancellationToken.None);
            var summary = await dashboard.GetJsonAsync("/monitoring/alerts/summary");
            var scans = summary.GetProperty("pages").GetProperty("scans").GetInt32();
            Assert.True(scans >= 1);

            var page = await dashboard.SignedInPageAsync();
            await page.GotoAsync("/#/connectors");
            var badge = page.Locator("[data-testid=alert-badge-scanruns]");
            await badge.WaitForAsync();
            Assert.Equal(scans.ToString(System.Globalization.CultureInfo.InvariantCulture), (await badge.InnerTextAsync()).Trim());
            Assert.Contains("firing", await badge.GetAttributeAsync("title") ?? string.Empty, StringComparison.Ordinal);
            Assert.Equal("alert-badge", await badge.GetAttributeAsync("class"));
            Assert.Equal(summary.GetProperty("pages").GetProperty("links").GetInt32(), await page.Locator("[data-testid=alert-badge-links]").CountAsync());
            Assert.Equal(0, await page.Locator("a[data-page=lineage] .alert-badge").CountAsync());
        }
        finally
        {
            (await dashboard.Api.DeleteAsync(new Uri("/monitoring/alerts/web-badge", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var after = await dashboard.SignedInPageAsync();
        await after.GotoAsync("/#/connectors");
        await after.ReadyAsync("connectors");
        // The nav says when it has drawn this navigation's badges; with the rule gone none is on the scans page.
        await after.Locator("#nav[data-alerts]").WaitForAsync();
        Assert.Equal(0, await after.Locator("[data-testid=alert-badge-scanruns]").CountAsync());
    }
}
