using System.Globalization;
using Purview.Core.ScanRuns;

namespace Purview.Core.Monitoring;

/// <summary>The monitoring buckets a run is counted in (the portal's KPIs plus the two kinds of wait).</summary>
public enum RunBucket
{
    Queued,
    Throttled,
    InProgress,
    Succeeded,
    Failed,
    Canceled,
}

public static class RunBuckets
{
    public static IReadOnlyList<RunBucket> All { get; } = Enum.GetValues<RunBucket>();

    /// <summary>A waiting run is Queued or Throttled (its scan phase says which); then the top-level status decides.</summary>
    public static RunBucket Of(ScanRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Status switch
        {
            ScanRunStatus.Accepted => run.Scan.Status == ScanPhaseStatus.Throttled ? RunBucket.Throttled : RunBucket.Queued,
            ScanRunStatus.InProgress or ScanRunStatus.TransientFailure => RunBucket.InProgress,
            ScanRunStatus.Succeeded => RunBucket.Succeeded,
            ScanRunStatus.Failed => RunBucket.Failed,
            ScanRunStatus.Canceled => RunBucket.Canceled,
            _ => throw new ArgumentOutOfRangeException(nameof(run), run.Status, null),
        };
    }

    /// <summary>The wire name (camelCase), also used in counter row keys.</summary>
    public static string ToWire(this RunBucket bucket) => bucket switch
    {
        RunBucket.Queued => "queued",
        RunBucket.Throttled => "throttled",
        RunBucket.InProgress => "inProgress",
        RunBucket.Succeeded => "succeeded",
        RunBucket.Failed => "failed",
        RunBucket.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    public static bool TryParseWire(string text, out RunBucket bucket)
    {
        foreach (var b in All)
        {
            if (string.Equals(b.ToWire(), text, StringComparison.Ordinal))
            {
                bucket = b;
                return true;
            }
        }

        bucket = default;
        return false;
    }
}

/// <summary>What a counter store last counted for one run: its bucket and the run version counted.</summary>
public sealed record CountedRun(RunBucket Bucket, long Version);

/// <summary>One counter change: +1 or -1 on a (source kind, bucket) and a (data source, scan, bucket) counter.</summary>
public sealed record CounterDelta(RunBucket Bucket, int Change);

/// <summary>
/// The pure rule of the monitoring counters: a run is counted in exactly one bucket of its creation day. Applying
/// a newer version moves it from the marker's bucket to the run's; applying the same or an older version (a retry,
/// a duplicate message, an out-of-order write) changes nothing.
/// </summary>
public static class RunCounterRules
{
    public sealed record Plan(bool Skip, CountedRun Marker, IReadOnlyList<CounterDelta> Deltas);

    public static Plan Apply(CountedRun? marker, ScanRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var bucket = RunBuckets.Of(run);
        var next = new CountedRun(bucket, run.Version);
        if (marker is null)
        {
            return new Plan(false, next, [new CounterDelta(bucket, +1)]);
        }

        // An older or equal version is a retry or a late write; the same bucket needs no write at all (progress
        // reports do not move a run between buckets, so they cost no counter write).
        if (marker.Version >= run.Version || marker.Bucket == bucket)
        {
            return new Plan(true, marker, []);
        }

        return new Plan(false, next, [new CounterDelta(marker.Bucket, -1), new CounterDelta(bucket, +1)]);
    }

    /// <summary>The day partition of a run: its creation day, UTC.</summary>
    public static string Day(DateTimeOffset createdAt) => createdAt.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
