using System.Diagnostics;
using System.Diagnostics.Metrics;
using Purview.Core.ScanRuns;

namespace Purview.Core.Telemetry;

/// <summary>
/// The application's one ActivitySource and one Meter ("Purview.Monitor") with every instrument it records
/// (docs/OPERATIONS.md lists them). Code emits through System.Diagnostics only: with no listener (no OpenTelemetry SDK
/// registered, <c>Telemetry:Exporter=none</c>) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> returns null
/// and instruments without a listener drop their measurements, so the cost off is a branch per call site.
/// </summary>
public static class PurviewTelemetry
{
    public const string Name = "Purview.Monitor";

    public static ActivitySource Source { get; } = new(Name, "1.0.0");

    public static Meter Meter { get; } = new(Name, "1.0.0");

    // Scan runs.
    public static Counter<long> ScanRunsCompleted { get; } = Meter.CreateCounter<long>("purview.scan_runs.completed", "{run}", "Scan runs that reached a final status, by status and source kind.");
    public static Histogram<double> ScanRunPhaseDuration { get; } = Meter.CreateHistogram<double>("purview.scan_run.phase.duration", "s", "Duration of a scan run's scan or ingestion phase when it ends.");
    public static Histogram<double> ScanRunStepDuration { get; } = Meter.CreateHistogram<double>("purview.scan_run.step.duration", "s", "Duration of one scan-run step (admit, discover page, ingest page, transitions).");
    public static Histogram<double> ScanRunAdmissionWait { get; } = Meter.CreateHistogram<double>("purview.scan_run.admission.wait", "s", "Time a scan run waited (queued or throttled) before its scan phase started.");

    // Links.
    public static Counter<long> LinkEvents { get; } = Meter.CreateCounter<long>("purview.links.events", "{event}", "Lineage events pushed by links, by source type and outcome (accepted, duplicate, rejected).");

    // Connectors.
    public static Counter<long> ImportItems { get; } = Meter.CreateCounter<long>("purview.connectors.import.items", "{item}", "Imported item copies by outcome (imported, partial, skipped, failed).");
    public static Counter<long> AdminLogsGenerated { get; } = Meter.CreateCounter<long>("purview.connectors.admin_logs.generated", "{log}", "Admin logs written, by result (written, invariant_violations, auditing_disabled).");
    public static Histogram<double> AdminLogDuration { get; } = Meter.CreateHistogram<double>("purview.connectors.admin_log.duration", "s", "Time to generate one connector's admin log.");

    // Storage.
    public static Counter<long> StorageRequests { get; } = Meter.CreateCounter<long>("purview.storage.requests", "{request}", "Storage request attempts, by service and status code (0: no response).");
    public static Counter<long> StorageRetries { get; } = Meter.CreateCounter<long>("purview.storage.retries", "{attempt}", "Storage request attempts after the first (retries), by service.");
    public static Counter<long> StorageThrottled { get; } = Meter.CreateCounter<long>("purview.storage.throttled", "{response}", "Storage answers asking to slow down (429, 503), by service.");

    // Jobs and alerts.
    public static Counter<long> JobRuns { get; } = Meter.CreateCounter<long>("purview.jobs.runs", "{run}", "Scheduled job occurrences run, by job and outcome.");
    public static Histogram<double> JobDuration { get; } = Meter.CreateHistogram<double>("purview.job.duration", "s", "Duration of one scheduled job occurrence.");
    public static Counter<long> AlertTransitions { get; } = Meter.CreateCounter<long>("purview.alerts.transitions", "{transition}", "Alert rule transitions, by rule kind and new state (firing, resolved).");
    public static Counter<long> AlertDeliveries { get; } = Meter.CreateCounter<long>("purview.alerts.deliveries", "{attempt}", "Webhook delivery attempts, by outcome (delivered, retry, failed).");

    /// <summary>
    /// After a run's guarded write succeeded: records what the transition from <paramref name="before"/> to
    /// <paramref name="after"/> completed (a wait, a phase, the run). Called once per applied write, so a replayed or
    /// lost write records nothing.
    /// </summary>
    public static void RunSaved(ScanRun before, ScanRun after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Scan.StartTime is null && after.Scan.StartTime is { } started)
        {
            ScanRunAdmissionWait.Record(Math.Max(0, (started - after.CreatedAt).TotalSeconds), new KeyValuePair<string, object?>("source_kind", after.SourceKind));
        }

        if (!before.Scan.IsFinal && after.Scan.IsFinal && after.Scan.Duration is { } scan)
        {
            ScanRunPhaseDuration.Record(scan.TotalSeconds, new("phase", "scan"), new("status", after.Scan.Status.ToString()));
        }

        if (!before.Ingestion.IsFinal && after.Ingestion.IsFinal && after.Ingestion.Duration is { } ingestion)
        {
            ScanRunPhaseDuration.Record(ingestion.TotalSeconds, new("phase", "ingestion"), new("status", after.Ingestion.Status.ToString()));
        }

        if (!before.IsFinal && after.IsFinal)
        {
            ScanRunsCompleted.Add(1, new("status", after.Status.ToString()), new("source_kind", after.SourceKind));
        }
    }

    /// <summary>An activity and the job metrics around one occurrence of a scheduled job (both hosts' timers call this).</summary>
    public static async Task TraceJobAsync(string job, DateTimeOffset occurrence, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var activity = Source.StartActivity("job " + job, ActivityKind.Internal);
        activity?.SetTag("purview.job", job);
        activity?.SetTag("purview.job.occurrence", occurrence.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var start = Stopwatch.GetTimestamp();
        var outcome = "succeeded";
        try
        {
            await run();
        }
        catch (Exception ex)
        {
            outcome = ex is OperationCanceledException ? "canceled" : "failed";
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
        finally
        {
            JobRuns.Add(1, new("job", job), new("outcome", outcome));
            JobDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, new KeyValuePair<string, object?>("job", job));
        }
    }
}

/// <summary>The activity and duration of one scan-run step (the executor's one wrapping point, shared by both engines).</summary>
public readonly struct StepTrace : IDisposable
{
    private readonly Activity? _activity;
    private readonly long _start;
    private readonly string _step;
    private readonly bool _started;

    private StepTrace(Activity? activity, string step)
    {
        _activity = activity;
        _step = step;
        _start = Stopwatch.GetTimestamp();
        _started = true;
    }

    public static StepTrace Start(ScanRun run, ScanRuns.Execution.ScanRunStepKind step)
    {
        ArgumentNullException.ThrowIfNull(run);
        var name = step.ToString();
        var activity = PurviewTelemetry.Source.StartActivity("scan_run.step " + name, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("purview.scan_run.id", run.Id.Value.ToString("D"));
            activity.SetTag("purview.scan_run.step", name);
            activity.SetTag("purview.data_source", run.DataSourceName);
            activity.SetTag("purview.scan", run.ScanName);
            activity.SetTag("purview.source_kind", run.SourceKind);
        }

        return new StepTrace(activity, name);
    }

    public void Done(ScanRuns.Execution.StepOutcomeKind outcome) => _activity?.SetTag("purview.scan_run.step.outcome", outcome.ToString());

    public void Dispose()
    {
        if (!_started)
        {
            return;
        }

        // A step that threw leaves no outcome tag: the activity is marked failed so the trace shows where a run broke.
        if (_activity is not null && _activity.GetTagItem("purview.scan_run.step.outcome") is null)
        {
            _activity.SetStatus(ActivityStatusCode.Error);
        }

        PurviewTelemetry.ScanRunStepDuration.Record(Stopwatch.GetElapsedTime(_start).TotalSeconds, new KeyValuePair<string, object?>("step", _step));
        _activity?.Dispose();
    }
}
