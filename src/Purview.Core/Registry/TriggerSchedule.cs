namespace Purview.Core.Registry;

/// <summary>
/// The due times of a trigger: <c>StartTime + k * Interval * Frequency</c> for k = 0, 1, 2, ... up to <c>EndTime</c>
/// (inclusive), all in UTC (so daylight saving time plays no part). Months are added to the start time itself
/// (Jan 31 + 1 month = Feb 28, + 2 months = Mar 31), never to the previous occurrence, so days do not drift.
/// Pure: the scan-run engine asks for the due times in (lastChecked, now] and starts one run per due time. A disabled
/// trigger (state Disabled) has no due time.
/// </summary>
public static class TriggerSchedule
{
    /// <summary>The first due time strictly after <paramref name="after"/>, or null when the trigger has ended.</summary>
    public static DateTimeOffset? NextOccurrence(ScanTriggerDefinition trigger, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!trigger.Enabled)
        {
            return null;
        }

        return NextOccurrence(trigger.Frequency, trigger.Interval, trigger.StartTime, trigger.EndTime, after);
    }

    public static DateTimeOffset? NextOccurrence(string frequency, int interval, DateTimeOffset startTime, DateTimeOffset? endTime, DateTimeOffset after)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, 1);
        var start = startTime.ToUniversalTime();
        after = after.ToUniversalTime();
        DateTimeOffset next;
        if (after < start)
        {
            next = start;
        }
        else if (TriggerFrequencies.Normalize(frequency) == TriggerFrequencies.Month)
        {
            // Estimate k from the calendar months between, then step forward until strictly after.
            var months = ((after.Year - start.Year) * 12) + after.Month - start.Month;
            var k = Math.Max(0, (months / interval) - 1);
            next = start.AddMonths(k * interval);
            while (next <= after)
            {
                k++;
                next = start.AddMonths(k * interval);
            }
        }
        else
        {
            var period = PeriodOf(frequency).Ticks * interval;
            var k = ((after - start).Ticks / period) + 1;
            next = start.AddTicks(k * period);
        }

        return endTime is { } end && next > end.ToUniversalTime() ? null : next;
    }

    /// <summary>
    /// The due times in (<paramref name="lastChecked"/>, <paramref name="now"/>], oldest first, at most <paramref name="limit"/>
    /// (the most recent ones are kept when there are more: a service that was down for a week starts the latest runs, not a backlog).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> DueTimes(ScanTriggerDefinition trigger, DateTimeOffset lastChecked, DateTimeOffset now, int limit = 1)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var due = new Queue<DateTimeOffset>();
        // Only the last 'limit' due times are kept: start the walk shortly before them, not at a distant lastChecked.
        var interval = Math.Max(1, trigger.Interval);
        var skipTo = TriggerFrequencies.Normalize(trigger.Frequency) == TriggerFrequencies.Month
            ? now.AddMonths(-(limit + 1) * interval)
            : now - (PeriodOf(trigger.Frequency) * interval * (limit + 1));
        var cursor = skipTo > lastChecked ? skipTo : lastChecked;
        while (NextOccurrence(trigger, cursor) is { } next && next <= now)
        {
            due.Enqueue(next);
            if (due.Count > limit)
            {
                due.Dequeue();
            }

            cursor = next;
        }

        return due.ToList();
    }

    private static TimeSpan PeriodOf(string frequency) => TriggerFrequencies.Normalize(frequency) switch
    {
        TriggerFrequencies.Minute => TimeSpan.FromMinutes(1),
        TriggerFrequencies.Hour => TimeSpan.FromHours(1),
        TriggerFrequencies.Day => TimeSpan.FromDays(1),
        TriggerFrequencies.Week => TimeSpan.FromDays(7),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Unknown trigger frequency."),
    };
}
