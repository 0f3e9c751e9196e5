using Azure.Data.Tables;
using Purview.Api.Tests.ScanRuns;
using Purview.Core.Monitoring;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Monitoring;

public sealed class RunRollupRepairJobTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Rollups_left_stale_or_missing_by_a_host_that_died_before_refreshing_them_are_rewritten_from_the_counters()
    {
        await using var host = new ScanRunHost(azurite, new InMemoryScanRegistry());
        var counters = host.Get<IRunCounterStore>();
        var job = host.Get<RunRollupRepairJob>();
        var kpis = host.Get<StorageLayout>().Table("scanrunkpis");
        var now = DateTimeOffset.UtcNow;

        await counters.ApplyAsync(NewRun("AzureStorage", now), default);
        var before = await kpis.GetEntityAsync("root", now.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "|AzureStorage");
        Assert.Equal(1, await TotalAsync(host));
        Assert.Equal(0, await job.RepairAsync(default)); // nothing to repair yet

        // Two more runs are counted, but their hosts die before the rollup write: one leaves the AzureStorage row as it
        // was before, the other (a new kind) leaves no row at all.
        await counters.ApplyAsync(NewRun("AzureStorage", now), default);
        await counters.ApplyAsync(NewRun("AdlsGen2", now), default);
        await kpis.UpsertEntityAsync(before, TableUpdateMode.Replace);
        await kpis.DeleteEntityAsync("root", before.RowKey[..9] + "AdlsGen2");
        Assert.Equal(1, await TotalAsync(host));

        Assert.Equal(2, await job.RepairAsync(default));
        Assert.Equal(3, await TotalAsync(host));
        var summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d&sourceType=AzureStorage");
        Assert.Equal(2, summary.GetProperty("totals").GetProperty("queued").GetInt64());
        Assert.Equal(0, await job.RepairAsync(default)); // repaired rows now agree with the counters
    }

    private static ScanRun NewRun(string kind, DateTimeOffset now) =>
        ScanRunLifecycle.Create(ScanRunId.New(now), new ScanRunDefinition("ds1", "scan1", "root", kind, IntegrationRuntime.DefaultName, ScanLevel.Full, ScanTrigger.Manual), now).Run!;

    private static async Task<long> TotalAsync(ScanRunHost host) =>
        (await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d")).GetProperty("totals").GetProperty("total").GetInt64();
}
