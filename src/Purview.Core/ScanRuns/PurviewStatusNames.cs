namespace Purview.Core.ScanRuns;

/// <summary>
/// The portal's status words mapped onto the Scanning API's enum strings (spelled as in the 2023-09-01
/// spec: discovery says "Cancelled", ingestion and the run say "Canceled").
/// </summary>
public static class PurviewStatusNames
{
    /// <summary><c>discoveryExecutionDetails.status</c>.</summary>
    public static string Discovery(ScanPhaseStatus status) => status switch
    {
        ScanPhaseStatus.Queued => "Queued",
        ScanPhaseStatus.Throttled => "Throttled",
        ScanPhaseStatus.InProgress => "Running",
        ScanPhaseStatus.Completed => "Succeeded",
        ScanPhaseStatus.Failed => "Failed",
        ScanPhaseStatus.Canceled => "Cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary><c>ingestionExecutionDetails.status</c>.</summary>
    public static string Ingestion(IngestionPhaseStatus status) => status switch
    {
        IngestionPhaseStatus.Queued => "Queued",
        IngestionPhaseStatus.InProgress => "InProgress",
        IngestionPhaseStatus.Completed => "Succeeded",
        IngestionPhaseStatus.PartiallyCompleted => "PartialSucceeded",
        IngestionPhaseStatus.Failed => "Failed",
        IngestionPhaseStatus.Canceled => "Canceled",
        IngestionPhaseStatus.NotStarted => "None",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The run's top-level <c>status</c> (OperationResponse vocabulary).</summary>
    public static string Operation(ScanRunStatus status) => status switch
    {
        ScanRunStatus.Accepted => "Accepted",
        ScanRunStatus.InProgress => "InProgress",
        ScanRunStatus.TransientFailure => "TransientFailure",
        ScanRunStatus.Succeeded => "Succeeded",
        ScanRunStatus.Failed => "Failed",
        ScanRunStatus.Canceled => "Canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
