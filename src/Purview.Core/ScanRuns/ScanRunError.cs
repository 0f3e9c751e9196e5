namespace Purview.Core.ScanRuns;

/// <summary>The "More info" of a failed phase; the API's <c>error {code, message}</c>.</summary>
public sealed record ScanRunError(string Code, string Message);

public static class ScanRunErrorCodes
{
    /// <summary>The run outlived the longest allowed run (7 days from creation).</summary>
    public const string Timeout = "ScanRunTimeout";

    /// <summary>Ingestion attempted items and every one of them failed.</summary>
    public const string IngestionFailed = "IngestionFailed";
}
