using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.LocalHost.ScanRuns;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.ScanRuns;

/// <summary>
/// Scan runs on the local host's Durable Task engine (DurableTask.AzureStorage on Azurite, the shared orchestrator,
/// entity and activities): each run is an instance of the task hub (instance id = run id) that ends Completed with the
/// run's status as output and its phase and counts as custom status; replay, retries and ContinueAsNew keep counts exact.
/// </summary>
public sealed class DurableEngineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_run_of_500_blobs_in_pages_of_25_continues_as_new_and_ends_with_exact_counts_as_a_completed_instance()
    {
        var container = UniqueName.Container("durable");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, 500);
        var registry = new InMemoryScanRegistry()
            .AddDataSource("blobs-durable", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
            .AddScan("blobs-durable", "daily", filter: new ScanFilter([prefix], []));
        // 20 discovery pages and 20 ingestion pages, one step per activity, 16 activities per generation: the orchestration
        // continues as new at least twice (as it does every 100 activities by default).
        var taskHub = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var host = Host(registry, new Dictionary<string, string?>
        {
            ["ScanRuns:PageSize"] = "25", ["ScanRuns:StepsPerActivity"] = "1", ["DurableTask:ActivitiesPerGeneration"] = "16", ["TaskHubName"] = taskHub,
        });
        using var admin = host.Client("admin");
        var runId = Guid.NewGuid();

        var put = await admin.PutAsync(new Uri($"{ScanRunHost.RunsPath("blobs-durable", "daily")}/{runId}?api-version=2023-09-01", UriKind.Relative), null);
        var instance = await host.Services.GetRequiredService<ScanRunEngineClient>().WaitForCompletionAsync(runId, TimeSpan.FromMinutes(6));
        var run = await ReadRunAsync(admin, "blobs-durable", "daily", runId);

        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        Assert.NotNull(instance);
        Assert.Equal("Completed", instance.Status);
        Assert.Equal("\"Succeeded\"", instance.Output);
        Assert.NotNull(instance.Progress);
        Assert.Equal(500, instance.Progress.Discovered);
        Assert.Equal(500, instance.Progress.Ingested);
        Assert.True(instance.Progress.Generation >= 2, $"expected ContinueAsNew at least twice, the last generation was {instance.Progress.Generation}");
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(500, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        Assert.Equal(500, run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());

        // The same, read straight from the task hub's instances table in the host's Azurite (what an operator sees).
        var row = await new Purview.Storage.Client.Tables.EntityTable(Purview.Storage.Client.StorageClients.Tables(azurite.Account, new Purview.Storage.Client.StorageClientOptions()), taskHub + "Instances").GetEntityAsync(runId.ToString("D"), "");
        Assert.Equal("Completed", row.GetString("RuntimeStatus"));
        Assert.Equal(ScanRunOrchestratorName, row.GetString("Name"));
        var custom = JsonDocument.Parse(row.GetString("CustomStatus")!).RootElement;
        Assert.Equal(500, custom.GetProperty("Discovered").GetInt64());
        Assert.Equal(500, custom.GetProperty("Ingested").GetInt64());
        Assert.Equal("Succeeded", custom.GetProperty("Status").GetString());
    }

    private const string ScanRunOrchestratorName = Purview.Api.ScanRuns.Durable.ScanRunOrchestrator.Name;

    [Fact]
    public async Task A_step_that_keeps_throwing_ends_the_run_Failed_after_the_retries()
    {
        var registry = new InMemoryScanRegistry()
            .AddDataSource("broken", BrokenScanner.Kind, "https://broken.example/", "root")
            .AddScan("broken", "daily");
        var scanner = new BrokenScanner();
        await using var host = Host(registry, services: s => s.AddSingleton<IScanner>(scanner));
        using var admin = host.Client("admin");
        var runId = Guid.NewGuid();

        await admin.PutAsync(new Uri($"{ScanRunHost.RunsPath("broken", "daily")}/{runId}?api-version=2023-09-01", UriKind.Relative), null);
        var instance = await host.Services.GetRequiredService<ScanRunEngineClient>().WaitForCompletionAsync(runId, TimeSpan.FromMinutes(3));
        var run = await ReadRunAsync(admin, "broken", "daily", runId);

        Assert.NotNull(instance);
        Assert.Equal("\"Failed\"", instance.Output);
        Assert.Equal(5, scanner.Calls);
        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Contains("failed repeatedly", run.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("the source broke", run.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_waiting_for_admission_in_its_orchestration_is_cancelled_and_its_orchestration_ends()
    {
        var registry = new InMemoryScanRegistry()
            .AddDataSource("held", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
            .AddScan("held", "daily", runtime: "tiny")
            // A runtime with no free slot: runs on it wait Throttled until one frees up.
            .AddRuntime("tiny", 0, 1);
        await using var host = Host(registry);
        using var admin = host.Client("admin");
        var engine = host.Services.GetRequiredService<ScanRunEngineClient>();
        var runId = Guid.NewGuid();

        await admin.PutAsync(new Uri($"{ScanRunHost.RunsPath("held", "daily")}/{runId}?api-version=2023-09-01", UriKind.Relative), null);
        var waiting = await ReadRunAsync(admin, "held", "daily", runId);
        await engine.StartOrWakeAsync(runId, CancellationToken.None);
        ScanRunInstance? seen = null;
        // The orchestration has asked admission at least twice (slept on its timer in between) and the run still waits.
        await WaitUntilAsync(async () => (seen = await engine.GetAsync(runId))?.Progress is { Steps: >= 2, Phase: "Scan", Discovered: 0 }, () => $"last seen: {seen}");
        var cancel = await admin.PostAsync(new Uri($"{ScanRunHost.RunsPath("held", "daily")}/{runId}:cancel?api-version=2023-09-01", UriKind.Relative), null);
        await engine.RaiseAsync(runId, Purview.Api.ScanRuns.Durable.ScanRunOrchestrator.CancelEvent);
        var instance = await engine.WaitForCompletionAsync(runId, TimeSpan.FromMinutes(2));

        Assert.Equal("Accepted", waiting.GetProperty("status").GetString());
        Assert.Equal("Running", seen!.Status);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.NotNull(instance);
        Assert.Equal("Completed", instance.Status);
        Assert.Equal("\"Canceled\"", instance.Output);
    }

    [Fact]
    public async Task The_history_retention_job_purges_ended_orchestrations_older_than_7_days_and_keeps_newer_ones()
    {
        var registry = new InMemoryScanRegistry()
            .AddDataSource("gone", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
            .AddScan("gone", "daily", filter: new ScanFilter(["nothing-here/"], []));
        await using var host = Host(registry);
        using var admin = host.Client("admin");
        var engine = host.Services.GetRequiredService<ScanRunEngineClient>();
        var job = host.Services.GetRequiredService<Purview.Core.ScanRuns.Execution.OrchestrationHistoryRetentionJob>();
        var runId = Guid.NewGuid();
        await admin.PutAsync(new Uri($"{ScanRunHost.RunsPath("gone", "daily")}/{runId}?api-version=2023-09-01", UriKind.Relative), null);
        var ended = await engine.WaitForCompletionAsync(runId, TimeSpan.FromMinutes(2));

        await job.RunAsync(DateTimeOffset.UtcNow.AddDays(6), CancellationToken.None);
        var keptAfterSixDays = await engine.GetAsync(runId);
        await job.RunAsync(DateTimeOffset.UtcNow.AddDays(8), CancellationToken.None);
        var afterEightDays = await engine.GetAsync(runId);
        var run = await ReadRunAsync(admin, "gone", "daily", runId);

        Assert.Equal("\"Succeeded\"", ended?.Output);
        Assert.NotNull(keptAfterSixDays);
        Assert.Null(afterEightDays);
        // The run itself stays readable: only the engine's bookkeeping is purged.
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
    }

    private TestHost Host(InMemoryScanRegistry registry, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            // Each test its own task hub in the shared Azurite.
            ["TaskHubName"] = "t" + Guid.NewGuid().ToString("N")[..12],
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new TestHost(azurite, settings: all, configureServices: s =>
        {
            s.AddSingleton<IScanRegistry>(registry);
            services?.Invoke(s);
        });
    }

    private static async Task<JsonElement> ReadRunAsync(HttpClient client, string dataSource, string scan, Guid runId)
    {
        var response = await client.GetAsync(new Uri($"{ScanRunHost.RunsPath(dataSource, scan)}/{runId}?api-version=2023-09-01", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within a minute; " + describe());
            await Task.Delay(200);
        }
    }

    /// <summary>A scanner whose every listing throws an unexpected error (not a ScanFailedException): the step fails and is retried.</summary>
    private sealed class BrokenScanner : IScanner
    {
        public const string Kind = "BrokenSource";
        private int _calls;

        public int Calls => _calls;

        public bool CanScan(string dataSourceKind) => dataSourceKind == Kind;

        public Task<ScanPageResult> ScanAsync(ScanPageRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            throw new InvalidOperationException("the source broke");
        }
    }
}
