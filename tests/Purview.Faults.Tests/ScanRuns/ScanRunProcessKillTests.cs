using Purview.Testing;
using Xunit;
using static Purview.Faults.Tests.ScanRuns.ScanRunScenario;

namespace Purview.Faults.Tests.ScanRuns;

/// <summary>
/// A local host process killed with SIGKILL in the middle of a scan run; a second host process on the same storage
/// takes the run over (the engine hands the dead host's work items to it once their lease expires) and finishes it with every count exact and nothing written twice.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ScanRunProcessKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Blobs = 3000;

    [Theory]
    [InlineData("discovery")]
    [InlineData("ingestion")]
    public async Task A_host_killed_mid_run_is_taken_over_and_the_run_completes_with_exact_counts(string phase)
    {
        // Killed once 300+ assets went through the phase and it still runs: well inside it, whatever the machine's speed.
        Func<System.Text.Json.JsonElement, bool> underWay = phase == "discovery"
            ? r => ScanStatus(r) == "Running" && Discovered(r) >= 300
            : r => IngestionStatus(r) == "InProgress" && Ingested(r) >= 300;
        Func<System.Text.Json.JsonElement, long> progress = phase == "discovery" ? Discovered : Ingested;
        var options = HostProcessOptions.For(azurite.Azurite, KillWindow);
        long atKill;
        ScanRunScenario scenario;
        Guid runId;
        await using (var first = await HostProcess.StartAsync(options))
        {
            using var client = first.Client();
            scenario = await ScanRunScenario.CreateAsync(azurite.Azurite, options, client, Blobs);
            runId = await scenario.StartRunAsync(client);
            var run = await scenario.WaitAsync(client, runId, underWay, TimeSpan.FromMinutes(2), $"{phase} to be under way");
            first.Kill();
            atKill = progress(run);
        }

        Assert.InRange(atKill, 300, Blobs - 1);
        await using var second = await HostProcess.StartAsync(options);
        using var secondClient = second.Client();
        await scenario.AssertCompletedExactlyAsync(secondClient, runId, $"after a kill during {phase} at {atKill} assets");
    }

    [Fact]
    public async Task Two_hosts_on_one_task_hub_run_a_scan_and_the_survivor_finishes_it_with_exact_counts_when_the_other_is_killed()
    {
        // Same storage prefix, so the same task hub: the engine balances its partitions between both live hosts.
        var options = HostProcessOptions.For(azurite.Azurite, KillWindow);
        await using var survivor = await HostProcess.StartAsync(options);
        using var survivorClient = survivor.Client();
        long ingestedAtKill;
        ScanRunScenario scenario;
        Guid runId;
        await using (var doomed = await HostProcess.StartAsync(options))
        {
            using var client = doomed.Client();
            scenario = await ScanRunScenario.CreateAsync(azurite.Azurite, options, client, Blobs);
            runId = await scenario.StartRunAsync(client);
            var run = await scenario.WaitAsync(survivorClient, runId, r => IngestionStatus(r) == "InProgress" && Ingested(r) >= 300, TimeSpan.FromMinutes(2), "ingestion to be under way");
            doomed.Kill();
            ingestedAtKill = Ingested(run);
        }

        Assert.InRange(ingestedAtKill, 300, Blobs - 1);
        await scenario.AssertCompletedExactlyAsync(survivorClient, runId, $"with two hosts, one killed during ingestion at {ingestedAtKill} assets");
    }
}
