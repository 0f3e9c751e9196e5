namespace Purview.Core.ScanRuns;

/// <summary>One line of a run's exception log (the download's columns).</summary>
/// <param name="OperationItem">The asset or relationship the error concerns (e.g. its qualified name).</param>
public sealed record ScanRunException(DateTimeOffset TimeStamp, string ErrorCode, string OperationItem, string Message);
