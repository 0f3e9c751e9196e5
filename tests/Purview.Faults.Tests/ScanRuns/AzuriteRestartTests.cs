using Purview.Testing;
using Xunit;
using static Purview.Faults.Tests.ScanRuns.ScanRunScenario;

namespace Purview.Faults.Tests.ScanRuns;

/// <summary>Storage disappears in the middle of a run and comes back (Azurite persisted to disk, restarted on the same ports).</summary>
[Collection(ProcessCollection.Name)]
public sealed class AzuriteRestartTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "purview-tests", "azurite-" + Guid.NewGuid().ToString("N"));
    private Azurite? _azurite;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync(_folder);

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task Storage_stopped_and_restarted_during_a_run_leaves_a_run_that_completes_with_exact_counts()
    {
        var azurite = _azurite!;
        var options = HostProcessOptions.For(azurite, FastRecovery);
        await using var host = await HostProcess.StartAsync(options);
        using var client = host.Client();
        var scenario = await ScanRunScenario.CreateAsync(azurite, options, client, 2000);
        var runId = await scenario.StartRunAsync(client);
        var before = await scenario.WaitAsync(client, runId, r => ScanStatus(r) == "Running" && Discovered(r) >= 200, TimeSpan.FromMinutes(2), "discovery to be under way");

        await azurite.StopGracefullyAsync();
        // Long enough for steps to fail against a dead endpoint and go back to the queue with their back-off.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(azurite.IsRunning);
        await azurite.StartAgainAsync();

        Assert.False(host.HasExited, "The host must survive a storage outage. Output:\n" + host.Output);
        await scenario.AssertCompletedExactlyAsync(client, runId, $"after a storage outage at {Discovered(before)} discovered assets");
    }
}
