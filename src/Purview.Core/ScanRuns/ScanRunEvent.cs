namespace Purview.Core.ScanRuns;

public enum ScanRunEventKind
{
    Created,
    Queued,
    Throttled,
    Started,
    DiscoveryRecorded,
    ClassificationRecorded,
    ScanCompleted,
    IngestionStarted,
    IngestionRecorded,
    IngestionCompleted,
    ScanFailed,
    IngestionFailed,
    Canceled,
    TimedOut,
}

/// <summary>
/// What one accepted transition did, for the audit trail and for monitoring counters: a counter store
/// decrements <see cref="FromStatus"/>'s bucket and increments <see cref="ToStatus"/>'s.
/// Events are handed back with the transition rather than kept on the run, so a run's size does not
/// grow with every progress report; the caller stores the run and its event together.
/// </summary>
public sealed record ScanRunEvent(
    ScanRunId RunId,
    long Version,
    ScanRunEventKind Kind,
    DateTimeOffset At,
    ScanRunStatus? FromStatus,
    ScanRunStatus ToStatus,
    string? Details)
{
    /// <summary>Null <see cref="FromStatus"/> means the run was just created.</summary>
    public bool ChangesStatus => FromStatus != ToStatus;
}
