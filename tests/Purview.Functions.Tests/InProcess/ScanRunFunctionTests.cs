using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Purview.Api.ScanRuns.Durable;
using Purview.LocalHost.ScanRuns;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>
/// The Functions app's scan-run functions with a real Durable client: RunScan, the scheduled-runs timer and a repeated
/// PUT, their orchestrations run by the Durable Task engine (DurableTask.AzureStorage on Azurite) with the activities
/// resolved from the Functions worker's own container - the orchestrator, entity and activities the app deploys.
/// </summary>
public sealed class ScanRunFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Version = "?api-version=2023-09-01";

    [Fact]
    public async Task RunScan_starts_the_run_orchestration_which_ends_with_the_runs_status_and_a_repeated_put_starts_nothing()
    {
        await using var worker = await FunctionsWorker.StartAsync(azurite);
        await using var engine = await StartEngineAsync(worker);
        await RegisterScanAsync(worker, "fr-ds", "daily");
        var runId = Guid.NewGuid();
        var path = $"/scan/datasources/fr-ds/scans/daily/runs/{runId}{Version}";

        var first = await worker.HttpAsync(WorkerCalls.Functions["RunScan"], "PUT", path, bind: Client(engine));
        var ended = await engine.DurableClient.WaitForInstanceCompletionAsync(runId.ToString(), true, Timeout());
        var again = await worker.HttpAsync(WorkerCalls.Functions["RunScan"], "PUT", path, bind: Client(engine));
        var after = await engine.DurableClient.GetInstanceAsync(runId.ToString(), true);
        var run = await worker.JsonAsync("GetScanRun", "GET", $"/scan/datasources/fr-ds/scans/daily/runs/{runId}{Version}");

        Assert.Equal(202, first.Status);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
        var status = run.GetProperty("status").GetString();
        Assert.Contains(status, new[] { "Succeeded", "Failed" });
        Assert.Equal(status, ended.ReadOutputAs<string>());
        Assert.Equal(status, ended.ReadCustomStatusAs<ScanRunProgress>()?.Status);
        // The repeated PUT answers the run as it is and leaves its ended orchestration alone.
        Assert.InRange(again.Status, 200, 202);
        Assert.Equal(runId.ToString(), JsonDocument.Parse(again.Body).RootElement.GetProperty("scanResultId").GetString());
        Assert.NotNull(after);
        Assert.Equal(ended.CreatedAt, after.CreatedAt);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, after.RuntimeStatus);
    }

    [Fact]
    public async Task The_scheduled_runs_timer_starts_each_due_run_and_its_orchestration()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 3, 9, 59, 30, TimeSpan.Zero));
        await using var worker = await FunctionsWorker.StartAsync(azurite, clock);
        await using var engine = await StartEngineAsync(worker);
        await RegisterScanAsync(worker, "fs-ds", "hourly");
        await worker.CallAsync("PutScanTrigger", "PUT", "/scan/datasources/fs-ds/scans/hourly/triggers/default" + Version, 201,
            json: """{"properties":{"recurrence":{"frequency":"Hour","interval":1,"startTime":"2026-12-01T00:00:00Z"},"scanLevel":"Full"}}""");

        clock.Advance(TimeSpan.FromMinutes(1));
        await worker.InvokeAsync(WorkerCalls.Functions["StartScheduledScanRuns"], p =>
            p.ParameterType == typeof(TimerInfo) ? new TimerInfo() : p.ParameterType == typeof(DurableTaskClient) ? engine.DurableClient : null);
        var runs = await worker.JsonAsync("ListScanRuns", "GET", "/scan/datasources/fs-ds/scans/hourly/runs" + Version);
        var run = Assert.Single(runs.GetProperty("value").EnumerateArray());
        var runId = run.GetProperty("id").GetString()!;
        var ended = await engine.DurableClient.WaitForInstanceCompletionAsync(runId, true, Timeout());

        Assert.Equal("Scheduled", run.GetProperty("runType").GetString());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, ended.RuntimeStatus);
        Assert.Contains(ended.ReadOutputAs<string>(), new[] { "Succeeded", "Failed" });
    }

    private static Func<System.Reflection.ParameterInfo, object?> Client(ScanRunEngine engine) =>
        p => p.ParameterType == typeof(DurableTaskClient) ? engine.DurableClient : null;

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;

    /// <summary>An AzureStorage source at the test Azurite's second (scannable) account: whatever the scan finds, it ends quickly.</summary>
    private async Task RegisterScanAsync(FunctionsWorker worker, string dataSource, string scan)
    {
        var endpoint = azurite.ScanAccount.BlobEndpoint.AbsoluteUri;
        await worker.CallAsync("PutDataSource", "PUT", $"/scan/datasources/{dataSource}{Version}", 201,
            json: """{"kind":"AzureStorage","properties":{"endpoint":""" + JsonSerializer.Serialize(endpoint) + ""","collection":{"referenceName":"root","type":"CollectionReference"}}}""");
        await worker.CallAsync("PutScan", "PUT", $"/scan/datasources/{dataSource}/scans/{scan}{Version}", 201,
            json: """{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"AzureStorage","scanRulesetType":"System"}}""");
    }

    /// <summary>The engine on the worker's storage, with the worker's own services behind its activities, on a task hub of its own.</summary>
    private async Task<ScanRunEngine> StartEngineAsync(FunctionsWorker worker)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build();
        var engine = new ScanRunEngine(configuration, new ScanRunEngineOptions { TaskHubName = ScanRunEngineRegistration.TaskHubFor(worker.StoragePrefix) },
            worker.Services, worker.Services.GetRequiredService<ILoggerFactory>());
        await engine.StartAsync(CancellationToken.None);
        return engine;
    }
}
