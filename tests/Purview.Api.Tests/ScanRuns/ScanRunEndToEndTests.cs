using System.Net;
using Purview.Core.Registry;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.ScanRuns;

public sealed class ScanRunEndToEndTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_blob_scan_of_2500_blobs_runs_through_HTTP_to_Completed_and_shows_in_history_and_summary_but_not_to_a_sibling_admin()
    {
        var container = UniqueName.Container("e2e");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, 2500);
        var registry = new InMemoryScanRegistry()
            .AddDataSource("blobs-e2e", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "sales")
            .AddScan("blobs-e2e", "daily", filter: new ScanFilter([prefix], []));
        await using var host = new ScanRunHost(azurite, registry, workers: true);
        await host.GrantDataSourceAdminAsync("sales", "alice");
        await host.GrantDataSourceAdminAsync("marketing", "bob");
        using var alice = host.Host.Client("alice");
        using var bob = host.Host.Client("bob");

        var runId = Guid.NewGuid();
        var (status, accepted) = await host.PutRunAsync("blobs-e2e", "daily", runId, alice);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(runId.ToString(), accepted.GetProperty("scanResultId").GetString());

        var deadline = DateTime.UtcNow.AddMinutes(3);
        System.Text.Json.JsonElement run;
        do
        {
            await Task.Delay(250);
            (_, run) = await host.GetRunAsync("blobs-e2e", "daily", runId, alice);
        }
        while (run.GetProperty("status").GetString() is not ("Succeeded" or "Failed" or "Canceled") && DateTime.UtcNow < deadline);

        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("Succeeded", run.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString());
        Assert.Equal(2500, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        Assert.Equal("Succeeded", run.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString());
        Assert.Equal(2500, run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());
        Assert.Equal("Manual", run.GetProperty("runType").GetString());

        var history = await host.GetJsonAsync(ScanRunHost.RunsPath("blobs-e2e", "daily") + "?api-version=2023-09-01", alice);
        Assert.Equal(runId.ToString(), history.GetProperty("value")[0].GetProperty("id").GetString());

        var summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d&granularity=day", alice);
        Assert.Equal(1, summary.GetProperty("totals").GetProperty("succeeded").GetInt64());
        Assert.Equal(7, summary.GetProperty("series").GetArrayLength());

        // Bob administers a sibling collection: the run does not exist for him, nor do its counts.
        var (bobStatus, _) = await host.GetRunAsync("blobs-e2e", "daily", runId, bob);
        Assert.Equal(HttpStatusCode.NotFound, bobStatus);
        var bobSummary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d", bob);
        Assert.Equal(0, bobSummary.GetProperty("totals").GetProperty("total").GetInt64());
        var bobHistory = await bob.GetAsync(new Uri(ScanRunHost.RunsPath("blobs-e2e", "daily"), UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, bobHistory.StatusCode);

        var scans = await host.GetJsonAsync("/monitoring/scans?period=30d", alice);
        var row = Assert.Single(scans.GetProperty("value").EnumerateArray());
        Assert.Equal(1, row.GetProperty("succeeded").GetInt64());
        Assert.Equal(runId.ToString(), row.GetProperty("lastRun").GetProperty("id").GetString());
    }
}
