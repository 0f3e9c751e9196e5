namespace Purview.Core.ScanRuns;

public enum TransitionOutcome
{
    /// <summary>The run changed: a new version and an event.</summary>
    Applied,

    /// <summary>Nothing to do and nothing wrong (e.g. canceling a canceled run); the run is returned as it was.</summary>
    Unchanged,

    /// <summary>The operation is not allowed; the run is returned as it was.</summary>
    Rejected,
}

public enum TransitionCode
{
    None,

    // Rejected
    IllegalTransition,
    RunIsFinal,
    InvalidArgument,

    // Unchanged
    AlreadyCanceled,
    AlreadyInStatus,
    NothingToRecord,
    WithinTimeLimit,
}

/// <summary>The outcome of a lifecycle operation: expected refusals are values, not exceptions.</summary>
public sealed record TransitionResult(
    TransitionOutcome Outcome,
    ScanRun Run,
    ScanRunEvent? Event,
    TransitionCode Code,
    string? Reason)
{
    public bool IsApplied => Outcome == TransitionOutcome.Applied;

    public bool IsRejected => Outcome == TransitionOutcome.Rejected;

    internal static TransitionResult Applied(ScanRun run, ScanRunEvent evt) =>
        new(TransitionOutcome.Applied, run, evt, TransitionCode.None, null);

    internal static TransitionResult Unchanged(ScanRun run, TransitionCode code, string reason) =>
        new(TransitionOutcome.Unchanged, run, null, code, reason);

    internal static TransitionResult Rejected(ScanRun run, TransitionCode code, string reason) =>
        new(TransitionOutcome.Rejected, run, null, code, reason);
}
