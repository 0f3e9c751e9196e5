using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Core.Monitoring;

public sealed record SeriesPoint(DateOnly Start, RunCounts Counts);

public sealed record RunSummary(DateOnly From, DateOnly To, Granularity Granularity, string? SourceType, RunCounts Totals, IReadOnlyList<SeriesPoint> Series);

public sealed record ScanStatusRow(
    string DataSource, string Scan, string SourceType, string Collection, long Succeeded, long Failed, long Canceled, long InProgress, long Queued, long Throttled,
    Guid? LastRunId, RunBucket? LastRunStatus, DateTimeOffset? LastRunTime);

/// <summary>
/// Monitoring reads: only the collections where the caller holds Data source admin (inherited included) are
/// counted. Every read costs one small partition range per (collection, day): it does not grow with the runs.
/// </summary>
public sealed class MonitoringService(IRunCounterStore counters, AccessService access, TimeProvider time)
{
    public async Task<Result<RunSummary>> SummaryAsync(Principal caller, string? period, string? granularity, string? sourceType, CancellationToken cancellationToken)
    {
        var parsed = MonitoringPeriod.Parse(period, granularity, time.GetUtcNow());
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }

        var p = parsed.Value!;
        var collections = await VisibleCollectionsAsync(caller, cancellationToken);
        var days = p.Days().ToList();
        var rows = await counters.ReadKindCountsAsync(collections, days, string.IsNullOrWhiteSpace(sourceType) ? null : sourceType, cancellationToken);
        var series = days.Select(p.BucketStart).Distinct().ToDictionary(d => d, _ => RunCounts.Zero);
        var totals = RunCounts.Zero;
        foreach (var row in rows)
        {
            var start = p.BucketStart(row.Day);
            series[start] = series.GetValueOrDefault(start, RunCounts.Zero).Add(row.Bucket, row.Count);
            totals = totals.Add(row.Bucket, row.Count);
        }

        return new RunSummary(p.FirstDay, p.LastDay, p.Granularity, string.IsNullOrWhiteSpace(sourceType) ? null : sourceType, totals,
            series.OrderBy(kv => kv.Key).Select(kv => new SeriesPoint(kv.Key, kv.Value)).ToList());
    }

    public async Task<Result<IReadOnlyList<ScanStatusRow>>> ScansAsync(Principal caller, string? period, string? sourceType, string? collection, CancellationToken cancellationToken)
    {
        var parsed = MonitoringPeriod.Parse(period, null, time.GetUtcNow());
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }

        IReadOnlyCollection<string> collections = await VisibleCollectionsAsync(caller, cancellationToken);
        if (collection is not null)
        {
            var snapshot = await access.GetSnapshotAsync(cancellationToken);
            if (!snapshot.HasRole(caller, Role.DataSourceAdmin, collection))
            {
                return Error.NotFound($"Collection '{collection}' was not found.");
            }

            collections = [snapshot.Find(collection)!.Name];
        }

        var (counts, lastRuns) = await counters.ReadScanCountsAsync(collections, parsed.Value!.Days().ToList(), cancellationToken);
        var rows = counts
            .Where(c => string.IsNullOrWhiteSpace(sourceType) || string.Equals(c.SourceKind, sourceType, StringComparison.OrdinalIgnoreCase))
            .GroupBy(c => (Ds: c.DataSourceName.ToUpperInvariant(), Scan: c.ScanName.ToUpperInvariant()))
            .Select(g =>
            {
                var first = g.First();
                var sum = g.Aggregate(RunCounts.Zero, (acc, c) => acc.Add(c.Bucket, c.Count));
                var last = lastRuns
                    .Where(l => string.Equals(l.DataSourceName, first.DataSourceName, StringComparison.OrdinalIgnoreCase) && string.Equals(l.ScanName, first.ScanName, StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.RunId).FirstOrDefault();
                return new ScanStatusRow(first.DataSourceName, first.ScanName, first.SourceKind, first.Collection, sum.Succeeded, sum.Failed, sum.Canceled, sum.InProgress, sum.Queued, sum.Throttled,
                    last?.RunId, last?.Bucket, last?.CreatedAt);
            })
            .OrderBy(r => r.DataSource, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Scan, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return Result<IReadOnlyList<ScanStatusRow>>.Success(rows);
    }

    private async Task<IReadOnlySet<string>> VisibleCollectionsAsync(Principal caller, CancellationToken cancellationToken)
    {
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        return snapshot.CollectionsWhere(caller, Role.DataSourceAdmin);
    }
}
