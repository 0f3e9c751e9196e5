using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Monitoring;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.ScanRuns;

/// <summary>Admission, cancel, crash recovery and repeated activities, with steps driven by hand (no engine).</summary>
public sealed class ScanRunExecutionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private async Task<(ScanRunHost Host, string Ds)> HostWithBlobsAsync(int blobs, Action<InMemoryScanRegistry>? configure = null, int scans = 1)
    {
        var container = UniqueName.Container("x");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, blobs);
        var ds = "ds-" + Guid.NewGuid().ToString("N")[..8];
        var registry = new InMemoryScanRegistry().AddDataSource(ds, "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root");
        for (var i = 0; i < scans; i++)
        {
            registry.AddScan(ds, "scan" + i, filter: new ScanFilter([prefix], []), runtime: configure is null ? IntegrationRuntime.DefaultName : "shir");
        }

        configure?.Invoke(registry);
        return (new ScanRunHost(azurite, registry), ds);
    }

    [Fact]
    public async Task Six_runs_started_together_with_a_limit_of_5_leave_one_Throttled_which_runs_when_another_finishes()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        var container = UniqueName.Container("x");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, 20);
        var registry = new InMemoryScanRegistry().AddDataSource("six", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root");
        for (var i = 0; i < 6; i++)
        {
            registry.AddScan("six", "scan" + i, filter: new ScanFilter([prefix], []));
        }

        await using var host = new ScanRunHost(azurite, registry, time: time);
        var activities = host.Get<Purview.Api.ScanRuns.Durable.ScanRunActivities>();
        var ids = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        var starts = await Task.WhenAll(ids.Select((id, i) => host.PutRunAsync("six", "scan" + i, id)));
        Assert.All(starts, s => Assert.Equal(HttpStatusCode.Accepted, s.Status));
        var discovery = await DiscoveryStatusesAsync();
        Assert.Equal(5, discovery.Count(s => s == "Running"));
        var throttled = Assert.Single(Enumerable.Range(0, 6), i => discovery[i] == "Throttled");
        var first = discovery.IndexOf("Running");

        // Held while five run: its own steps do not admit it.
        await activities.StepAsync(ids[throttled], default);
        Assert.Equal("Throttled", (await DiscoveryStatusesAsync())[throttled]);

        // Two minutes later one of the five runs to its end, and the held run's next activity is admitted and goes
        // through its whole scan phase (an activity runs several steps).
        time.Advance(TimeSpan.FromMinutes(2));
        for (var step = 0; step < 50 && !(await activities.StepAsync(ids[first], default)).Final; step++)
        {
        }

        Assert.Equal("Succeeded", (await host.GetRunAsync("six", "scan" + first, ids[first])).Body.GetProperty("status").GetString());
        await activities.StepAsync(ids[throttled], default);
        Assert.Equal("Succeeded", (await DiscoveryStatusesAsync())[throttled]);

        await host.DrainAsync();

        var runs = await Task.WhenAll(ids.Select((id, i) => host.GetRunAsync("six", "scan" + i, id)));
        Assert.All(runs, r => Assert.Equal("Succeeded", r.Body.GetProperty("status").GetString()));
        Assert.All(runs, r => Assert.Equal(20, r.Body.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64()));
        // Only the held run was throttled, for the two minutes it waited.
        Assert.Equal([0, 0, 0, 0, 0, 120], runs.Select(r => r.Body.GetProperty("throttledDuration").GetDouble()).Order().ToArray());
        Assert.Equal(120, runs[throttled].Body.GetProperty("throttledDuration").GetDouble());
        var summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d");
        Assert.Equal(6, summary.GetProperty("totals").GetProperty("succeeded").GetInt64());
        Assert.Equal(6, summary.GetProperty("totals").GetProperty("total").GetInt64());

        async Task<List<string?>> DiscoveryStatusesAsync() =>
            (await Task.WhenAll(ids.Select((id, i) => host.GetRunAsync("six", "scan" + i, id))))
                .Select(r => r.Body.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString()).ToList();
    }

    [Fact]
    public async Task A_runtime_of_one_node_and_one_scan_queues_the_second_run_until_the_first_scan_phase_ends()
    {
        var (host, ds) = await HostWithBlobsAsync(10, r => r.AddRuntime("shir", 1, 1), scans: 2);
        await using var _ = host;
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", first);
        await host.PutRunAsync(ds, "scan1", second);

        var (_, queued) = await host.GetRunAsync(ds, "scan1", second);
        Assert.Equal("Queued", queued.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString());
        Assert.Equal("Accepted", queued.GetProperty("status").GetString());
        var summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d");
        Assert.Equal(1, summary.GetProperty("totals").GetProperty("queued").GetInt64());
        Assert.Equal(1, summary.GetProperty("totals").GetProperty("inProgress").GetInt64());

        await host.DrainAsync();

        foreach (var (scan, id) in new[] { ("scan0", first), ("scan1", second) })
        {
            var (_, run) = await host.GetRunAsync(ds, scan, id);
            Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        }

        summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d");
        Assert.Equal(2, summary.GetProperty("totals").GetProperty("succeeded").GetInt64());
        Assert.Equal(0, summary.GetProperty("totals").GetProperty("queued").GetInt64());
    }

    [Fact]
    public async Task Cancel_while_queued_scanning_or_ingesting_gives_the_documented_statuses()
    {
        var (host, ds) = await HostWithBlobsAsync(1500, r => r.AddRuntime("shir", 1, 1), scans: 3);
        await using var _ = host;
        var executor = host.Get<ScanRunStepExecutor>();
        var store = host.Get<IScanRunStore>();
        var scanning = Guid.NewGuid();
        var queued = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", scanning);
        await host.PutRunAsync(ds, "scan1", queued);

        // Queued: both phases canceled, nothing ran.
        Assert.Equal(HttpStatusCode.Accepted, await host.CancelAsync(ds, "scan1", queued));
        var (_, q) = await host.GetRunAsync(ds, "scan1", queued);
        Assert.Equal("Canceled", q.GetProperty("status").GetString());
        Assert.Equal("Cancelled", q.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString());
        Assert.Equal("Canceled", q.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString());

        // Scanning: one page discovered, then canceled (the legacy "/:cancel" form).
        var stored = (await store.GetAsync(new ScanRunId(scanning), default))!;
        await executor.StepAsync(stored, default);
        var legacy = await host.Admin.PostAsync(new Uri($"{ScanRunHost.RunsPath(ds, "scan0")}/{scanning}/:cancel", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, legacy.StatusCode);
        var (_, s) = await host.GetRunAsync(ds, "scan0", scanning);
        Assert.Equal("Canceled", s.GetProperty("status").GetString());
        Assert.Equal("Cancelled", s.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString());
        Assert.Equal(1000, s.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());

        // Ingesting: the scan phase completed, ingestion canceled part way.
        var ingesting = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan2", ingesting);
        await host.DrainAsync(); // the canceled runs' stale messages are dropped; runs scan2 to the end unless we stop it
        var (_, done) = await host.GetRunAsync(ds, "scan2", ingesting);
        Assert.Equal("Succeeded", done.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, await host.CancelAsync(ds, "scan2", ingesting));

        var ingesting2 = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan2", ingesting2);
        for (var i = 0; i < 20; i++)
        {
            var current = (await store.GetAsync(new ScanRunId(ingesting2), default))!;
            if (current.Run.Ingestion.Status == IngestionPhaseStatus.InProgress && current.Checkpoint.PagesIngested == 1)
            {
                break;
            }

            await executor.StepAsync(current, default);
        }

        Assert.Equal(HttpStatusCode.Accepted, await host.CancelAsync(ds, "scan2", ingesting2));
        var (_, c) = await host.GetRunAsync(ds, "scan2", ingesting2);
        Assert.Equal("Canceled", c.GetProperty("status").GetString());
        Assert.Equal("Succeeded", c.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString());
        Assert.Equal("Canceled", c.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString());
        Assert.Equal(1000, c.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());

        await host.DrainAsync();
        var summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d");
        Assert.Equal(3, summary.GetProperty("totals").GetProperty("canceled").GetInt64());
        Assert.Equal(1, summary.GetProperty("totals").GetProperty("succeeded").GetInt64());
        Assert.Equal(4, summary.GetProperty("totals").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_worker_killed_after_its_staging_or_data_map_write_is_finished_by_another_with_exact_counts()
    {
        var (host, ds) = await HostWithBlobsAsync(2300);
        await using var _ = host;
        var store = host.Get<IScanRunStore>();
        var healthy = host.Get<ScanRunStepExecutor>();
        var sp = host.Host.Services;
        // A second "instance" whose writes land and who then dies before advancing the run.
        var dying = ExecutorWithPorts.Create(sp, store, host.Registry, new DieAfter<IStagingStore>(sp.GetRequiredService<IStagingStore>()).Staging, new DieAfterSink(sp.GetRequiredService<IAssetSink>()), sp.GetRequiredService<IRunDriver>());
        var id = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", id);

        var crashes = 0;
        for (var i = 0; i < 40; i++)
        {
            var current = (await store.GetAsync(new ScanRunId(id), default))!;
            if (current.Run.IsFinal)
            {
                break;
            }

            var step = ScanRunStepPlanner.Next(current.Run, current.Checkpoint, DateTimeOffset.UtcNow);
            if (step is ScanRunStepKind.DiscoverPage or ScanRunStepKind.IngestPage)
            {
                // Every page is first attempted by the dying worker, then redone by a healthy one from the same state.
                await Assert.ThrowsAsync<WorkerDiedException>(() => dying.StepAsync(current, default));
                crashes++;
                current = (await store.GetAsync(new ScanRunId(id), default))!;
            }

            await healthy.StepAsync(current, default);
        }

        Assert.Equal(6, crashes); // 3 discovery pages + 3 ingestion pages
        var (_, run) = await host.GetRunAsync(ds, "scan0", id);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(2300, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        Assert.Equal(2300, run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());
    }

    [Fact]
    public async Task An_activity_that_fails_after_committing_steps_returns_its_progress_and_the_run_finishes_with_exact_counts()
    {
        var (host, ds) = await HostWithBlobsAsync(2300);
        await using var _ = host;
        var store = host.Get<IScanRunStore>();
        var sp = host.Host.Services;
        var flaky = ExecutorWithPorts.Create(sp, store, host.Registry, sp.GetRequiredService<IStagingStore>(), new FailSecondCallSink(sp.GetRequiredService<IAssetSink>()), sp.GetRequiredService<IRunDriver>());
        var id = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", id);
        var started = (await store.GetAsync(new ScanRunId(id), default))!;

        // One activity discovers all 3 pages and ingests until the data map refuses once: what it committed stands and
        // it returns instead of throwing, so the engine's retries are kept for a step that fails from the start.
        var outcome = await flaky.RunAsync(started, default);
        Assert.Equal(StepOutcomeKind.Done, outcome.Kind);
        var halfway = (await store.GetAsync(new ScanRunId(id), default))!;
        Assert.Equal(halfway.Sequence, outcome.NextSequence);
        Assert.Equal(3, halfway.Checkpoint.PagesStaged);
        Assert.InRange(halfway.Checkpoint.PagesIngested, 0, 2);
        Assert.False(halfway.Run.IsFinal);

        // The next activity goes on from there.
        await host.DrainAsync();
        var (_, run) = await host.GetRunAsync(ds, "scan0", id);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(2300, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        Assert.Equal(2300, run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());
    }

    [Fact]
    public async Task An_activity_whose_first_step_fails_throws_so_that_the_engine_retries_it()
    {
        var (host, ds) = await HostWithBlobsAsync(10);
        await using var _ = host;
        var store = host.Get<IScanRunStore>();
        var sp = host.Host.Services;
        var dying = ExecutorWithPorts.Create(sp, store, host.Registry, new DieAfter<IStagingStore>(sp.GetRequiredService<IStagingStore>()).Staging, sp.GetRequiredService<IAssetSink>(), sp.GetRequiredService<IRunDriver>());
        var id = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", id);
        var started = (await store.GetAsync(new ScanRunId(id), default))!;

        await Assert.ThrowsAsync<WorkerDiedException>(() => dying.RunAsync(started, default));
        var after = (await store.GetAsync(new ScanRunId(id), default))!;
        Assert.Equal(started.Sequence, after.Sequence);
        Assert.Equal(0, after.Run.Scan.AssetsDiscovered);
    }

    [Fact]
    public async Task The_same_activity_run_twice_or_at_once_does_not_count_twice()
    {
        var (host, ds) = await HostWithBlobsAsync(1200);
        await using var _ = host;
        var executor = host.Get<ScanRunStepExecutor>();
        var store = host.Get<IScanRunStore>();
        var id = Guid.NewGuid();
        await host.PutRunAsync(ds, "scan0", id);
        var stored = (await store.GetAsync(new ScanRunId(id), default))!;

        // One step per activity first, so the repeated activity (an engine retry after a lost result) starts from a
        // state that has moved on: its write loses on the ETag and it counts nothing.
        var options = host.Get<ScanRunExecutionOptions>();
        var stepsPerActivity = options.StepsPerActivity;
        options.StepsPerActivity = 1;
        var first = await executor.RunAsync(stored, default);
        var again = await executor.RunAsync(stored, default);
        Assert.Equal(StepOutcomeKind.Done, first.Kind);
        Assert.Equal(StepOutcomeKind.Stale, again.Kind);
        var afterOne = (await store.GetAsync(new ScanRunId(id), default))!;
        Assert.Equal(1000, afterOne.Run.Scan.AssetsDiscovered);

        // Two hosts run the same activity at the same time and each goes on with several steps: at every step one
        // advances and the other loses on the ETag and stops; between them they finish the run.
        options.StepsPerActivity = stepsPerActivity;
        var both = await Task.WhenAll(executor.RunAsync(afterOne, default), executor.RunAsync(afterOne, default));
        Assert.Contains(both, o => o.Kind == StepOutcomeKind.Finished);
        Assert.Contains(both, o => o.Kind == StepOutcomeKind.Stale);

        await host.DrainAsync();
        var (_, run) = await host.GetRunAsync(ds, "scan0", id);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(1200, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        Assert.Equal(1200, run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());
        var summary = await host.GetJsonAsync("/monitoring/scanruns/summary?period=7d");
        Assert.Equal(1, summary.GetProperty("totals").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_run_no_orchestration_carries_is_handed_on_by_the_repair_job_once_per_lease()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var container = UniqueName.Container("x");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, 5);
        var registry = new InMemoryScanRegistry().AddDataSource("repair", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
            .AddScan("repair", "scan0", filter: new ScanFilter([prefix], []));
        await using var host = new ScanRunHost(azurite, registry, time: time);
        var repair = host.Get<ScanRunRepairJob>();
        var driver = new RecordingDriver();
        var id = Guid.NewGuid();
        // The host drives nothing (no engine): the run is written and admitted, and then nobody carries it - as after a
        // crash between the write and the start of its orchestration.
        await host.PutRunAsync(ds: "repair", scan: "scan0", runId: id);

        Assert.Equal(0, await repair.RepairAsync(driver, default)); // freshly written: within its lease
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await repair.RepairAsync(driver, default));
        Assert.Equal(0, await repair.RepairAsync(driver, default)); // just woken: not again within the lease
        Assert.Equal([id], driver.Woken);

        // Driven to its end, it leaves the active index; a repair finds nothing to do any more.
        await host.DrainAsync();
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(0, await repair.RepairAsync(driver, default));
        var (_, run) = await host.GetRunAsync("repair", "scan0", id);
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal("scanrun-repair", repair.Name);
        Assert.Equal(ScanRunRepairJob.Cron, repair.Schedule);
    }

    [Fact]
    public async Task A_due_schedule_starts_one_run_even_with_two_hosts_ticking()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 59, 30, TimeSpan.Zero));
        var registry = new InMemoryScanRegistry()
            .AddDataSource("sched", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
            .AddScan("sched", "hourly")
            .AddTrigger(new ScanTriggerDefinition("sched", "hourly", "Hour", 1, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), null, ScanLevel.Incremental, default, default));
        var prefix = "s" + Guid.NewGuid().ToString("N")[..8];
        await using var one = new ScanRunHost(azurite, registry, time: time, prefix: prefix);
        await using var two = new ScanRunHost(azurite, registry, time: time, prefix: prefix);
        _ = one.Host.Client(null);
        _ = two.Host.Client(null);

        // 09:59:30: the 09:00 occurrence is older than the look-back; nothing is due.
        Assert.Empty(await one.Get<ScheduledRuns>().StartDueAsync(default));
        time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero));
        var started = await Task.WhenAll(one.Get<ScheduledRuns>().StartDueAsync(default), two.Get<ScheduledRuns>().StartDueAsync(default));
        time.SetUtcNow(new DateTimeOffset(2026, 11, 2, 10, 1, 0, TimeSpan.Zero));
        var later = await one.Get<ScheduledRuns>().StartDueAsync(default);

        Assert.Equal(1, started.Sum(s => s.Count));
        Assert.Empty(later);
        var history = await one.GetJsonAsync(ScanRunHost.RunsPath("sched", "hourly"));
        var run = Assert.Single(history.GetProperty("value").EnumerateArray());
        Assert.Equal("Scheduled", run.GetProperty("runType").GetString());
        Assert.Equal("Incremental", run.GetProperty("scanLevelType").GetString());
    }

    [Fact]
    public async Task Responses_use_the_Purview_field_names_and_bad_input_is_answered_in_the_Purview_error_shape()
    {
        var (host, ds) = await HostWithBlobsAsync(3);
        await using var _ = host;
        var id = Guid.NewGuid();
        var (_, op) = await host.PutRunAsync(ds, "scan0", id);
        Assert.Equal(["scanResultId", "startTime", "endTime", "status", "error"], op.EnumerateObject().Select(p => p.Name));
        var (again, op2) = await host.PutRunAsync(ds, "scan0", id);
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.Equal(op.GetProperty("startTime").GetString(), op2.GetProperty("startTime").GetString());

        await host.DrainAsync();
        var (_, run) = await host.GetRunAsync(ds, "scan0", id);
        string[] expected = ["id", "parentId", "resourceId", "status", "startTime", "endTime", "scanRulesetVersion", "scanRulesetType", "scanLevelType", "runType",
            "dataSourceType", "errorMessage", "error", "diagnostics", "discoveryExecutionDetails", "ingestionExecutionDetails"];
        var names = run.EnumerateObject().Select(p => p.Name).ToList();
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.Equal("System", run.GetProperty("scanRulesetType").GetString()); // the scan's System rule set, kept with the run
        Assert.Equal(["discoveryStartTime", "discoveryEndTime", "status", "statistics", "isErrorLogAvailable"], run.GetProperty("discoveryExecutionDetails").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["discovered", "classified", "failed"], run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["ingestionStartTime", "ingestionEndTime", "status", "statistics", "estimatedTimeRemainingInSeconds", "isErrorLogAvailable", "lastUpdatedAt"],
            run.GetProperty("ingestionExecutionDetails").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["succeeded", "failed", "processing"], run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("relationships").EnumerateObject().Select(p => p.Name));

        var list = await host.GetJsonAsync(ScanRunHost.RunsPath(ds, "scan0") + "?$top=1");
        Assert.Equal(["value", "count", "nextLink"], list.EnumerateObject().Select(p => p.Name).OrderBy(n => n == "value" ? 0 : n == "count" ? 1 : 2));

        // A skip token of white space (base64 ignores it and decodes to nothing) is refused, not a 500 (found by the fuzzer).
        foreach (var token in new[] { "%09%0D%0A", "%20", "bm90LWlzc3VlZA" })
        {
            var badToken = await host.Admin.GetAsync(new Uri($"{ScanRunHost.RunsPath(ds, "scan0")}?$skipToken={token}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
            Assert.Contains("$skipToken", await badToken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var badId = await host.Admin.PutAsync(new Uri($"{ScanRunHost.RunsPath(ds, "scan0")}/not-a-guid", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Equal("InvalidInput", (await ScanRunHost.ReadJsonAsync(badId)).GetProperty("error").GetProperty("code").GetString());
        var (unknown, _) = await host.PutRunAsync(ds, "nosuchscan", Guid.NewGuid());
        Assert.Equal(HttpStatusCode.NotFound, unknown);

        var csv = await host.Admin.GetAsync(new Uri($"{ScanRunHost.RunsPath(ds, "scan0")}/{id}/exceptions", UriKind.Relative));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("TimeStamp,ErrorCode,OperationItem,Message", await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var badPeriod = await host.Admin.GetAsync(new Uri("/monitoring/scanruns/summary?period=90d", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
        Assert.Contains("period", await badPeriod.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badGranularity = await host.Admin.GetAsync(new Uri("/monitoring/scanruns/summary?granularity=hour", UriKind.Relative));
        Assert.Contains("granularity", await badGranularity.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class WorkerDiedException : Exception
    {
        public WorkerDiedException()
            : base("The worker died right after its write.")
        {
        }
    }

    private sealed class DieAfter<T>(IStagingStore inner)
    {
        public IStagingStore Staging { get; } = new Dying(inner);

        private sealed class Dying(IStagingStore inner) : IStagingStore
        {
            public async Task WritePageAsync(ScanRunId runId, int page, StagedPage content, CancellationToken cancellationToken)
            {
                await inner.WritePageAsync(runId, page, content, cancellationToken);
                throw new WorkerDiedException();
            }

            public Task<StagedPage> ReadPageAsync(ScanRunId runId, int page, CancellationToken cancellationToken) => inner.ReadPageAsync(runId, page, cancellationToken);

            public Task DeletePagesAsync(ScanRunId runId, int pageCount, CancellationToken cancellationToken) => inner.DeletePagesAsync(runId, pageCount, cancellationToken);
        }
    }

    private sealed class RecordingDriver : IRunDriver
    {
        public List<Guid> Woken { get; } = [];

        public Task WakeAsync(ScanRunId runId, CancellationToken cancellationToken)
        {
            Woken.Add(runId.Value);
            return Task.CompletedTask;
        }
    }

    private sealed class FailSecondCallSink(IAssetSink inner) : IAssetSink
    {
        private int _calls;

        public Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 2 ? Task.FromException<IngestResult>(new WorkerDiedException()) : inner.UpsertAsync(dataSourceName, collectionName, runId, assets, cancellationToken);

        public Task<IngestResult> UpsertRelationshipsAsync(string dataSourceName, string collectionName, ScanRunId runId, StagedPage page, CancellationToken cancellationToken) =>
            inner.UpsertRelationshipsAsync(dataSourceName, collectionName, runId, page, cancellationToken);
    }

    private sealed class DieAfterSink(IAssetSink inner) : IAssetSink
    {
        public async Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
        {
            await inner.UpsertAsync(dataSourceName, collectionName, runId, assets, cancellationToken);
            throw new WorkerDiedException();
        }

        public async Task<IngestResult> UpsertRelationshipsAsync(string dataSourceName, string collectionName, ScanRunId runId, StagedPage page, CancellationToken cancellationToken)
        {
            await inner.UpsertRelationshipsAsync(dataSourceName, collectionName, runId, page, cancellationToken);
            throw new WorkerDiedException();
        }
    }
}
