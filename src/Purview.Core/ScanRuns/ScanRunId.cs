using Purview.Core.Common;

namespace Purview.Core.ScanRuns;

/// <summary>The GUID a client chose for a run; typed so it cannot be swapped with other GUIDs.</summary>
public readonly record struct ScanRunId(Guid Value)
{
    /// <summary>Version 7 so that ids created by the scheduler sort by creation time.</summary>
    public static ScanRunId New(DateTimeOffset now) => new(Guid.CreateVersion7(now));

    public static bool TryParse(string? value, out ScanRunId id)
    {
        var ok = Names.TryParseRunId(value, out var guid);
        id = new ScanRunId(guid);
        return ok;
    }

    public override string ToString() => Value.ToString("D");
}
