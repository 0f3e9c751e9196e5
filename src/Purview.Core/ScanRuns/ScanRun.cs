namespace Purview.Core.ScanRuns;

/// <summary>
/// One run of a scan. Immutable: every change goes through <see cref="ScanRunLifecycle"/>, which
/// returns a new run with <see cref="Version"/> one higher.
/// </summary>
public sealed record ScanRun
{
    /// <summary>The longest a run may live, counted from creation.</summary>
    public static readonly TimeSpan MaxRunDuration = TimeSpan.FromDays(7);

    public required ScanRunId Id { get; init; }

    public required string DataSourceName { get; init; }

    public required string ScanName { get; init; }

    public required string CollectionName { get; init; }

    /// <summary>The data source kind (AzureStorage, AdlsGen2, AzureSqlDatabase, ...).</summary>
    public required string SourceKind { get; init; }

    public required string IntegrationRuntimeName { get; init; }

    public required ScanLevel Level { get; init; }

    public required ScanTrigger Trigger { get; init; }

    /// <summary>The scan rule set the scan named when the run was created (null in runs stored before it was kept).</summary>
    public string? ScanRulesetName { get; init; }

    public ScanRulesetType? ScanRulesetType { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required ScanPhase Scan { get; init; }

    public required IngestionPhase Ingestion { get; init; }

    /// <summary>Closed intervals spent Queued; the open one, if any, starts at <see cref="WaitingSince"/>.</summary>
    public TimeSpan TimeQueued { get; init; }

    /// <summary>Closed intervals spent Throttled; the open one, if any, starts at <see cref="WaitingSince"/>.</summary>
    public TimeSpan TimeThrottled { get; init; }

    /// <summary>When the scan phase entered its current Queued/Throttled status; null once admitted.</summary>
    public DateTimeOffset? WaitingSince { get; init; }

    public DateTimeOffset? CancelRequestedAt { get; init; }

    /// <summary>When the run reached a final status.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Time of the last accepted transition; later transitions never go back before it.</summary>
    public required DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>1 at creation, +1 per accepted transition; the optimistic-concurrency token for storage.</summary>
    public long Version { get; init; } = 1;

    public ScanRunStatus Status => StatusOf(Scan.Status, Ingestion.Status);

    public bool IsFinal => Status is ScanRunStatus.Succeeded or ScanRunStatus.Failed or ScanRunStatus.Canceled;

    public bool IsCancelRequested => CancelRequestedAt is not null;

    /// <summary>Waiting for admission (scan phase Queued or Throttled).</summary>
    public bool IsWaiting => Scan.IsWaiting;

    /// <summary>Counts toward the account's concurrent-run limit: admitted and not yet final.</summary>
    public bool IsActive => !IsWaiting && !IsFinal;

    /// <summary>Occupies an integration-runtime slot: only the scan phase runs on the runtime.</summary>
    public bool HoldsRuntimeSlot => Scan.Status == ScanPhaseStatus.InProgress;

    /// <summary>The error of whichever phase failed.</summary>
    public ScanRunError? Error => Scan.Error ?? Ingestion.Error;

    /// <summary>Creation to end; null while the run is not final.</summary>
    public TimeSpan? Duration => EndTime is { } end ? end - CreatedAt : null;

    public TimeSpan TimeQueuedAt(DateTimeOffset now) =>
        TimeQueued + OpenWait(ScanPhaseStatus.Queued, now);

    public TimeSpan TimeThrottledAt(DateTimeOffset now) =>
        TimeThrottled + OpenWait(ScanPhaseStatus.Throttled, now);

    /// <summary>
    /// Time the run was doing work: the scan phase's running time plus the ingestion phase's.
    /// It leaves out every wait: Queued and Throttled before admission, and the ingestion Queued
    /// gap between the phases (also a wait for service capacity). For a final run <paramref name="now"/>
    /// does not matter.
    /// </summary>
    public TimeSpan BillableDurationAt(DateTimeOffset now) =>
        Scan.ActiveTimeAt(now) + Ingestion.ActiveTimeAt(now);

    /// <summary>
    /// The top-level status from the two phases. Partial ingestion is Succeeded: the run finished and
    /// populated the data map; item failures are reported by the ingestion status (PartialSucceeded)
    /// and the exception log. Monitoring counts runs as succeeded/failed/canceled only, and the API's
    /// OperationResponse vocabulary has no partial value, so a run that ingested almost everything is
    /// not counted with runs that ingested nothing.
    /// </summary>
    public static ScanRunStatus StatusOf(ScanPhaseStatus scan, IngestionPhaseStatus ingestion)
    {
        if (scan == ScanPhaseStatus.Canceled || ingestion == IngestionPhaseStatus.Canceled)
        {
            return ScanRunStatus.Canceled;
        }

        if (scan == ScanPhaseStatus.Failed || ingestion == IngestionPhaseStatus.Failed)
        {
            return ScanRunStatus.Failed;
        }

        if (ingestion is IngestionPhaseStatus.Completed or IngestionPhaseStatus.PartiallyCompleted)
        {
            return ScanRunStatus.Succeeded;
        }

        return scan is ScanPhaseStatus.Queued or ScanPhaseStatus.Throttled
            ? ScanRunStatus.Accepted
            : ScanRunStatus.InProgress;
    }

    private TimeSpan OpenWait(ScanPhaseStatus waitingIn, DateTimeOffset now) =>
        Scan.Status == waitingIn && WaitingSince is { } since && now > since ? now - since : TimeSpan.Zero;
}
