using Purview.Core.Monitoring;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// Monitoring counters. Partition "{collection}|{yyyyMMdd of the run's creation}" holds:
/// <c>c|{sourceKind}|{bucket}</c> (Count), <c>s|{ds}|{scan}|{bucket}</c> (Count), <c>l|{ds}|{scan}</c> (the latest run of
/// that day) and one marker <c>m|{runId}</c> (bucket and version last counted). A change writes the marker and the
/// counter rows in one entity-group transaction, each row conditional on the ETag read: all or nothing, so a retry
/// or a crash never counts twice, and two hosts moving runs of one partition at once retry instead of losing a count.
/// </summary>
public sealed class TableRunCounterStore(StorageLayout layout) : IRunCounterStore, IStorageUser
{
    private const int MaxAttempts = 30;
    private const int ReadParallelism = 16;
    private readonly EntityTable _table = layout.Table("scanruncounters");

    // A copy of each day partition's c| counters, one row per (day, kind) under the collection: the summary reads
    // these small rows instead of searching partitions that also hold a marker per run. Derived, rewritten after every
    // change of its partition from the authoritative counters (ETag-guarded, so an older read never overwrites a newer).
    private readonly EntityTable _kpis = layout.Table("scanrunkpis");

    public async Task ApplyAsync(ScanRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var pk = Partition(run.CollectionName, run.CreatedAt.UtcDateTime.Date);
        var markerKey = "m|" + run.Id;
        for (var attempt = 0; ; attempt++)
        {
            var marker = await _table.GetEntityOrDefaultAsync(pk, markerKey, cancellationToken: cancellationToken);
            CountedRun? counted = marker is not null && RunBuckets.TryParseWire(marker.GetString("Bucket") ?? string.Empty, out var b)
                ? new CountedRun(b, marker.GetInt64("Version") ?? 0)
                : null;
            var plan = RunCounterRules.Apply(counted, run);
            if (plan.Skip)
            {
                return;
            }

            var kind = TableKeys.Escape(run.SourceKind);
            var scanKey = TableKeys.Escape(run.DataSourceName.ToLowerInvariant()) + "|" + TableKeys.Escape(run.ScanName.ToLowerInvariant());
            var lastKey = "l|" + scanKey;
            var keys = plan.Deltas.SelectMany(d => new[] { "c|" + kind + "|" + d.Bucket.ToWire(), "s|" + scanKey + "|" + d.Bucket.ToWire() }).Append(lastKey).ToList();
            var existing = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            var filter = TableFilter.And(TableFilter.PartitionKeyEquals(pk), "(" + TableFilter.Or([.. keys.Select(TableFilter.RowKeyEquals)]) + ")");
            await foreach (var e in _table.QueryAsync(filter, cancellationToken: cancellationToken))
            {
                existing[e.RowKey] = e;
            }

            var actions = new List<TableTransactionAction>();
            var markerEntity = new TableEntity(pk, markerKey) { ["Bucket"] = plan.Marker.Bucket.ToWire(), ["Version"] = plan.Marker.Version };
            actions.Add(marker is null
                ? new TableTransactionAction(TableTransactionActionType.Add, markerEntity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, markerEntity, marker.ETag));
            foreach (var delta in plan.Deltas)
            {
                actions.Add(Counter(pk, "c|" + kind + "|" + delta.Bucket.ToWire(), delta.Change, existing, run, scan: false));
                actions.Add(Counter(pk, "s|" + scanKey + "|" + delta.Bucket.ToWire(), delta.Change, existing, run, scan: true));
            }

            var last = existing.GetValueOrDefault(lastKey);
            var lastIsThisOrOlder = last is null
                || string.Equals(last.GetString("RunId"), run.Id.ToString(), StringComparison.Ordinal)
                || (last.GetDateTimeOffset("CreatedAt") ?? default, last.GetString("RunId")).CompareTo((run.CreatedAt, run.Id.ToString())) < 0;
            if (lastIsThisOrOlder)
            {
                var entity = new TableEntity(pk, lastKey)
                {
                    ["RunId"] = run.Id.ToString(),
                    ["Bucket"] = plan.Marker.Bucket.ToWire(),
                    ["CreatedAt"] = run.CreatedAt,
                    ["DataSource"] = run.DataSourceName,
                    ["Scan"] = run.ScanName,
                    ["SourceKind"] = run.SourceKind,
                    ["Collection"] = run.CollectionName,
                };
                actions.Add(last is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, last.ETag));
            }

            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (StorageException ex) when ((ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound) && attempt < MaxAttempts)
            {
                // Another writer changed one of the rows since we read them: read again and recompute.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 + (attempt * 5))), cancellationToken);
                continue;
            }

            await RefreshKpisAsync(run.CollectionName, DateOnly.FromDateTime(run.CreatedAt.UtcDateTime), kind, cancellationToken);
            return;
        }
    }

    /// <summary>Rewrites the summary row of (collection, day, kind) from the partition's counters.</summary>
    public async Task RefreshKpisAsync(string collection, DateOnly day, string escapedKind, CancellationToken cancellationToken)
    {
        var pk = TableKeys.Escape(collection.ToLowerInvariant());
        var rk = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "|" + escapedKind;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _kpis.GetEntityOrDefaultAsync(pk, rk, cancellationToken: cancellationToken);
            var row = new TableEntity(pk, rk) { ["Kind"] = TableKeys.Unescape(escapedKind) };
            var from = "c|" + escapedKind + "|";
            var filter = TableFilter.And(TableFilter.PartitionKeyEquals(Partition(collection, day.ToDateTime(TimeOnly.MinValue))), TableFilter.RowKeyRange(from, from[..^1] + "}"));
            await foreach (var e in _table.QueryAsync(filter, ["RowKey", "Count"], cancellationToken: cancellationToken))
            {
                row[e.RowKey[from.Length..]] = e.GetInt64("Count") ?? 0;
            }

            try
            {
                if (current is null)
                {
                    await _kpis.AddEntityAsync(row, cancellationToken);
                }
                else
                {
                    await _kpis.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (StorageException ex) when (ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound)
            {
                // Another host refreshed it meanwhile: read again so the newest counters win.
            }
        }
    }

    public async Task<IReadOnlyList<DayKindCount>> ReadKindCountsAsync(IReadOnlyCollection<string> collections, IReadOnlyList<DateOnly> days, string? sourceKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collections);
        ArgumentNullException.ThrowIfNull(days);
        if (days.Count == 0)
        {
            return [];
        }

        // One range query per collection over its summary rows: cost follows collections x days x kinds, not runs.
        var first = days.Min().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var last = days.Max().ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var wanted = days.ToHashSet();
        var results = new System.Collections.Concurrent.ConcurrentBag<DayKindCount>();
        await Parallel.ForEachAsync(collections, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (collection, ct) =>
        {
            var filter = TableFilter.And(TableFilter.PartitionKeyEquals(TableKeys.Escape(collection.ToLowerInvariant())), TableFilter.RowKeyRange(first + "|", last + "}"));
            await foreach (var e in _kpis.QueryAsync(filter, cancellationToken: ct))
            {
                var kind = e.GetString("Kind") ?? string.Empty;
                if (!DateOnly.TryParseExact(e.RowKey[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || !wanted.Contains(day)
                    || (sourceKind is not null && !string.Equals(kind, sourceKind, StringComparison.Ordinal)))
                {
                    continue;
                }

                foreach (var bucket in RunBuckets.All)
                {
                    if (e.GetInt64(bucket.ToWire()) is { } count && count != 0)
                    {
                        results.Add(new DayKindCount(day, kind, bucket, count));
                    }
                }
            }
        });
        return results.ToList();
    }

    public async Task<(IReadOnlyList<DayScanCount> Counts, IReadOnlyList<LastRun> LastRuns)> ReadScanCountsAsync(IReadOnlyCollection<string> collections, IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collections);
        ArgumentNullException.ThrowIfNull(days);
        var counts = new System.Collections.Concurrent.ConcurrentBag<DayScanCount>();
        var lastRuns = new System.Collections.Concurrent.ConcurrentBag<LastRun>();
        var partitions = collections.SelectMany(c => days.Select(d => (Collection: c, Day: d))).ToList();
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            var pk = TableFilter.PartitionKeyEquals(Partition(p.Collection, p.Day.ToDateTime(TimeOnly.MinValue)));
            await foreach (var e in _table.QueryAsync(TableFilter.And(pk, TableFilter.RowKeyRange("l|", "l}")), cancellationToken: ct))
            {
                if (RunBuckets.TryParseWire(e.GetString("Bucket") ?? string.Empty, out var bucket) && Guid.TryParse(e.GetString("RunId"), out var runId))
                {
                    lastRuns.Add(new LastRun(e.GetString("Collection") ?? p.Collection, e.GetString("DataSource")!, e.GetString("Scan")!, e.GetString("SourceKind") ?? string.Empty, runId, bucket, e.GetDateTimeOffset("CreatedAt") ?? default));
                }
            }

            await foreach (var e in _table.QueryAsync(TableFilter.And(pk, TableFilter.RowKeyRange("s|", "s}")), cancellationToken: ct))
            {
                var parts = e.RowKey.Split('|');
                if (parts.Length == 4 && RunBuckets.TryParseWire(parts[3], out var bucket))
                {
                    counts.Add(new DayScanCount(e.GetString("Collection") ?? p.Collection, p.Day, e.GetString("DataSource") ?? TableKeys.Unescape(parts[1]), e.GetString("Scan") ?? TableKeys.Unescape(parts[2]),
                        e.GetString("SourceKind") ?? string.Empty, bucket, e.GetInt64("Count") ?? 0));
                }
            }
        });
        return (counts.ToList(), lastRuns.ToList());
    }

    public async Task<int> RepairRollupsAsync(IReadOnlyCollection<string> collections, IReadOnlyList<DateOnly> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(collections);
        ArgumentNullException.ThrowIfNull(days);
        var repaired = 0;
        var pairs = collections.SelectMany(c => days.Select(d => (Collection: c, Day: d))).ToList();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (p, ct) =>
        {
            // escaped kind -> bucket -> count, from the counters and from the rollup
            var truth = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
            var counters = TableFilter.And(TableFilter.PartitionKeyEquals(Partition(p.Collection, p.Day.ToDateTime(TimeOnly.MinValue))), TableFilter.RowKeyRange("c|", "c}"));
            await foreach (var e in _table.QueryAsync(counters, ["RowKey", "Count"], cancellationToken: ct))
            {
                var last = e.RowKey.LastIndexOf('|');
                if (last > 2)
                {
                    Bucket(truth, e.RowKey[2..last])[e.RowKey[(last + 1)..]] = e.GetInt64("Count") ?? 0;
                }
            }

            var day = p.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            var rollup = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
            var rows = TableFilter.And(TableFilter.PartitionKeyEquals(TableKeys.Escape(p.Collection.ToLowerInvariant())), TableFilter.RowKeyRange(day + "|", day + "}"));
            await foreach (var e in _kpis.QueryAsync(rows, cancellationToken: ct))
            {
                var counts = Bucket(rollup, e.RowKey[(day.Length + 1)..]);
                foreach (var bucket in RunBuckets.All)
                {
                    counts[bucket.ToWire()] = e.GetInt64(bucket.ToWire()) ?? 0;
                }
            }

            foreach (var kind in truth.Keys.Union(rollup.Keys).ToList())
            {
                var expected = truth.GetValueOrDefault(kind);
                var stored = rollup.GetValueOrDefault(kind);
                var same = expected is not null && stored is not null
                    && RunBuckets.All.All(b => expected.GetValueOrDefault(b.ToWire()) == stored.GetValueOrDefault(b.ToWire()));
                if (!same)
                {
                    // Re-reads the counters under the rollup's ETag, so a live writer's newer refresh is never undone.
                    await RefreshKpisAsync(p.Collection, p.Day, kind, ct);
                    Interlocked.Increment(ref repaired);
                }
            }
        });
        return repaired;

        static Dictionary<string, long> Bucket(Dictionary<string, Dictionary<string, long>> map, string kind)
        {
            if (!map.TryGetValue(kind, out var counts))
            {
                map[kind] = counts = new Dictionary<string, long>(StringComparer.Ordinal);
            }

            return counts;
        }
    }

    internal static string Partition(string collection, DateTime day) =>
        TableKeys.Escape(collection.ToLowerInvariant()) + "|" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static TableTransactionAction Counter(string pk, string rowKey, int change, Dictionary<string, TableEntity> existing, ScanRun run, bool scan)
    {
        var entity = new TableEntity(pk, rowKey) { ["Count"] = (existing.TryGetValue(rowKey, out var row) ? row.GetInt64("Count") ?? 0 : 0L) + change };
        if (scan)
        {
            entity["DataSource"] = run.DataSourceName;
            entity["Scan"] = run.ScanName;
            entity["SourceKind"] = run.SourceKind;
            entity["Collection"] = run.CollectionName;
        }

        return row is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, row.ETag);
    }
}
