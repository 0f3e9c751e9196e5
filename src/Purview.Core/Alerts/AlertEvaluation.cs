using System.Globalization;
using Purview.Core.Links;
using Purview.Core.Monitoring;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Core.Alerts;

/// <summary>A connector's day as the admin-log rule sees it.</summary>
public sealed record ConnectorDay(string ConnectorId, DateOnly Day, bool LogGenerated, long ItemsFailed, long ItemsForImport);

/// <summary>
/// The rules as pure functions of what the monitoring read ports return, and the state machine of a rule: it fires
/// once when its condition starts to hold, stays firing while it holds, and resolves once when it stops.
/// </summary>
public static class AlertEvaluation
{
    /// <summary>Below this many active hours a link has no usual interval yet, and is never called silent.</summary>
    public const int MinimumActiveHours = 3;

    /// <summary>How far back a link's usual interval is learned (the hourly aggregates kept for the 7-day trend).</summary>
    public static readonly TimeSpan LinkHistory = TimeSpan.FromDays(7);

    /// <summary>The admin log of a day is due by 01:00 UTC the next day (the job runs at 00:10).</summary>
    public static readonly TimeSpan AdminLogDue = TimeSpan.FromHours(1);

    /// <summary>The transition <paramref name="condition"/> causes from <paramref name="state"/>, or null when it stays.</summary>
    public static AlertTransition? Next(string rule, AlertState state, AlertCondition condition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(condition);
        return (state.Status, condition.Holds) switch
        {
            (AlertStatus.Ok, true) => new AlertTransition(rule, state.Sequence + 1, AlertStatus.Firing, now, condition.Detail),
            (AlertStatus.Firing, false) => new AlertTransition(rule, state.Sequence + 1, AlertStatus.Ok, now, condition.Detail),
            _ => null,
        };
    }

    /// <summary>The UTC days of a window of <paramref name="days"/> ending today (counts are by creation day).</summary>
    public static IReadOnlyList<DateOnly> WindowDays(DateTimeOffset now, int days)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return Enumerable.Range(0, days).Select(i => today.AddDays(-(days - 1) + i)).ToList();
    }

    public static AlertCondition ScanRunFailures(AlertRule rule, IReadOnlyList<DayKindCount> rows)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(rows);
        var failed = rows.Where(r => r.Bucket == RunBucket.Failed).Sum(r => r.Count);
        var canceled = rows.Where(r => r.Bucket == RunBucket.Canceled).Sum(r => r.Count);
        var threshold = rule.Threshold ?? 1;
        var scope = rule.SourceType is null ? string.Empty : $" of {rule.SourceType} sources";
        return new AlertCondition(failed + canceled >= threshold,
            Invariant($"{failed} failed and {canceled} canceled scan runs{scope} created in the last {rule.WindowDays ?? 1} UTC day(s); the rule fires at {threshold}."));
    }

    public static AlertCondition ScanNotSucceeded(AlertRule rule, IReadOnlyList<DayScanCount> counts)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(counts);
        var days = rule.Days ?? 1;
        if (rule.DataSource is { } ds && rule.Scan is { } scan)
        {
            var mine = counts.Where(c => string.Equals(c.DataSourceName, ds, StringComparison.OrdinalIgnoreCase) && string.Equals(c.ScanName, scan, StringComparison.OrdinalIgnoreCase)).ToList();
            var succeeded = mine.Where(c => c.Bucket == RunBucket.Succeeded).Sum(c => c.Count);
            return new AlertCondition(succeeded == 0, succeeded == 0
                ? Invariant($"The scan {ds}/{scan} has no succeeded run created in the last {days} UTC day(s) ({mine.Sum(c => c.Count)} runs in all).")
                : Invariant($"The scan {ds}/{scan} has {succeeded} succeeded run(s) in the last {days} UTC day(s)."));
        }

        // A scan whose runs are all still waiting or running has not failed yet: only finished runs without a success count.
        var offending = counts
            .GroupBy(c => (Ds: c.DataSourceName.ToUpperInvariant(), Scan: c.ScanName.ToUpperInvariant()))
            .Where(g => g.Where(c => c.Bucket == RunBucket.Succeeded).Sum(c => c.Count) == 0
                && g.Where(c => c.Bucket is RunBucket.Failed or RunBucket.Canceled).Sum(c => c.Count) > 0)
            .Select(g => $"{g.First().DataSourceName}/{g.First().ScanName}")
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new AlertCondition(offending.Count > 0, offending.Count > 0
            ? Invariant($"{offending.Count} scan(s) had finished runs but no success in the last {days} UTC day(s): {Names(offending)}.")
            : Invariant($"Every scan that ran in the last {days} UTC day(s) succeeded at least once."));
    }

    /// <summary>
    /// A link's usual interval is the median gap between its active hours (hourly aggregates of the last 7 days); it is
    /// silent when the time since the end of its last active hour exceeds <c>factor</c> (default 3) times that interval,
    /// and at least 3 hours (the hourly aggregation lags the events by up to 65 minutes).
    /// </summary>
    public static AlertCondition LinkSilent(AlertRule rule, IReadOnlyList<Link> links, IReadOnlyList<LinkAggregate> hours, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(hours);
        var factor = rule.Factor ?? 3;
        var watched = links
            .Where(l => rule.SourceName is null || (string.Equals(l.SourceType.ToString(), rule.SourceType, StringComparison.OrdinalIgnoreCase) && l.Key == LinkNames.Key(l.SourceType, rule.SourceName)))
            .ToList();
        var byKey = hours.Where(h => h.SubArtifact is null).GroupBy(h => LinkNames.Key(h.SourceType, h.SourceName)).ToDictionary(g => g.Key, g => g.Select(h => h.Hour).Distinct().Order().ToList());
        var silent = new List<string>();
        var learning = 0;
        foreach (var link in watched)
        {
            var active = byKey.GetValueOrDefault(link.Key) ?? [];
            if (active.Count < MinimumActiveHours)
            {
                learning++;
                continue;
            }

            var gaps = active.Zip(active.Skip(1), (a, b) => b - a).Order().ToList();
            var usual = gaps[gaps.Count / 2];
            var limit = TimeSpan.FromTicks(Math.Max((long)(usual.Ticks * factor), TimeSpan.FromHours(3).Ticks));
            var quiet = now - (active[^1] + TimeSpan.FromHours(1));
            if (quiet > limit)
            {
                silent.Add(Invariant($"{link.SourceType}/{link.Name} (quiet {Hours(quiet)}, usually every {Hours(usual)})"));
            }
        }

        if (rule.SourceName is not null && watched.Count == 0)
        {
            return new AlertCondition(false, $"No link {rule.SourceType}/{rule.SourceName} is connected.");
        }

        return new AlertCondition(silent.Count > 0, silent.Count > 0
            ? Invariant($"{silent.Count} link(s) silent for longer than {factor} times their usual interval: {Names(silent)}.")
            : Invariant($"{watched.Count - learning} link(s) within {factor} times their usual interval; {learning} without enough history (fewer than {MinimumActiveHours} active hours in 7 days)."));
    }

    /// <summary>The last UTC day whose admin log should exist at <paramref name="now"/>.</summary>
    public static DateOnly LastDueAdminLogDay(DateTimeOffset now) => DateOnly.FromDateTime((now - AdminLogDue).UtcDateTime).AddDays(-1);

    public static AlertCondition ConnectorAdminLog(AlertRule rule, IReadOnlyList<ConnectorDay> days, bool auditingEnabled)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(days);
        if (!auditingEnabled)
        {
            return new AlertCondition(false, "Auditing is turned off: no admin logs are produced, none is missing.");
        }

        var threshold = rule.Threshold ?? 0;
        var problems = new List<string>();
        foreach (var d in days.OrderBy(d => d.ConnectorId, StringComparer.Ordinal))
        {
            if (!d.LogGenerated)
            {
                problems.Add(Invariant($"{d.ConnectorId}: no admin log for {d.Day:yyyy-MM-dd}"));
            }
            else if (d.ItemsFailed > threshold)
            {
                problems.Add(Invariant($"{d.ConnectorId}: {d.ItemsFailed} of {d.ItemsForImport} items failed on {d.Day:yyyy-MM-dd}"));
            }
        }

        return new AlertCondition(problems.Count > 0, problems.Count > 0
            ? Invariant($"{problems.Count} connector day(s) need attention (more than {threshold} failed items, or no log): {Names(problems)}.")
            : Invariant($"{days.Count} connector(s): every admin log of the last complete day was generated with at most {threshold} failed items."));
    }

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(10)) + (names.Count > 10 ? Invariant($" and {names.Count - 10} more") : string.Empty);

    private static string Hours(TimeSpan span) => span.TotalHours >= 1 ? Invariant($"{span.TotalHours:0.#} h") : Invariant($"{span.TotalMinutes:0} min");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
