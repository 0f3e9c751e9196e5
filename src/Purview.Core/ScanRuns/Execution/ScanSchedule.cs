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
    /// A name-based GUID (RFC 9562 version 5, SHA-1) of (data source, scan, due time): every host that sees the same
    /// due time derives the same run id, so the second PUT of the run is an idempotent no-op.
    /// </summary>
    public static ScanRunId RunIdFor(string dataSourceName, string scanName, DateTimeOffset dueTime)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{dataSourceName.ToUpperInvariant()}|{scanName.ToUpperInvariant()}|{dueTime.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for name-based version 5 ids; not used for security.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new ScanRunId(new Guid(hash[..16], bigEndian: true));
    }

    private static readonly Guid Namespace = new("5b0c3f0e-6d43-4c55-9a53-7c1f2f4b8a10");
}
