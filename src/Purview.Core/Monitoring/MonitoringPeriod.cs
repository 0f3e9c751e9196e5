using System.Globalization;
using Purview.Core.Common;

namespace Purview.Core.Monitoring;

public enum Granularity
{
    Day,
    Week,
}

/// <summary>
/// The period of a monitoring query: the last 7 or 30 UTC days, today included. Weeks are ISO weeks (Monday first,
/// UTC); a week cut by the period's start counts only its days inside the period.
/// </summary>
public sealed record MonitoringPeriod(DateOnly FirstDay, DateOnly LastDay, Granularity Granularity)
{
    public static Result<MonitoringPeriod> Parse(string? period, string? granularity, DateTimeOffset now)
    {
        var days = (period ?? "30d").Trim().ToLowerInvariant() switch
        {
            "7d" => 7,
            "30d" => 30,
            _ => 0,
        };
        if (days == 0)
        {
            return Error.Validation("period", "period must be 7d or 30d.");
        }

        Granularity g;
        switch ((granularity ?? "day").Trim().ToLowerInvariant())
        {
            case "day":
                g = Granularity.Day;
                break;
            case "week":
                g = Granularity.Week;
                break;
            default:
                return Error.Validation("granularity", "granularity must be day or week.");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new MonitoringPeriod(today.AddDays(-(days - 1)), today, g);
    }

    public IEnumerable<DateOnly> Days()
    {
        for (var d = FirstDay; d <= LastDay; d = d.AddDays(1))
        {
            yield return d;
        }
    }

    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The start of the series bucket a day falls in: the day itself, or its ISO week's Monday.</summary>
    public DateOnly BucketStart(DateOnly day) =>
        Granularity == Granularity.Day ? day : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
}

/// <summary>Counts per bucket (succeeded, failed, canceled, inProgress, queued, throttled).</summary>
public sealed record RunCounts(long Succeeded, long Failed, long Canceled, long InProgress, long Queued, long Throttled)
{
    public static RunCounts Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public long Total => Succeeded + Failed + Canceled + InProgress + Queued + Throttled;

    public RunCounts Add(RunBucket bucket, long n) => bucket switch
    {
        RunBucket.Succeeded => this with { Succeeded = Succeeded + n },
        RunBucket.Failed => this with { Failed = Failed + n },
        RunBucket.Canceled => this with { Canceled = Canceled + n },
        RunBucket.InProgress => this with { InProgress = InProgress + n },
        RunBucket.Queued => this with { Queued = Queued + n },
        RunBucket.Throttled => this with { Throttled = Throttled + n },
        _ => this,
    };
}
