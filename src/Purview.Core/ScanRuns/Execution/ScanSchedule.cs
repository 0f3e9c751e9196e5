using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Purview.Core.Registry;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// When a trigger is due (the registry's <see cref="TriggerSchedule"/>), and the id of the run it starts.
/// </summary>
public static class ScanSchedule
{
    /// <summary>The latest occurrence in (<paramref name="after"/>, <paramref name="upTo"/>], or null (the registry's recurrence rule).</summary>
    public static DateTimeOffset? LatestDueTime(ScanTriggerDefinition trigger, DateTimeOffset after, DateTimeOffset upTo) =>
        TriggerSchedule.DueTimes(trigger, after, upTo, limit: 1) is [var latest] ? latest : null;

    /// <summary>
    /// The id of the run a trigger starts at <paramref name="dueTime"/>: HMAC-SHA256 under the deployment's schedule key
    /// of (data source, scan, due time, attempt), as a version 8 GUID. Every host of the deployment derives the same id,
    /// so the second PUT of the run is an idempotent no-op; nobody without the key can compute it ahead of time and take
    /// it. <paramref name="attempt"/> names the next candidate when an id is used by a run of another scan.
    /// </summary>
    public static ScanRunId RunIdFor(ReadOnlySpan<byte> key, string dataSourceName, string scanName, DateTimeOffset dueTime, int attempt = 0)
    {
        ArgumentNullException.ThrowIfNull(dataSourceName);
        ArgumentNullException.ThrowIfNull(scanName);
        var name = string.Create(CultureInfo.InvariantCulture, $"{dataSourceName.ToUpperInvariant()}|{scanName.ToUpperInvariant()}|{dueTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}|{attempt}");
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(name), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new ScanRunId(new Guid(hash[..16], bigEndian: true));
    }
}
