using System.Security.Cryptography;
using Purview.Core.Links;

namespace Purview.Storage.Links;

/// <summary>Connected sources in one small partition (an account has tens or hundreds of links).</summary>
public sealed class TableLinkRepository(StorageLayout layout) : ILinkRepository, IStorageUser
{
    private const string Partition = "l";
    private readonly EntityTable _table = layout.Table("links");

    public async Task<Link?> GetAsync(LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        var e = await _table.GetEntityOrDefaultAsync(Partition, TableKeys.Escape(LinkNames.Key(type, name)), cancellationToken: cancellationToken);
        return e is null ? null : FromEntity(e);
    }

    public async Task<IReadOnlyList<Link>> ListAsync(CancellationToken cancellationToken) =>
        await _table.QueryAsync(TableFilter.PartitionKeyEquals(Partition), cancellationToken: cancellationToken).Select(FromEntity).ToListAsync(cancellationToken);

    public async Task<bool> PutAsync(Link link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        var entity = new TableEntity(Partition, TableKeys.Escape(link.Key))
        {
            ["SourceType"] = link.SourceType.ToString(),
            ["Name"] = link.Name,
            ["Collection"] = link.Collection,
            ["Writers"] = JsonSerializer.Serialize(link.Writers),
            ["CreatedAt"] = link.CreatedAt,
            ["CreatedBy"] = link.CreatedBy,
            ["ModifiedAt"] = link.ModifiedAt,
        };
        if (await _table.TryAddEntityAsync(entity, cancellationToken))
        {
            return true;
        }

        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return false;
    }

    public Task<bool> DeleteAsync(LinkSourceType type, string name, CancellationToken cancellationToken) =>
        _table.DeleteEntityIfExistsAsync(Partition, TableKeys.Escape(LinkNames.Key(type, name)), cancellationToken: cancellationToken);

    private static Link FromEntity(TableEntity e) => new(
        Enum.Parse<LinkSourceType>(e.GetString("SourceType")!), e.GetString("Name")!, e.GetString("Collection")!,
        JsonSerializer.Deserialize<List<string>>(e.GetString("Writers") ?? "[]") ?? [],
        e.GetDateTimeOffset("CreatedAt") ?? default, e.GetString("CreatedBy") ?? string.Empty, e.GetDateTimeOffset("ModifiedAt") ?? default);
}

/// <summary>
/// Runs. Native activity runs: one partition per source and run id, row <c>run</c> (inserted once). OpenLineage run
/// states: one row per event (<c>{runId}|{eventTicks}|{eventType}</c>) in one of 16 partitions per source chosen by a
/// hash of the run id, so the states of an array of events are written in a few transactions, without reading first.
/// Beside them, a run's head row (<c>{runId}|~head</c>) holds two flags that only ever turn on (merged, never
/// replaced): one of its events named datasets, one completed it. The lineage of a run event reads the head with a
/// point read and lists the states only when a flag is on: a new run (what a producer sends most) costs no query.
/// </summary>
public sealed class TableLinkRunStore(StorageLayout layout, TimeProvider time) : ILinkRunStore, IStorageUser
{
    public const int StateBuckets = 16;
    private const string HeadSuffix = "|~head";
    private const string LayoutPartition = "~layout";
    private const string LayoutRow = "runheads";
    private readonly EntityTable _table = layout.Table("linkruns");
    private Task<DateTimeOffset?>? _legacyUntil;

    public async Task<LinkRun?> GetAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        if (type == LinkSourceType.OpenLineage)
        {
            var states = await QueryStatesAsync(type, sourceName, runId, cancellationToken);
            if (states.Count > 0)
            {
                return Latest(states);
            }
        }

        // Native runs, and OpenLineage runs recorded before states moved to buckets.
        var row = await _table.GetEntityOrDefaultAsync(Partition(type, sourceName, runId), "run", cancellationToken: cancellationToken);
        return row is null ? null : FromEntity(row);
    }

    public Task<bool> TryAddAsync(LinkRun run, CancellationToken cancellationToken) =>
        _table.TryAddEntityAsync(ToEntity(run, Partition(run.SourceType, run.SourceName, run.RunId), "run"), cancellationToken);

    /// <summary>
    /// Per partition, the heads before the states: in one transaction when they fit in one (they do unless an array
    /// holds more than 100 events of one bucket), else the heads' transactions first, so that a crash never leaves a
    /// state with datasets behind a head that does not say so (a head that says so over no state costs a query only).
    /// </summary>
    public async Task RecordStatesAsync(IReadOnlyList<LinkRun> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return;
        }

        // Settled before the first head is written, so that this store's own rows never count as older ones.
        await LegacyUntilAsync(cancellationToken);
        var partitions = states.GroupBy(r => StatePartition(r.SourceType, r.SourceName, r.RunId), StringComparer.Ordinal).Select(group =>
        {
            var heads = group.GroupBy(r => r.RunId, StringComparer.Ordinal)
                .Select(run => HeadOf(group.Key, run.Key, run.Any(NamesDatasets), run.Any(r => r.State == "COMPLETE")))
                .OfType<TableEntity>()
                .Select(e => new TableTransactionAction(TableTransactionActionType.UpsertMerge, e));
            // The same event twice in one list is one row (a transaction refuses a row key twice).
            var rows = group.DistinctBy(StateRow, StringComparer.Ordinal).Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(r, group.Key, StateRow(r))));
            return heads.Concat(rows).ToList();
        });
        await Parallel.ForEachAsync(partitions, new ParallelOptions { MaxDegreeOfParallelism = TableBatches.Parallelism, CancellationToken = cancellationToken }, async (actions, token) =>
        {
            foreach (var chunk in actions.Chunk(TableConstants.MaxTransactionOperations))
            {
                await _table.SubmitTransactionAsync(chunk, token);
            }
        });
    }

    public async Task<IReadOnlyList<LinkRun>> ListLineageStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        var head = await _table.GetEntityOrDefaultAsync(StatePartition(type, sourceName, runId), TableKeys.Escape(runId) + HeadSuffix, cancellationToken: cancellationToken);
        return head is null && !await InLegacyWindowAsync(cancellationToken) ? [] : await QueryStatesAsync(type, sourceName, runId, cancellationToken);
    }

    /// <summary>
    /// Inserts the head marked completed: when that succeeds the run had no head, so none of its states matter (a new
    /// run: one request, as the point read). Else the flag is merged into the head first and the states listed after.
    /// </summary>
    public async Task<IReadOnlyList<LinkRun>> CompleteAndListLineageStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        await LegacyUntilAsync(cancellationToken);
        var head = HeadOf(StatePartition(type, sourceName, runId), runId, namedDatasets: false, completed: true)!;
        if (await _table.TryAddEntityAsync(head, cancellationToken))
        {
            return await InLegacyWindowAsync(cancellationToken) ? await QueryStatesAsync(type, sourceName, runId, cancellationToken) : [];
        }

        await _table.UpsertEntityAsync(head, TableUpdateMode.Merge, cancellationToken);
        return await QueryStatesAsync(type, sourceName, runId, cancellationToken);
    }

    public async Task<bool> IsCompletedAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken) =>
        (await _table.GetEntityOrDefaultAsync(StatePartition(type, sourceName, runId), TableKeys.Escape(runId) + HeadSuffix, cancellationToken: cancellationToken))
            ?.GetBoolean("Completed") == true;

    private async Task<bool> InLegacyWindowAsync(CancellationToken cancellationToken) =>
        await LegacyUntilAsync(cancellationToken) is { } until && time.GetUtcNow() < until;

    private async Task<List<LinkRun>> QueryStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        var prefix = TableKeys.Escape(runId) + "|";
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(StatePartition(type, sourceName, runId)), TableFilter.RowKeyRange(prefix, prefix[..^1] + "}"));
        return await _table.QueryAsync(filter, cancellationToken: cancellationToken)
            .Where(e => !e.RowKey.EndsWith(HeadSuffix, StringComparison.Ordinal))
            .Select(FromEntity)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Until when a run without a head may still have states to list: rows written before heads existed have none.
    /// Settled once per table by the first host of this version (a layout row, first writer wins): a table holding any
    /// row then has its older runs listed by query for the link retention (45 days), after which their states no longer
    /// bear on lineage; a table that was empty never needs it.
    /// </summary>
    private Task<DateTimeOffset?> LegacyUntilAsync(CancellationToken cancellationToken)
    {
        var settled = _legacyUntil;
        if (settled is null || settled.IsFaulted || settled.IsCanceled)
        {
            _legacyUntil = settled = SettleLayoutAsync();
        }

        return settled.WaitAsync(cancellationToken);
    }

    private async Task<DateTimeOffset?> SettleLayoutAsync()
    {
        while (true)
        {
            var layoutRow = await _table.GetEntityOrDefaultAsync(LayoutPartition, LayoutRow);
            if (layoutRow is not null)
            {
                return layoutRow.GetDateTimeOffset("LegacyUntil");
            }

            var older = await _table.QueryAsync(select: TableBatches.KeyColumns, pageSize: 1).AnyAsync();
            DateTimeOffset? until = older ? time.GetUtcNow() + LinkService.Retention : null;
            if (await _table.TryAddEntityAsync(new TableEntity(LayoutPartition, LayoutRow) { ["LegacyUntil"] = until }))
            {
                return until;
            }

            // Another host settled it first: its answer stands.
        }
    }

    private static TableEntity? HeadOf(string partition, string runId, bool namedDatasets, bool completed)
    {
        if (!namedDatasets && !completed)
        {
            return null;
        }

        // Only the flags that turn on: a merge never turns one off, whichever of two concurrent pushes lands last.
        var head = new TableEntity(partition, TableKeys.Escape(runId) + HeadSuffix);
        if (namedDatasets)
        {
            head["NamedDatasets"] = true;
        }

        if (completed)
        {
            head["Completed"] = true;
        }

        return head;
    }

    private static bool NamesDatasets(LinkRun r) => (r.Inputs?.Count ?? 0) + (r.Outputs?.Count ?? 0) > 0;

    private static string StateRow(LinkRun r) => $"{TableKeys.Escape(r.RunId)}|{r.EventTime.UtcTicks:D19}|{r.State}";

    /// <summary>
    /// The latest state (by event time; a terminal state wins a tie; events without eventType only when there is no
    /// other), with the lineage report of a COMPLETE if a later state has none.
    /// </summary>
    internal static LinkRun Latest(IReadOnlyList<LinkRun> all)
    {
        var states = all.Any(s => s.State.Length > 0) ? all.Where(s => s.State.Length > 0).ToList() : all;
        var latest = states.OrderBy(s => s.EventTime).ThenBy(s => s.State is "COMPLETE" or "FAIL" or "ABORT" ? 1 : 0).ThenBy(s => s.State, StringComparer.Ordinal).Last();
        var lineage = states.Where(s => s.Report.Status == LineageReport.Succeeded).OrderBy(s => s.EventTime).LastOrDefault();
        return latest.Report.Status != LineageReport.Succeeded && lineage is not null ? latest with { Report = lineage.Report } : latest;
    }

    private static string Partition(LinkSourceType type, string sourceName, string runId) =>
        TableKeys.Escape(LinkNames.Key(type, sourceName)) + "|" + TableKeys.Escape(runId);

    private static string StatePartition(LinkSourceType type, string sourceName, string runId) =>
        TableKeys.Escape(LinkNames.Key(type, sourceName)) + "|~s" + (StableHash.Fnv1a(runId) % StateBuckets).ToString("x", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(LinkRun r, string partition, string rowKey) => new(partition, rowKey)
    {
        ["SourceType"] = r.SourceType.ToString(),
        ["SourceName"] = r.SourceName,
        ["RunId"] = r.RunId,
        ["Pipeline"] = r.Pipeline,
        ["Activity"] = r.Activity,
        ["State"] = r.State,
        ["EventTime"] = r.EventTime,
        ["ReportStatus"] = r.Report.Status,
        ["ReportReason"] = r.Report.Reason,
        ["Assets"] = r.Report.AssetsIngested,
        ["Relationships"] = r.Report.RelationshipsIngested,
        ["Skipped"] = StoreSkipped(r.Report.Skipped),
        ["Datasets"] = StoreDatasets(r),
    };

    // The skipped entities a push was answered with, so that a repeated push is answered the same; bounded like the datasets.
    private static string? StoreSkipped(IReadOnlyList<LineageSkip>? skipped)
    {
        if (skipped is not { Count: > 0 })
        {
            return null;
        }

        var json = JsonSerializer.Serialize(skipped, DatasetJson);
        return json.Length <= 32_000 ? json : null;
    }

    // One string property holds at most 32K characters; Core only defers datasets that fit (OpenLineageEvent.DatasetsFitRunState).
    private static string? StoreDatasets(LinkRun r)
    {
        if (r.Inputs is null && r.Outputs is null)
        {
            return null;
        }

        var json = JsonSerializer.Serialize(new StoredDatasets(Pairs(r.Inputs), Pairs(r.Outputs)), DatasetJson);
        return json.Length <= 32_000 ? json : null;
    }

    private static readonly JsonSerializerOptions DatasetJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static List<string[]> Pairs(IReadOnlyList<OpenLineageDataset>? list) => list?.Select(d => new[] { d.Namespace, d.Name }).ToList() ?? [];

    private static List<OpenLineageDataset> Datasets(List<string[]> pairs) => pairs.Select(p => new OpenLineageDataset(p[0], p[1])).ToList();

    private sealed record StoredDatasets(List<string[]> I, List<string[]> O);

    private static LinkRun FromEntity(TableEntity e) => new(
        Enum.Parse<LinkSourceType>(e.GetString("SourceType")!), e.GetString("SourceName")!, e.GetString("RunId")!, e.GetString("Pipeline") ?? string.Empty,
        e.GetString("Activity") ?? string.Empty, e.GetString("State") ?? string.Empty, e.GetDateTimeOffset("EventTime") ?? default,
        new LineageReport(e.GetString("ReportStatus") ?? LineageReport.NotReported, e.GetString("ReportReason"), e.GetInt32("Assets") ?? 0, e.GetInt32("Relationships") ?? 0)
        {
            Skipped = e.GetString("Skipped") is { } skipped ? JsonSerializer.Deserialize<List<LineageSkip>>(skipped) : null,
        })
    {
        Inputs = e.GetString("Datasets") is { } json ? Datasets(JsonSerializer.Deserialize<StoredDatasets>(json)!.I) : null,
        Outputs = e.GetString("Datasets") is { } json2 ? Datasets(JsonSerializer.Deserialize<StoredDatasets>(json2)!.O) : null,
    };
}

/// <summary>FNV-1a: a hash that is stable across processes (string.GetHashCode is not), for choosing partitions.</summary>
internal static class StableHash
{
    public static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}

/// <summary>
/// Raw events partitioned by event-time hour and a shard (<c>{yyyyMMddHH}|{shard}</c>), so an hour is read by
/// listing its few small partitions and retention deletes whole old partitions. The RowKey is the source and dedupe
/// key: inserting a duplicate conflicts, which is how duplicates are detected.
/// </summary>
public sealed class TableLinkEventStore(StorageLayout layout) : ILinkEventStore, IStorageUser
{
    public const int Shards = 16;
    private readonly EntityTable _table = layout.Table("linkevents");

    public async Task<bool> TryAddAsync(LinkEvent linkEvent, CancellationToken cancellationToken) =>
        (await TryAddManyAsync([linkEvent], cancellationToken))[0];

    public async Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<LinkEvent> linkEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkEvents);
        var rows = linkEvents.Select(ToEntity).ToList();
        var existed = await TableBatches.AddMissingAsync(_table, rows, cancellationToken);
        var seen = new HashSet<(string, string)>();
        return rows.Select(r => seen.Add((r.PartitionKey, r.RowKey)) && !existed.Contains((r.PartitionKey, r.RowKey))).ToList();
    }

    private static TableEntity ToEntity(LinkEvent linkEvent)
    {
        var rowKey = TableKeys.Escape(linkEvent.SourceKey) + "|" + DedupeRowPart(linkEvent.DedupeKey);
        return new TableEntity($"{LinkHours.Key(linkEvent.EventTime)}|{StableHash.Fnv1a(rowKey) % Shards:D2}", rowKey)
        {
            ["SourceType"] = linkEvent.SourceType.ToString(),
            ["SourceName"] = linkEvent.SourceName,
            ["SubArtifact"] = linkEvent.SubArtifact,
            ["DedupeKey"] = linkEvent.DedupeKey,
            ["EventTime"] = linkEvent.EventTime,
            ["ReceivedAt"] = linkEvent.ReceivedAt,
            ["Kind"] = linkEvent.Kind,
            ["Assets"] = linkEvent.Assets,
            ["Relationships"] = linkEvent.Relationships,
            ["IsRun"] = linkEvent.IsRun,
        };
    }

    public async Task<IReadOnlyList<LinkEvent>> ListHourAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        var key = LinkHours.Key(hour);
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(s =>
            _table.QueryAsync(TableFilter.PartitionKeyEquals($"{key}|{s:D2}"), cancellationToken: cancellationToken).Select(e => FromEntity(e, hour)).ToListAsync(cancellationToken).AsTask()));
        return shards.SelectMany(x => x).ToList();
    }

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        TableBatches.DeleteWhereAsync(_table, TableFilter.Compare("PartitionKey", "lt", LinkHours.Key(cutoff)), cancellationToken);

    private static LinkEvent FromEntity(TableEntity e, DateTimeOffset hour) => new(
        Enum.Parse<LinkSourceType>(e.GetString("SourceType")!), e.GetString("SourceName")!, e.GetString("SubArtifact") ?? string.Empty,
        e.GetString("DedupeKey") ?? e.RowKey, e.GetDateTimeOffset("EventTime") ?? hour, e.GetDateTimeOffset("ReceivedAt") ?? hour, e.GetString("Kind") ?? string.Empty,
        e.GetInt32("Assets") ?? 0, e.GetInt32("Relationships") ?? 0, e.GetBoolean("IsRun") ?? false);

    private static string DedupeRowPart(string dedupeKey)
    {
        var escaped = TableKeys.Escape(dedupeKey);
        return escaped.Length <= 400 ? escaped : "sha256-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dedupeKey)));
    }
}

/// <summary>
/// Hourly aggregates (partition = hour; rows <c>s|{source}</c> and <c>a|{source}|{pipeline/activity}</c>), their daily
/// rollups (partition = UTC day, same rows), the hours' states (dirty marks, one small partition) and the reported-till
/// time. The rollups are what long ranges read: 30 days of a source are 30 rows, not 720.
/// </summary>
public sealed class TableLinkAggregateStore(StorageLayout layout) : ILinkAggregateStore, IStorageUser
{
    private const string HoursPartition = "h";
    private const string RolledUpMarker = "~rolledup";
    private readonly EntityTable _aggregates = layout.Table("linkaggregates");
    private readonly EntityTable _daily = layout.Table("linkdaily");
    private readonly EntityTable _state = layout.Table("linkhours");

    public Task MarkDirtyAsync(DateTimeOffset hour, CancellationToken cancellationToken) =>
        _state.UpsertEntityAsync(new TableEntity(HoursPartition, LinkHours.Key(hour)) { ["Dirty"] = true }, TableUpdateMode.Merge, cancellationToken);

    public async Task<IReadOnlyList<DateTimeOffset>> ListDirtyHoursAsync(CancellationToken cancellationToken) =>
        await _state.QueryAsync(TableFilter.And(TableFilter.PartitionKeyEquals(HoursPartition), TableFilter.Equal("Dirty", true)), cancellationToken: cancellationToken)
            .Select(e => LinkHours.Parse(e.RowKey))
            .ToListAsync(cancellationToken);

    public async Task<string?> BeginHourAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        var e = await _state.GetEntityOrDefaultAsync(HoursPartition, LinkHours.Key(hour), cancellationToken: cancellationToken);
        return e?.ETag.ToString();
    }

    public async Task CompleteHourAsync(DateTimeOffset hour, string? token, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(HoursPartition, LinkHours.Key(hour)) { ["Dirty"] = false, ["AggregatedAt"] = at };
        // Not written when a late event marked the hour dirty while it was aggregated: the mark stays, the next run re-aggregates it.
        _ = token is null
            ? await _state.TryAddEntityAsync(entity, cancellationToken)
            : await _state.TryUpdateEntityAsync(entity, new ETag(token), TableUpdateMode.Merge, cancellationToken) is not null;
    }

    public Task ReplaceHourAsync(DateTimeOffset hour, IReadOnlyList<LinkAggregate> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ReplacePartitionAsync(_aggregates, LinkHours.Key(hour), rows, cancellationToken);
    }

    public async Task<IReadOnlyList<LinkAggregate>> ListHoursOfDayAsync(DateTimeOffset day, CancellationToken cancellationToken)
    {
        var start = DayStart(day);
        return await ReadAsync(_aggregates, HourRange(start, start.AddDays(1)), key => LinkHours.Parse(key), cancellationToken);
    }

    public async Task ReplaceDayAsync(DateTimeOffset day, IReadOnlyList<LinkAggregate> rows, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await ReplacePartitionAsync(_daily, DayKey(day), rows, cancellationToken);
        // The marker last: a crash before it leaves the day to be rolled up again.
        await _daily.UpsertEntityAsync(new TableEntity(DayKey(day), RolledUpMarker) { ["At"] = at }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<DateTimeOffset>> ListDaysToRollUpAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        // Days with an aggregated hour (the hours' states) but no rollup marker: aggregated before rollups existed, or a
        // host stopped between an hour's rows and its day's rollup.
        var aggregated = new SortedSet<DateTimeOffset>();
        await foreach (var e in _state.QueryAsync(TableFilter.And(TableFilter.PartitionKeyEquals(HoursPartition), TableFilter.Compare("RowKey", "ge", LinkHours.Key(since))),
                           select: ["RowKey", "AggregatedAt"], cancellationToken: cancellationToken))
        {
            if (e.GetDateTimeOffset("AggregatedAt") is not null)
            {
                aggregated.Add(DayStart(LinkHours.Parse(e.RowKey)));
            }
        }

        await foreach (var e in _daily.QueryAsync(TableFilter.And(TableFilter.Compare("PartitionKey", "ge", DayKey(since)), TableFilter.RowKeyEquals(RolledUpMarker)),
                           select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            aggregated.Remove(ParseDay(e.PartitionKey));
        }

        return [.. aggregated];
    }

    /// <summary>Makes a partition hold exactly <paramref name="rows"/>: upserts them and deletes any other row it held.</summary>
    private static async Task ReplacePartitionAsync(EntityTable table, string partition, IReadOnlyList<LinkAggregate> rows, CancellationToken cancellationToken)
    {
        var existing = await table.QueryAsync(TableFilter.PartitionKeyEquals(partition), select: ["RowKey"], cancellationToken: cancellationToken)
            .Select(e => e.RowKey).ToHashSetAsync(StringComparer.Ordinal, cancellationToken);

        var entities = rows.Select(r => ToEntity(partition, r)).ToList();
        var keep = entities.Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
        var actions = entities.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e))
            .Concat(existing.Where(k => !keep.Contains(k)).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k))))
            .ToList();
        foreach (var chunk in actions.Chunk(100))
        {
            await table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<LinkAggregate>> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? sourceKey, bool wholeDays, CancellationToken cancellationToken)
    {
        var firstHour = LinkHours.Floor(from);
        var endHour = LinkHours.Floor(to) == to ? to : LinkHours.Floor(to).AddHours(1);
        var prefix = sourceKey is null ? "s|" : "a|" + TableKeys.Escape(sourceKey) + "|";
        var rows = TableFilter.RowKeyRange(prefix, prefix[..^1] + "}");
        // Whole days inside the range come from the daily rollup; the hours before the first and after the last whole day
        // from the hourly rows (one query for both edges).
        var firstDay = DayStart(firstHour) == firstHour ? firstHour : DayStart(firstHour).AddDays(1);
        var endDay = DayStart(endHour);
        if (!wholeDays || firstDay >= endDay)
        {
            return await ReadAsync(_aggregates, TableFilter.And(HourRange(firstHour, endHour), rows), key => LinkHours.Parse(key), cancellationToken);
        }

        var edges = new List<string>();
        if (firstHour < firstDay)
        {
            edges.Add(HourRange(firstHour, firstDay));
        }

        if (endDay < endHour)
        {
            edges.Add(HourRange(endDay, endHour));
        }

        var daily = ReadAsync(_daily, TableFilter.And(TableFilter.Compare("PartitionKey", "ge", DayKey(firstDay)), TableFilter.Compare("PartitionKey", "lt", DayKey(endDay)), rows),
            ParseDay, cancellationToken);
        var hourly = edges.Count == 0
            ? Task.FromResult(new List<LinkAggregate>())
            : ReadAsync(_aggregates, TableFilter.And(edges.Count == 1 ? edges[0] : TableFilter.Or([.. edges]), rows), key => LinkHours.Parse(key), cancellationToken);
        return [.. await hourly, .. await daily];
    }

    private static async Task<List<LinkAggregate>> ReadAsync(EntityTable table, string filter, Func<string, DateTimeOffset> time, CancellationToken cancellationToken) =>
        await table.QueryAsync(filter, cancellationToken: cancellationToken).Select(e => FromEntity(e, time(e.PartitionKey))).ToListAsync(cancellationToken);

    private static LinkAggregate FromEntity(TableEntity e, DateTimeOffset time) =>
        new(time, Enum.Parse<LinkSourceType>(e.GetString("SourceType")!), e.GetString("SourceName")!, e.GetString("SubArtifact"),
            e.GetInt64("Assets") ?? 0, e.GetInt64("Relationships") ?? 0, e.GetInt64("ActivityRuns") ?? 0, e.GetDateTimeOffset("LastRunTime"));

    private static string HourRange(DateTimeOffset from, DateTimeOffset to) =>
        TableFilter.And(TableFilter.Compare("PartitionKey", "ge", LinkHours.Key(from)), TableFilter.Compare("PartitionKey", "lt", LinkHours.Key(to)));

    private static DateTimeOffset DayStart(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    private static string DayKey(DateTimeOffset day) => DayStart(day).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseDay(string key) =>
        DateTimeOffset.ParseExact(key, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public async Task<DateTimeOffset?> GetReportedTillAsync(CancellationToken cancellationToken) =>
        (await _state.GetEntityOrDefaultAsync("r", "till", cancellationToken: cancellationToken))?.GetDateTimeOffset("Till");

    public async Task AdvanceReportedTillAsync(DateTimeOffset till, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var e = await _state.GetEntityOrDefaultAsync("r", "till", cancellationToken: cancellationToken);
            if (e?.GetDateTimeOffset("Till") is { } current && current >= till)
            {
                return;
            }

            var entity = new TableEntity("r", "till") { ["Till"] = till };
            var written = e is null
                ? await _state.TryAddEntityAsync(entity, cancellationToken)
                : await _state.TryUpdateEntityAsync(entity, e.ETag, TableUpdateMode.Replace, cancellationToken) is not null;
            if (written)
            {
                return;
            }

            // Another host moved it at the same time: read again.
        }
    }

    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var key = LinkHours.Key(cutoff);
        var deleted = await TableBatches.DeleteWhereAsync(_aggregates, TableFilter.Compare("PartitionKey", "lt", key), cancellationToken);
        // The rollups of days that end before the cutoff; a day the cutoff cuts stays until the next run (queries only
        // read the rollup of days wholly inside their range, which starts within the retention).
        deleted += await TableBatches.DeleteWhereAsync(_daily, TableFilter.Compare("PartitionKey", "lt", DayKey(cutoff)), cancellationToken);
        await TableBatches.DeleteWhereAsync(_state, TableFilter.And(TableFilter.PartitionKeyEquals(HoursPartition), TableFilter.Compare("RowKey", "lt", key)), cancellationToken);
        return deleted;
    }

    private static TableEntity ToEntity(string partition, LinkAggregate r)
    {
        var sourceKey = TableKeys.Escape(LinkNames.Key(r.SourceType, r.SourceName));
        return new TableEntity(partition, r.SubArtifact is null ? "s|" + sourceKey : "a|" + sourceKey + "|" + TableKeys.Escape(r.SubArtifact))
        {
            ["SourceType"] = r.SourceType.ToString(),
            ["SourceName"] = r.SourceName,
            ["SubArtifact"] = r.SubArtifact,
            ["Assets"] = r.Assets,
            ["Relationships"] = r.Relationships,
            ["ActivityRuns"] = r.ActivityRuns,
            ["LastRunTime"] = r.LastRunTime,
        };
    }
}
