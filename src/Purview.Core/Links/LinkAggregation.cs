using Purview.Core.Jobs;

namespace Purview.Core.Links;

/// <summary>
/// Hourly aggregation of raw link events: per source and per <c>pipeline/activity</c> sub-artifact, the assets and
/// relationships ingested, the activity runs and the last run time. An hour's aggregates are replaced, never added to,
/// so re-running an hour gives the same result.
/// </summary>
public sealed class LinkAggregator(ILinkEventStore events, ILinkAggregateStore aggregates, TimeProvider time)
{
    /// <summary>Aggregates one hour from its raw events and replaces its aggregates.</summary>
    public async Task<IReadOnlyList<LinkAggregate>> AggregateHourAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        hour = LinkHours.Floor(hour);
        var token = await aggregates.BeginHourAsync(hour, cancellationToken);
        var raw = await events.ListHourAsync(hour, cancellationToken);
        var rows = new List<LinkAggregate>();
        foreach (var source in raw.GroupBy(e => e.SourceKey, StringComparer.Ordinal))
        {
            var first = source.First();
            rows.Add(Sum(hour, first, null, source));
            rows.AddRange(source.GroupBy(e => e.SubArtifact, StringComparer.Ordinal).Select(g => Sum(hour, first, g.Key, g)));
        }

        await aggregates.ReplaceHourAsync(hour, rows, cancellationToken);
        // Before the hour is marked done: a crash here leaves it to be aggregated again, and the day rolled up with it.
        await RollUpDayAsync(hour, cancellationToken);
        await aggregates.CompleteHourAsync(hour, token, time.GetUtcNow(), cancellationToken);
        return rows;
    }

    /// <summary>One occurrence of the hourly job: the hour that just closed, then every hour a late event marked dirty.</summary>
    public async Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var closed = LinkHours.Floor(occurrence).AddHours(-1);
        var cutoff = LinkHours.Floor(time.GetUtcNow() - LinkService.Retention);
        var hours = new SortedSet<DateTimeOffset> { closed };
        foreach (var dirty in await aggregates.ListDirtyHoursAsync(cancellationToken))
        {
            if (dirty >= cutoff && dirty <= closed)
            {
                hours.Add(dirty);
            }
        }

        foreach (var hour in hours)
        {
            await AggregateHourAsync(hour, cancellationToken);
        }

        foreach (var day in await aggregates.ListDaysToRollUpAsync(cutoff, cancellationToken))
        {
            await RollUpDayAsync(day, cancellationToken);
        }

        await aggregates.AdvanceReportedTillAsync(closed.AddHours(1), cancellationToken);
    }

    /// <summary>
    /// Recomputes the daily rollup of <paramref name="day"/>'s UTC day from its hourly aggregates (replacing it), so that
    /// long ranges read one row per source and day instead of 24. Idempotent.
    /// </summary>
    public async Task RollUpDayAsync(DateTimeOffset day, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(day.UtcDateTime.Date, TimeSpan.Zero);
        var hours = await aggregates.ListHoursOfDayAsync(start, cancellationToken);
        await aggregates.ReplaceDayAsync(start, SumDay(start, hours), time.GetUtcNow(), cancellationToken);
    }

    /// <summary>One row per source and per sub-artifact: the day's sums, and its last run time.</summary>
    public static IReadOnlyList<LinkAggregate> SumDay(DateTimeOffset dayStart, IEnumerable<LinkAggregate> hours) =>
        hours.GroupBy(r => (r.SourceType, r.SourceName, r.SubArtifact))
            .Select(g => new LinkAggregate(dayStart, g.Key.SourceType, g.Key.SourceName, g.Key.SubArtifact, g.Sum(r => r.Assets), g.Sum(r => r.Relationships),
                g.Sum(r => r.ActivityRuns), g.Max(r => r.LastRunTime)))
            .ToList();

    private static LinkAggregate Sum(DateTimeOffset hour, LinkEvent first, string? subArtifact, IEnumerable<LinkEvent> events)
    {
        long assets = 0, relationships = 0, runs = 0;
        DateTimeOffset? last = null;
        foreach (var e in events)
        {
            assets += e.Assets;
            relationships += e.Relationships;
            if (e.IsRun)
            {
                runs++;
                last = last is null || e.EventTime > last ? e.EventTime : last;
            }
        }

        return new LinkAggregate(hour, first.SourceType, first.SourceName, subArtifact, assets, relationships, runs, last);
    }
}

/// <summary>At minute 5 of every hour: aggregates the closed hour and the hours late events made dirty.</summary>
public sealed class LinkAggregationJob(LinkAggregator aggregator) : IScheduledJob
{
    public const string CronSchedule = "0 5 * * * *";

    public string Name => "link-aggregation";

    public string Schedule => CronSchedule;

    /// <summary>Hours missed while no host ran are caught up (a day back); older hours can be backfilled by hand.</summary>
    public TimeSpan CatchUpWindow => TimeSpan.FromHours(24);

    public Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) => aggregator.RunAsync(occurrence, cancellationToken);
}

/// <summary>Daily at 02:30 UTC: deletes raw link events, hourly aggregates and daily rollups older than 45 days.</summary>
public sealed class LinkRetentionJob(ILinkEventStore events, ILinkAggregateStore aggregates, TimeProvider time) : IScheduledJob
{
    public const string CronSchedule = "0 30 2 * * *";

    public string Name => "link-retention";

    public string Schedule => CronSchedule;

    public TimeSpan CatchUpWindow => TimeSpan.FromDays(2);

    public async Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var cutoff = LinkHours.Floor(time.GetUtcNow() - LinkService.Retention);
        await events.DeleteBeforeAsync(cutoff, cancellationToken);
        await aggregates.DeleteBeforeAsync(cutoff, cancellationToken);
    }
}
