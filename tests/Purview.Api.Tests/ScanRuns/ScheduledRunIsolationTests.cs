using System.Net;
using System.Security.Cryptography;
using System.Text;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.ScanRuns;

/// <summary>A Data source admin of another collection cannot block a scheduled run by taking its run id first.</summary>
public sealed class ScheduledRunIsolationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Due = new(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_run_id_derived_from_public_inputs_and_taken_by_another_collection_does_not_stop_the_schedule()
    {
        var time = new ManualTimeProvider(Due.AddSeconds(-30));
        var registry = Registry(azurite);
        await using var host = new ScanRunHost(azurite, registry, time: time);
        await host.GrantDataSourceAdminAsync("evil", "mallory");
        using var mallory = host.Host.Client("mallory");

        // Mallory computes the id the schedule would use from what the source code tells (the namespace GUID and the
        // name layout) and starts a run of her own scan under it, ahead of the due time.
        var predicted = PublicNameBasedId("SCHED|HOURLY|2026-11-02T10:00:00Z");
        var (taken, _) = await host.PutRunAsync("evil-ds", "grab", predicted, mallory);
        Assert.Equal(HttpStatusCode.Accepted, taken);

        time.SetUtcNow(Due);
        var started = await host.Get<ScheduledRuns>().StartDueAsync(default);

        var id = Assert.Single(started);
        Assert.NotEqual(predicted, id.Value);
        var history = await host.GetJsonAsync(ScanRunHost.RunsPath("sched", "hourly"));
        var run = Assert.Single(history.GetProperty("value").EnumerateArray());
        Assert.Equal("Scheduled", run.GetProperty("runType").GetString());
        Assert.Equal(id.Value.ToString(), run.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Even_with_the_key_known_a_due_run_whose_id_is_taken_starts_under_the_next_candidate_once_on_two_hosts()
    {
        var time = new ManualTimeProvider(Due.AddSeconds(-30));
        var registry = Registry(azurite);
        var prefix = "s" + Guid.NewGuid().ToString("N")[..8];
        await using var one = new ScanRunHost(azurite, registry, time: time, prefix: prefix);
        await using var two = new ScanRunHost(azurite, registry, time: time, prefix: prefix);
        await one.GrantDataSourceAdminAsync("evil", "mallory");
        using var mallory = one.Host.Client("mallory");
        var key = await one.Get<IScheduleKeyStore>().GetAsync(default);
        Assert.Equal(key.ToArray(), (await two.Get<IScheduleKeyStore>().GetAsync(default)).ToArray());
        var first = ScanSchedule.RunIdFor(key.Span, "sched", "hourly", Due);
        Assert.Equal(HttpStatusCode.Accepted, (await one.PutRunAsync("evil-ds", "grab", first.Value, mallory)).Status);

        time.SetUtcNow(Due);
        var started = await Task.WhenAll(one.Get<ScheduledRuns>().StartDueAsync(default), two.Get<ScheduledRuns>().StartDueAsync(default));

        var id = Assert.Single(started.SelectMany(s => s));
        Assert.Equal(ScanSchedule.RunIdFor(key.Span, "sched", "hourly", Due, attempt: 1), id);
        var history = await one.GetJsonAsync(ScanRunHost.RunsPath("sched", "hourly"));
        Assert.Equal(id.Value.ToString(), Assert.Single(history.GetProperty("value").EnumerateArray()).GetProperty("id").GetString());
        // Mallory's run is hers alone: the schedule did not touch it.
        var (status, mine) = await one.GetRunAsync("evil-ds", "grab", first.Value, mallory);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Manual", mine.GetProperty("runType").GetString());
    }

    internal static InMemoryScanRegistry Registry(AzuriteFixture azurite) => new InMemoryScanRegistry()
        .AddDataSource("sched", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
        .AddScan("sched", "hourly")
        .AddTrigger(new ScanTriggerDefinition("sched", "hourly", "Hour", 1, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), null, ScanLevel.Full, default, default))
        .AddDataSource("evil-ds", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "evil")
        .AddScan("evil-ds", "grab");

    // RFC 9562 version 5 under the namespace that was in the source code: what anyone could compute.
    private static Guid PublicNameBasedId(string name)
    {
        var ns = new Guid("5b0c3f0e-6d43-4c55-9a53-7c1f2f4b8a10").ToByteArray(bigEndian: true);
#pragma warning disable CA5350 // the attack reproduces RFC 9562 version 5, which is SHA-1
        var hash = SHA1.HashData([.. ns, .. Encoding.UTF8.GetBytes(name)]);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
