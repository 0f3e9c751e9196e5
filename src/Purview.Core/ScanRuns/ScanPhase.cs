namespace Purview.Core.ScanRuns;

/// <summary>The scan (discovery) phase: connect, enumerate, extract, classify a sample.</summary>
public sealed record ScanPhase(
    ScanPhaseStatus Status,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    long AssetsDiscovered,
    long AssetsClassified,
    ScanRunError? Error)
{
    public static ScanPhase Pending { get; } = new(ScanPhaseStatus.Queued, null, null, 0, 0, null);

    public bool IsWaiting => Status is ScanPhaseStatus.Queued or ScanPhaseStatus.Throttled;

    public bool IsFinal => Status is ScanPhaseStatus.Completed or ScanPhaseStatus.Failed or ScanPhaseStatus.Canceled;

    /// <summary>Null until the phase has both started and ended.</summary>
    public TimeSpan? Duration => StartTime is { } start && EndTime is { } end ? end - start : null;

    /// <summary>Time spent running so far; zero if the phase never started.</summary>
    public TimeSpan ActiveTimeAt(DateTimeOffset now) => PhaseTime.Active(StartTime, EndTime, now);
}

/// <summary>The ingestion phase: write discovered metadata and relationships into the data map.</summary>
public sealed record IngestionPhase(
    IngestionPhaseStatus Status,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    long AssetsIngested,
    long AssetsFailed,
    long RelationshipsIngested,
    long RelationshipsFailed,
    ScanRunError? Error)
{
    public static IngestionPhase Pending { get; } = new(IngestionPhaseStatus.Queued, null, null, 0, 0, 0, 0, null);

    public bool IsFinal => Status is IngestionPhaseStatus.Completed or IngestionPhaseStatus.PartiallyCompleted
        or IngestionPhaseStatus.Failed or IngestionPhaseStatus.Canceled or IngestionPhaseStatus.NotStarted;

    public long ItemsAttempted => AssetsIngested + AssetsFailed + RelationshipsIngested + RelationshipsFailed;

    public long ItemsFailed => AssetsFailed + RelationshipsFailed;

    public TimeSpan? Duration => StartTime is { } start && EndTime is { } end ? end - start : null;

    public TimeSpan ActiveTimeAt(DateTimeOffset now) => PhaseTime.Active(StartTime, EndTime, now);
}

internal static class PhaseTime
{
    public static TimeSpan Active(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now)
    {
        if (start is not { } s)
        {
            return TimeSpan.Zero;
        }

        var elapsed = (end ?? now) - s;
        return elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed;
    }
}
