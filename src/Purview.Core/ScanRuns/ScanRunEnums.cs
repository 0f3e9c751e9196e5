namespace Purview.Core.ScanRuns;

public enum ScanLevel
{
    Full,
    Incremental,
}

/// <summary>What started the run (the API's <c>runType</c>; the portal calls it scan type).</summary>
public enum ScanTrigger
{
    Manual,
    Scheduled,
}

/// <summary>The scan (discovery) phase, in the portal's words.</summary>
public enum ScanPhaseStatus
{
    /// <summary>Waiting for a free integration-runtime slot. Not billed.</summary>
    Queued,

    /// <summary>Waiting because the account is at its concurrent-run limit. Not billed.</summary>
    Throttled,
    InProgress,
    Completed,
    Failed,
    Canceled,
}

/// <summary>The ingestion phase, in the portal's words.</summary>
public enum IngestionPhaseStatus
{
    /// <summary>Waiting for the scan phase or for service capacity.</summary>
    Queued,
    InProgress,
    Completed,

    /// <summary>Some assets or relationships failed, some were ingested.</summary>
    PartiallyCompleted,
    Failed,
    Canceled,

    /// <summary>
    /// The scan phase failed, so ingestion never ran. Neither Failed (nothing was ingested or rejected)
    /// nor Canceled (nobody canceled) would be true; the API's ingestion vocabulary says <c>None</c>.
    /// </summary>
    NotStarted,
}

/// <summary>A run's top-level status, in the API's OperationResponse vocabulary.</summary>
public enum ScanRunStatus
{
    /// <summary>Created, waiting for admission (scan phase Queued or Throttled).</summary>
    Accepted,
    InProgress,

    /// <summary>
    /// Part of the API vocabulary but never produced by the lifecycle: transient errors are retried
    /// by the runner inside a phase and only a phase's final outcome reaches the run.
    /// </summary>
    TransientFailure,
    Succeeded,
    Failed,
    Canceled,
}
