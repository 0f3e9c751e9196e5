using Purview.Testing;
using Xunit;
using static Purview.Faults.Tests.ScanRuns.ScanRunScenario;

namespace Purview.Faults.Tests.ScanRuns;

/// <summary>
/// The app's storage disappears in the middle of a run and comes back (Azurite persisted to disk, restarted on the same
/// ports). The scanned blobs live in another Azurite, which stays up: an outage of the source itself is a different
/// case (the run fails fast with SourceUnreachable, see ScanTargetIsolationTests).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AzuriteRestartTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "purview-tests", "azurite-" + Guid.NewGuid().ToString("N"));
    private Azurite? _azurite;
    private Azurite? _source;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartAsync(_folder);
        _source = await Azurite.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

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
        var scenario = await ScanRunScenario.CreateAsync(azurite, options.StoragePrefix, client, 2000, _source);
        var runId = await scenario.StartRunAsync(client);
        var before = await scenario.WaitAsync(client, runId, r => ScanStatus(r) == "Running" && Discovered(r) >= 200, TimeSpan.FromMinutes(2), "discovery to be under way");

        var outputBefore = host.Output.Length;
        await azurite.StopGracefullyAsync();
        // Storage comes back only once a step of the run has met the outage: a request of the app's own storage (its
        // prefix, not the engine's task hub) failed without an answer.
        var failed = await PollAsync(() => FailedRequests(host.Output[outputBefore..], options.StoragePrefix).FirstOrDefault(), TimeSpan.FromSeconds(30));
        Assert.False(azurite.IsRunning);
        await azurite.StartAgainAsync();
        Assert.True(failed is not null, "No storage request of the run failed during the outage. Output:\n" + host.Output[outputBefore..]);

        Assert.False(host.HasExited, "The host must survive a storage outage. Output:\n" + host.Output);
        await scenario.AssertCompletedExactlyAsync(client, runId, $"after a storage outage at {Discovered(before)} discovered assets");
    }

    /// <summary>The storage client's warnings for requests to the app's storage that got no answer at all.</summary>
    private static IEnumerable<string> FailedRequests(string output, string prefix) =>
        output.Split('\n').Where(l => l.Contains("failed without a response", StringComparison.Ordinal) && l.Contains("/" + prefix, StringComparison.Ordinal));

    private static async Task<string?> PollAsync(Func<string?> probe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return probe();
    }
}
