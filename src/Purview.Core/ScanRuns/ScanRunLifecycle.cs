using System.Globalization;

namespace Purview.Core.ScanRuns;

/// <summary>
/// The scan-run state machine. Every operation is pure: it takes the run and the current time and
/// returns a new run (or the same run with a reason), so a queue-based runner and a Durable
/// orchestration replaying history reach the same states.
/// </summary>
/// <remarks>
/// Times are normalised to UTC and never go back before <see cref="ScanRun.LastUpdatedAt"/>: hosts whose
/// clocks disagree by a little must not produce negative phase durations.
/// </remarks>
public static class ScanRunLifecycle
{
    public static CreateScanRunResult Create(ScanRunId id, ScanRunDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = definition.Validate();
        if (id.Value == Guid.Empty)
        {
            errors = [.. errors, new Common.ValidationError("runId", "runId must be a non-empty GUID.")];
        }

        if (errors.Count > 0)
        {
            return new CreateScanRunResult(null, null, errors);
        }

        var at = now.ToUniversalTime();
        var run = new ScanRun
        {
            Id = id,
            DataSourceName = definition.DataSourceName,
            ScanName = definition.ScanName,
            CollectionName = definition.CollectionName,
            SourceKind = definition.SourceKind,
            IntegrationRuntimeName = definition.IntegrationRuntimeName,
            Level = definition.Level,
            Trigger = definition.Trigger,
            ScanRulesetName = definition.ScanRulesetName,
            ScanRulesetType = definition.ScanRulesetType,
            CreatedAt = at,
            Scan = ScanPhase.Pending,
            Ingestion = IngestionPhase.Pending,
            WaitingSince = at,
            LastUpdatedAt = at,
            Version = 1,
        };
        var evt = new ScanRunEvent(id, run.Version, ScanRunEventKind.Created, at, null, run.Status, null);
        return new CreateScanRunResult(run, evt, []);
    }

    /// <summary>Admission found no free integration-runtime slot.</summary>
    public static TransitionResult MarkQueued(this ScanRun run, DateTimeOffset now) =>
        MoveWait(run, ScanPhaseStatus.Queued, ScanRunEventKind.Queued, now);

    /// <summary>Admission found the account at its concurrent-run limit.</summary>
    public static TransitionResult MarkThrottled(this ScanRun run, DateTimeOffset now) =>
        MoveWait(run, ScanPhaseStatus.Throttled, ScanRunEventKind.Throttled, now);

    /// <summary>Admitted: the scan phase starts running on the integration runtime.</summary>
    public static TransitionResult Start(this ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Refuse(run, run.IsWaiting, "start the scan phase", "it is Queued or Throttled") is { } refused)
        {
            return refused;
        }

        var at = At(run, now);
        var next = CloseWait(run, at) with
        {
            Scan = run.Scan with { Status = ScanPhaseStatus.InProgress, StartTime = at },
        };
        return Applied(run, next, ScanRunEventKind.Started, at, null);
    }

    /// <summary>Applies an admission decision: Admitted starts, Throttled and Queued wait.</summary>
    public static TransitionResult Admit(this ScanRun run, AdmissionDecision decision, DateTimeOffset now) =>
        decision switch
        {
            AdmissionDecision.Admitted => run.Start(now),
            AdmissionDecision.Throttled => run.MarkThrottled(now),
            AdmissionDecision.Queued => run.MarkQueued(now),
            _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
        };

    public static TransitionResult RecordDiscovered(this ScanRun run, long count, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RefuseScanCount(run, count, "discovered") is { } refused)
        {
            return refused;
        }

        var at = At(run, now);
        var next = run with { Scan = run.Scan with { AssetsDiscovered = checked(run.Scan.AssetsDiscovered + count) } };
        return Applied(run, next, ScanRunEventKind.DiscoveryRecorded, at, Invariant($"+{count} discovered"));
    }

    /// <summary>Classified assets are a sample of the discovered ones, so their total never exceeds discovered.</summary>
    public static TransitionResult RecordClassified(this ScanRun run, long count, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RefuseScanCount(run, count, "classified") is { } refused)
        {
            return refused;
        }

        var classified = checked(run.Scan.AssetsClassified + count);
        if (classified > run.Scan.AssetsDiscovered)
        {
            return TransitionResult.Rejected(
                run,
                TransitionCode.InvalidArgument,
                Invariant($"Classified assets ({classified}) cannot exceed discovered assets ({run.Scan.AssetsDiscovered})."));
        }

        var at = At(run, now);
        var next = run with { Scan = run.Scan with { AssetsClassified = classified } };
        return Applied(run, next, ScanRunEventKind.ClassificationRecorded, at, Invariant($"+{count} classified"));
    }

    /// <summary>The scan phase succeeded; ingestion stays Queued until <see cref="StartIngestion"/>.</summary>
    public static TransitionResult CompleteScan(this ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RefuseUnlessScanning(run, "complete the scan phase") is { } refused)
        {
            return refused;
        }

        var at = At(run, now);
        var next = run with { Scan = run.Scan with { Status = ScanPhaseStatus.Completed, EndTime = at } };
        return Applied(run, next, ScanRunEventKind.ScanCompleted, at, null);
    }

    public static TransitionResult StartIngestion(this ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var allowed = run.Scan.Status == ScanPhaseStatus.Completed && run.Ingestion.Status == IngestionPhaseStatus.Queued;
        if (Refuse(run, allowed, "start ingestion", "the scan phase is Completed and ingestion is Queued") is { } refused)
        {
            return refused;
        }

        var at = At(run, now);
        var next = run with { Ingestion = run.Ingestion with { Status = IngestionPhaseStatus.InProgress, StartTime = at } };
        return Applied(run, next, ScanRunEventKind.IngestionStarted, at, null);
    }

    /// <summary>Adds one batch of ingestion results; all counts are additive.</summary>
    public static TransitionResult RecordIngested(
        this ScanRun run,
        long assetsIngested,
        long assetsFailed,
        long relationshipsIngested,
        long relationshipsFailed,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var negative = assetsIngested < 0 || assetsFailed < 0 || relationshipsIngested < 0 || relationshipsFailed < 0;
        var nothing = assetsIngested == 0 && assetsFailed == 0 && relationshipsIngested == 0 && relationshipsFailed == 0;
        if (RefuseCounts(run, RefuseUnlessIngesting(run, "record ingestion results"), negative, nothing, "Ingestion counts must not be negative.", "No ingestion results to add.") is { } refused)
        {
            return refused;
        }

        var at = At(run, now);
        var i = run.Ingestion;
        var next = run with
        {
            Ingestion = i with
            {
                AssetsIngested = checked(i.AssetsIngested + assetsIngested),
                AssetsFailed = checked(i.AssetsFailed + assetsFailed),
                RelationshipsIngested = checked(i.RelationshipsIngested + relationshipsIngested),
                RelationshipsFailed = checked(i.RelationshipsFailed + relationshipsFailed),
            },
        };
        var details = Invariant(
            $"assets +{assetsIngested} ok, +{assetsFailed} failed; relationships +{relationshipsIngested} ok, +{relationshipsFailed} failed");
        return Applied(run, next, ScanRunEventKind.IngestionRecorded, at, details);
    }

    /// <summary>
    /// Ends ingestion from what was recorded: nothing failed (including nothing to ingest, e.g. an
    /// incremental run with no changes) is Completed; some failed and some succeeded is
    /// PartiallyCompleted; everything attempted failed is Failed.
    /// </summary>
    public static TransitionResult CompleteIngestion(this ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RefuseUnlessIngesting(run, "complete ingestion") is { } refused)
        {
            return refused;
        }

        var at = At(run, now);
        var i = run.Ingestion;
        var (status, error) = (i.ItemsFailed, i.ItemsAttempted) switch
        {
            (0, _) => (IngestionPhaseStatus.Completed, (ScanRunError?)null),
            var (failed, attempted) when failed == attempted => (
                IngestionPhaseStatus.Failed,
                new ScanRunError(
                    ScanRunErrorCodes.IngestionFailed,
                    Invariant($"All {attempted} assets and relationships failed to ingest; see the exception log."))),
            _ => (IngestionPhaseStatus.PartiallyCompleted, null),
        };
        var next = run with
        {
            Ingestion = i with { Status = status, EndTime = at, Error = error },
            EndTime = at,
        };
        return Applied(run, next, ScanRunEventKind.IngestionCompleted, at, status.ToString());
    }

    /// <summary>
    /// The scan phase failed (also allowed before it started, e.g. the runtime is gone). Ingestion
    /// becomes NotStarted: it neither ran nor was canceled.
    /// </summary>
    public static TransitionResult FailScan(this ScanRun run, string code, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var allowed = run.IsWaiting || run.Scan.Status == ScanPhaseStatus.InProgress;
        if (Refuse(run, allowed, "fail the scan phase", "it is Queued, Throttled or In Progress") is { } refused)
        {
            return refused;
        }

        if (ValidateError(run, code, message) is { } invalid)
        {
            return invalid;
        }

        var at = At(run, now);
        return Applied(run, FailScanPhase(run, new ScanRunError(code, message), at), ScanRunEventKind.ScanFailed, at, code);
    }

    /// <summary>Ingestion failed as a whole (also allowed while it is still Queued after the scan phase).</summary>
    public static TransitionResult FailIngestion(this ScanRun run, string code, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Refuse(run, IsIngestionPending(run), "fail ingestion", "the scan phase is Completed and ingestion is Queued or In Progress") is { } refused)
        {
            return refused;
        }

        if (ValidateError(run, code, message) is { } invalid)
        {
            return invalid;
        }

        var at = At(run, now);
        return Applied(run, FailIngestionPhase(run, new ScanRunError(code, message), at), ScanRunEventKind.IngestionFailed, at, code);
    }

    /// <summary>
    /// Cancels a run that is not final. Before or during the scan phase both phases are canceled; after
    /// it, only ingestion (the completed scan phase stays Completed). Canceling a canceled run is
    /// Unchanged/AlreadyCanceled so that a retried cancel request succeeds; canceling a run that
    /// succeeded or failed is rejected.
    /// </summary>
    public static TransitionResult Cancel(this ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status == ScanRunStatus.Canceled)
        {
            return TransitionResult.Unchanged(run, TransitionCode.AlreadyCanceled, "The run is already canceled.");
        }

        if (run.IsFinal)
        {
            return FinalRejection(run);
        }

        var at = At(run, now);
        ScanRun next;
        if (run.Scan.Status == ScanPhaseStatus.Completed)
        {
            next = run with { Ingestion = run.Ingestion with { Status = IngestionPhaseStatus.Canceled, EndTime = EndIfStarted(run.Ingestion.StartTime, at) } };
        }
        else
        {
            next = CloseWait(run, at) with
            {
                Scan = run.Scan with { Status = ScanPhaseStatus.Canceled, EndTime = EndIfStarted(run.Scan.StartTime, at) },
                Ingestion = run.Ingestion with { Status = IngestionPhaseStatus.Canceled },
            };
        }

        next = next with { CancelRequestedAt = at, EndTime = at };
        return Applied(run, next, ScanRunEventKind.Canceled, at, null);
    }

    /// <summary>
    /// Fails a run that has lived longer than <see cref="ScanRun.MaxRunDuration"/> since creation. The
    /// phase that was pending fails with <see cref="ScanRunErrorCodes.Timeout"/>; the run ends at
    /// <paramref name="now"/>, the time it was actually stopped.
    /// </summary>
    public static TransitionResult CheckTimeout(this ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.IsFinal)
        {
            return TransitionResult.Unchanged(run, TransitionCode.RunIsFinal, "A final run cannot time out.");
        }

        var at = At(run, now);
        var deadline = run.CreatedAt + ScanRun.MaxRunDuration;
        if (at <= deadline)
        {
            return TransitionResult.Unchanged(run, TransitionCode.WithinTimeLimit, Invariant($"The run may continue until {deadline:O}."));
        }

        var error = new ScanRunError(
            ScanRunErrorCodes.Timeout,
            Invariant($"The scan run exceeded the maximum run duration of {ScanRun.MaxRunDuration.TotalDays:0} days (created {run.CreatedAt:O}, deadline {deadline:O}) and was stopped."));
        var next = IsIngestionPending(run) ? FailIngestionPhase(run, error, at) : FailScanPhase(run, error, at);
        return Applied(run, next, ScanRunEventKind.TimedOut, at, run.Scan.IsFinal ? "ingestion" : "scan");
    }

    private static TransitionResult MoveWait(ScanRun run, ScanPhaseStatus target, ScanRunEventKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (Refuse(run, run.IsWaiting, Invariant($"mark the run {target}"), "it is Queued or Throttled") is { } refused)
        {
            return refused;
        }

        if (run.Scan.Status == target)
        {
            return TransitionResult.Unchanged(run, TransitionCode.AlreadyInStatus, Invariant($"The run is already {target}."));
        }

        var at = At(run, now);
        var next = CloseWait(run, at) with { Scan = run.Scan with { Status = target }, WaitingSince = at };
        return Applied(run, next, kind, at, null);
    }

    private static ScanRun FailScanPhase(ScanRun run, ScanRunError error, DateTimeOffset at) =>
        CloseWait(run, at) with
        {
            Scan = run.Scan with { Status = ScanPhaseStatus.Failed, EndTime = EndIfStarted(run.Scan.StartTime, at), Error = error },
            Ingestion = run.Ingestion with { Status = IngestionPhaseStatus.NotStarted },
            EndTime = at,
        };

    private static ScanRun FailIngestionPhase(ScanRun run, ScanRunError error, DateTimeOffset at) =>
        run with
        {
            Ingestion = run.Ingestion with { Status = IngestionPhaseStatus.Failed, EndTime = EndIfStarted(run.Ingestion.StartTime, at), Error = error },
            EndTime = at,
        };

    private static bool IsIngestionPending(ScanRun run) =>
        run.Scan.Status == ScanPhaseStatus.Completed
        && run.Ingestion.Status is IngestionPhaseStatus.Queued or IngestionPhaseStatus.InProgress;

    // A phase that never started keeps no end time: it has no duration to report.
    private static DateTimeOffset? EndIfStarted(DateTimeOffset? start, DateTimeOffset at) => start is null ? null : at;

    private static ScanRun CloseWait(ScanRun run, DateTimeOffset at)
    {
        if (run.WaitingSince is not { } since)
        {
            return run;
        }

        var waited = at - since;
        return run.Scan.Status == ScanPhaseStatus.Throttled
            ? run with { TimeThrottled = run.TimeThrottled + waited, WaitingSince = null }
            : run with { TimeQueued = run.TimeQueued + waited, WaitingSince = null };
    }

    private static DateTimeOffset At(ScanRun run, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return utc < run.LastUpdatedAt ? run.LastUpdatedAt : utc;
    }

    private static TransitionResult Applied(ScanRun before, ScanRun after, ScanRunEventKind kind, DateTimeOffset at, string? details)
    {
        var next = after with { Version = before.Version + 1, LastUpdatedAt = at };
        var evt = new ScanRunEvent(next.Id, next.Version, kind, at, before.Status, next.Status, details);
        return TransitionResult.Applied(next, evt);
    }

    private static TransitionResult? Refuse(ScanRun run, bool allowed, string action, string requirement)
    {
        if (run.IsFinal)
        {
            return FinalRejection(run);
        }

        return allowed
            ? null
            : TransitionResult.Rejected(
                run,
                TransitionCode.IllegalTransition,
                Invariant($"Cannot {action}: scan phase is {run.Scan.Status} and ingestion is {run.Ingestion.Status}; allowed only when {requirement}."));
    }

    private static TransitionResult? RefuseUnlessScanning(ScanRun run, string action) =>
        Refuse(run, run.Scan.Status == ScanPhaseStatus.InProgress, action, "the scan phase is In Progress");

    private static TransitionResult? RefuseUnlessIngesting(ScanRun run, string action) =>
        Refuse(run, run.Ingestion.Status == IngestionPhaseStatus.InProgress, action, "ingestion is In Progress");

    /// <summary>
    /// The guards of every count a phase records: the phase's own refusal first (<paramref name="refused"/>), then a
    /// negative count is rejected (counts only add) and a call that adds nothing leaves the run unchanged, without an event.
    /// </summary>
    private static TransitionResult? RefuseCounts(ScanRun run, TransitionResult? refused, bool negative, bool nothing, string negativeMessage, string nothingMessage) =>
        refused
        ?? (negative ? TransitionResult.Rejected(run, TransitionCode.InvalidArgument, negativeMessage)
            : nothing ? TransitionResult.Unchanged(run, TransitionCode.NothingToRecord, nothingMessage)
            : null);

    private static TransitionResult? RefuseScanCount(ScanRun run, long count, string what) =>
        RefuseCounts(run, RefuseUnlessScanning(run, $"record {what} assets"), count < 0, count == 0, $"The {what} count must not be negative.", "No assets to add.");

    private static TransitionResult FinalRejection(ScanRun run) =>
        TransitionResult.Rejected(run, TransitionCode.RunIsFinal, Invariant($"The run is {run.Status}; a final run does not change."));

    private static TransitionResult? ValidateError(ScanRun run, string code, string message) =>
        string.IsNullOrWhiteSpace(code) || string.IsNullOrWhiteSpace(message)
            ? TransitionResult.Rejected(run, TransitionCode.InvalidArgument, "A failure needs an error code and a message.")
            : null;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
