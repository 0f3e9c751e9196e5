using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.LocalHost.ScanRuns;
using Purview.Testing;
using Xunit;
using static Purview.Faults.Tests.ScanRuns.ScanRunScenario;

namespace Purview.Faults.Tests.ScanRuns;

/// <summary>A step whose data-map write throws: retried with back-off and finished exactly, or failed cleanly once retries run out.</summary>
public sealed class FailingStepTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_step_that_throws_on_its_first_two_attempts_is_retried_and_the_run_completes_with_exact_counts()
    {
        var sink = new Flaky(failures: 2);
        await using var host = Host(sink);
        using var client = host.Client();
        var scenario = await ScanRunScenario.CreateAsync(azurite.Azurite, host.Factory.StoragePrefix, client, 250);

        var runId = await scenario.StartRunAsync(client);

        await scenario.AssertCompletedExactlyAsync(client, runId, "after two failed attempts of the first ingestion step");
        Assert.Equal(2, sink.Thrown);
        // Three pages of 100: at least the two failures and one success per page (pages read ahead may be written twice).
        Assert.InRange(sink.Calls, 5, 12);
    }

    [Fact]
    public async Task A_step_that_always_throws_fails_the_run_with_the_last_error_once_the_orchestration_retries_are_spent()
    {
        var sink = new Flaky(failures: int.MaxValue);
        await using var host = Host(sink);
        using var client = host.Client();
        var scenario = await ScanRunScenario.CreateAsync(azurite.Azurite, host.Factory.StoragePrefix, client, 150);

        var runId = await scenario.StartRunAsync(client);

        var run = await scenario.WaitAsync(client, runId, IsFinal, TimeSpan.FromMinutes(2), "the run to fail");
        Assert.Equal("Failed", Status(run));
        Assert.Equal("Failed", IngestionStatus(run));
        Assert.Equal(150, Discovered(run));
        Assert.Equal(0, Ingested(run));
        // Once the run's orchestration has ended no activity is left to run, so the count of sink calls is final: nothing
        // retries a failed run (waiting for the engine's own end, not for a while).
        var orchestration = await host.Services.GetRequiredService<ScanRunEngineClient>().WaitForCompletionAsync(runId, TimeSpan.FromMinutes(1));
        Assert.NotNull(orchestration);
        Assert.Contains(orchestration.Status, new[] { "Completed", "Failed" });
        // Every attempt of the activity tried (an attempt may also write the next page ahead).
        Assert.InRange(sink.Calls, 2, 12);
        Assert.Contains("data map is down", run.ToString(), StringComparison.Ordinal);
        Assert.Empty(await scenario.DataMapNamesAsync());
    }

    private TestHost Host(Flaky sink) => new(azurite, settings: new Dictionary<string, string?>
    {
        ["ScanRuns:PageSize"] = "100",
    }, configureServices: services =>
    {
        var real = services.Single(d => d.ServiceType == typeof(IAssetSink));
        services.Replace(ServiceDescriptor.Singleton<IAssetSink>(sp => sink.Wrap((IAssetSink)(real.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)))));
    });

    /// <summary>The real sink, throwing instead of writing for its first <c>failures</c> calls.</summary>
    private sealed class Flaky(int failures) : IAssetSink
    {
        private IAssetSink? _inner;
        private int _calls;
        private int _thrown;

        public int Calls => _calls;

        public int Thrown => _thrown;

        public Flaky Wrap(IAssetSink inner)
        {
            _inner = inner;
            return this;
        }

        public Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (Volatile.Read(ref _thrown) < failures)
            {
                Interlocked.Increment(ref _thrown);
                throw new InvalidOperationException("The data map is down (injected).");
            }

            return _inner!.UpsertAsync(dataSourceName, collectionName, runId, assets, cancellationToken);
        }

        public Task<IngestResult> UpsertRelationshipsAsync(string dataSourceName, string collectionName, ScanRunId runId, StagedPage page, CancellationToken cancellationToken) =>
            _inner!.UpsertRelationshipsAsync(dataSourceName, collectionName, runId, page, cancellationToken);
    }
}
