using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Purview.Core.DataMap;
using Purview.Core.Scanners;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;

namespace Purview.Storage.DataMap;

/// <summary>
/// The data map in three tables. Entities pushed by links: one partition per GUID (point reads, no hot partition).
/// Entities written by scan ingestion (<c>dmscanned</c>): PK = the GUID's first hex digit (16 partitions), RK = the GUID,
/// so a page of 1,000 assets is about 16 entity-group transactions and a read by GUID is still one point read per table
/// (both tables are read in parallel; the scanned row wins, it carries more). Relationships: two rows each, one in the
/// partition of each end (<c>out|kind|id</c> under the source, <c>in|kind|id</c> under the target), so walking lineage
/// either way reads one small partition per node. Link entities and relationships are never deleted here, so ids known
/// to exist are remembered and not written again.
/// </summary>
public sealed class TableDataMap(StorageLayout layout) : IDataMap, IStorageUser
{
    private const int KnownCapacity = 200_000;

    // Table string properties hold at most 64 KiB (32K UTF-16 characters): long column lists are split over several.
    private const int MaxChunkChars = 30_000;
    private const int MaxColumnChunks = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TableClient _entities = layout.Table("dmentities");
    private readonly TableClient _scanned = layout.Table("dmscanned");
    private readonly TableClient _relations = layout.Table("dmrelations");

    // Rows known to exist (never deleted) -> the creator key they carry ("" when none): most writes name only known rows.
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    public async Task<int> UpsertEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        // A fresh creator key: the rows this call creates are credited to it, and a later call never claims them.
        return (await WriteAsync([new DataMapWrite(Guid.NewGuid().ToString("N"), entities, [])], cancellationToken))[0].Entities;
    }

    public async Task<int> UpsertRelationshipsAsync(IReadOnlyList<DataMapRelationship> relationships, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationships);
        return (await WriteAsync([new DataMapWrite(Guid.NewGuid().ToString("N"), [], relationships)], cancellationToken))[0].Relationships;
    }

    /// <summary>
    /// Entities: one insert per unknown entity (each is its own partition). Relationships: the outgoing rows of unknown
    /// relationships inserted in transactions per source partition (the insert decides who created it), the incoming rows
    /// upserted per target partition; a relationship is remembered only when both rows are written, so a crash between
    /// them heals on retry. Rows carry the creator key; an insert that conflicts reads it back to credit a retried writer.
    /// </summary>
    public async Task<IReadOnlyList<DataMapWriteCounts>> WriteAsync(IReadOnlyList<DataMapWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var writerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            if (!writerOf.TryAdd(writes[i].CreatorKey, i))
            {
                throw new ArgumentException($"Creator key '{writes[i].CreatorKey}' appears twice: creator keys are distinct within one write.", nameof(writes));
            }
        }

        var entityCounts = new int[writes.Count];
        var relationCounts = new int[writes.Count];
        var newEntities = new Dictionary<string, (DataMapEntity Entity, int Writer)>(StringComparer.Ordinal);
        var newRelations = new Dictionary<string, (DataMapRelationship Relation, int Writer)>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            foreach (var e in writes[i].Entities)
            {
                if (_known.TryGetValue("e" + e.Guid, out var creator))
                {
                    Credit(entityCounts, writerOf, creator, i);
                }
                else
                {
                    newEntities.TryAdd(e.Guid, (e, i));
                }
            }

            foreach (var r in writes[i].Relationships)
            {
                if (_known.TryGetValue("r" + r.Id, out var creator))
                {
                    Credit(relationCounts, writerOf, creator, i);
                }
                else
                {
                    newRelations.TryAdd(r.Id, (r, i));
                }
            }
        }

        await Task.WhenAll(WriteEntitiesAsync(), WriteRelationsAsync());
        return writes.Select((_, i) => new DataMapWriteCounts(entityCounts[i], relationCounts[i])).ToList();

        async Task WriteEntitiesAsync()
        {
            if (newEntities.Count == 0)
            {
                return;
            }

            var existed = await TableBatches.AddMissingAsync(_entities, newEntities.Values.Select(n => ToEntity(n.Entity, writes[n.Writer].CreatorKey)), cancellationToken);
            var readBack = await ReadCreatorsAsync(_entities, existed, cancellationToken);
            foreach (var (guid, (_, writer)) in newEntities)
            {
                var creator = readBack.TryGetValue((guid, "e"), out var c) ? c : writes[writer].CreatorKey;
                if (writerOf.TryGetValue(creator, out var w))
                {
                    entityCounts[w]++;
                }

                Remember("e" + guid, creator);
            }
        }

        async Task WriteRelationsAsync()
        {
            if (newRelations.Count == 0)
            {
                return;
            }

            var existed = await TableBatches.AddMissingAsync(_relations, newRelations.Values.Select(n => ToRow(n.Relation, outgoing: true, writes[n.Writer].CreatorKey)), cancellationToken);
            var readBack = await ReadCreatorsAsync(_relations, existed, cancellationToken);
            await TableBatches.UpsertAllAsync(_relations, newRelations.Values.Select(n => ToRow(n.Relation, outgoing: false, null)), cancellationToken);
            foreach (var (id, (r, writer)) in newRelations)
            {
                var creator = readBack.TryGetValue((r.FromGuid, OutRowKey(r)), out var c) ? c : writes[writer].CreatorKey;
                if (writerOf.TryGetValue(creator, out var w))
                {
                    relationCounts[w]++;
                }

                Remember("r" + id, creator);
            }
        }
    }

    private static void Credit(int[] counts, Dictionary<string, int> writerOf, string creator, int naming)
    {
        // Only the writer that created a known row gets it, and only when it names it (a retry of that writer).
        if (writerOf.TryGetValue(creator, out var w) && w == naming)
        {
            counts[w]++;
        }
    }

    private static async Task<Dictionary<(string, string), string>> ReadCreatorsAsync(TableClient table, IReadOnlySet<(string PartitionKey, string RowKey)> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string), string>();
        if (keys.Count == 0)
        {
            return result;
        }

        var read = await Task.WhenAll(keys.Select(async k =>
            (k, (await table.GetEntityOrDefaultAsync(k.PartitionKey, k.RowKey, select: ["Creator"], cancellationToken: cancellationToken))?.GetString("Creator") ?? string.Empty)));
        foreach (var (k, creator) in read)
        {
            result[k] = creator;
        }

        return result;
    }

    public async Task<DataMapEntity?> GetEntityByGuidAsync(string guid, CancellationToken cancellationToken)
    {
        if (!System.Guid.TryParse(guid, out var parsed))
        {
            return null;
        }

        var id = parsed.ToString();
        var pushed = _entities.GetEntityOrDefaultAsync(id, "e", cancellationToken: cancellationToken);
        var scanned = _scanned.GetEntityOrDefaultAsync(ScannedPartition(id), id, cancellationToken: cancellationToken);
        var (e, s) = (await pushed, await scanned);
        if (s is not null)
        {
            var entity = FromScanned(s);
            // An asset both scanned and named by pushed lineage keeps the time it first appeared.
            return e is null ? entity : entity with { CreatedAt = FromEntity(e).CreatedAt };
        }

        return e is null ? null : FromEntity(e);
    }

    public async Task<IReadOnlyList<(string QualifiedName, string Reason)>> WriteScannedEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var refused = new ConcurrentBag<(string, string)>();
        var batches = entities
            .GroupBy(e => e.Guid, StringComparer.Ordinal).Select(g => g.Last())
            .GroupBy(e => ScannedPartition(e.Guid))
            .SelectMany(g => g.Chunk(100))
            .ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var rows = new List<TableEntity>(batch.Length);
            foreach (var e in batch)
            {
                if (ToScanned(e) is { } row)
                {
                    rows.Add(row);
                }
                else
                {
                    refused.Add((e.QualifiedName, $"The schema of '{e.QualifiedName}' is larger than an entity can hold ({MaxColumnChunks * MaxChunkChars:N0} characters of JSON)."));
                }
            }

            if (rows.Count == 0)
            {
                return;
            }

            try
            {
                await _scanned.SubmitTransactionAsync(rows.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)).ToList(), ct);
            }
            catch (StorageException ex) when (ex.Status is >= 400 and < 500 and not 408 and not 429)
            {
                // One refused row fails the whole transaction: write them one by one so only the bad ones fail.
                foreach (var row in rows)
                {
                    try
                    {
                        await _scanned.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
                    }
                    catch (StorageException one) when (one.Status is >= 400 and < 500 and not 408 and not 429)
                    {
                        refused.Add((row.GetString("QualifiedName")!, one.ServiceMessage ?? one.Message));
                    }
                }
            }
        });
        return refused.ToList();
    }

    public async Task<DataMapSearchPage> SearchAsync(DataMapQuery query, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(visible);
        // Order: every scanned entity (by partition, GUID), then every pushed one; the token is the position of the last
        // entity returned, so a page resumes exactly after it whatever was written in between.
        var (table, partition, row) = ParseSearchToken(query.ContinuationToken);
        var found = new List<DataMapEntity>(query.Limit);
        for (; table < 2; table++, partition = null, row = null)
        {
            var client = table == 0 ? _scanned : _entities;
            var filters = new List<string>();
            if (partition is not null)
            {
                filters.Add(TableFilter.Or(
                    TableFilter.And(TableFilter.PartitionKeyEquals(partition), TableFilter.Compare("RowKey", "gt", row)),
                    TableFilter.Compare("PartitionKey", "gt", partition)));
            }

            if (query.ExactType is { } type)
            {
                filters.Add(TableFilter.Equal("TypeName", type));
            }

            var filter = filters.Count == 0 ? null : TableFilter.And([.. filters]);
            await foreach (var e in client.QueryAsync(filter, cancellationToken: cancellationToken))
            {
                var entity = table == 0 ? FromScanned(e) : FromEntity(e);
                if (!query.Matches(entity) || !visible(entity))
                {
                    continue;
                }

                if (table == 1 && await _scanned.GetEntityOrDefaultAsync(ScannedPartition(entity.Guid), entity.Guid, ["PartitionKey"], cancellationToken) is not null)
                {
                    continue; // listed with the scanned entities already
                }

                found.Add(entity);
                if (found.Count == query.Limit)
                {
                    return new DataMapSearchPage(found, SearchToken(table, e.PartitionKey, e.RowKey));
                }
            }
        }

        return new DataMapSearchPage(found, null);
    }

    /// <summary>Whether <paramref name="token"/> is one this store wrote (callers validate before searching).</summary>
    public static bool IsSearchToken(string? token)
    {
        try
        {
            ParseSearchToken(token);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string SearchToken(int table, string partition, string row) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{table}\n{partition}\n{row}")));

    private static (int Table, string? Partition, string? Row) ParseSearchToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null, null);
        }

        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length))
        {
            throw new FormatException("The continuation token is not one this service returned.");
        }

        var parts = Encoding.UTF8.GetString(bytes, 0, length).Split('\n');
        if (parts.Length != 3 || parts[0] is not ("0" or "1") || parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new FormatException("The continuation token is not one this service returned.");
        }

        return (parts[0][0] - '0', parts[1], parts[2]);
    }

    private static string ScannedPartition(string guid) => guid[..1];

    private static TableEntity? ToScanned(DataMapEntity e)
    {
        var scanned = e.Scanned ?? throw new ArgumentException($"The entity {e.Guid} carries no scan attributes.", nameof(e));
        var row = new TableEntity(ScannedPartition(e.Guid), e.Guid)
        {
            ["TypeName"] = e.TypeName,
            ["QualifiedName"] = e.QualifiedName,
            ["Name"] = e.Name,
            ["Collection"] = e.Collection,
            ["DataSource"] = scanned.DataSource,
            ["Size"] = scanned.Size,
            ["Path"] = scanned.Path,
            ["LastModified"] = scanned.LastModified,
            ["Classifications"] = JsonSerializer.Serialize(scanned.Classifications, Json),
            ["LastRunId"] = scanned.LastRunId,
            ["UpdatedAt"] = scanned.UpdatedAt,
        };
        var columns = JsonSerializer.Serialize(scanned.Columns, Json);
        var chunks = (columns.Length + MaxChunkChars - 1) / MaxChunkChars;
        if (chunks > MaxColumnChunks)
        {
            return null;
        }

        for (var i = 0; i < chunks; i++)
        {
            row[i == 0 ? "Columns" : "Columns" + i.ToString(CultureInfo.InvariantCulture)] = columns.Substring(i * MaxChunkChars, Math.Min(MaxChunkChars, columns.Length - (i * MaxChunkChars)));
        }

        return row;
    }

    private static DataMapEntity FromScanned(TableEntity e)
    {
        var columns = new StringBuilder(e.GetString("Columns"));
        for (var i = 1; e.GetString("Columns" + i.ToString(CultureInfo.InvariantCulture)) is { } more; i++)
        {
            columns.Append(more);
        }

        var updatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default;
        return new DataMapEntity(e.RowKey, e.GetString("TypeName")!, e.GetString("QualifiedName")!, e.GetString("Name") ?? string.Empty, e.GetString("Collection"), false, updatedAt)
        {
            Scanned = new ScannedAttributes(
                e.GetString("DataSource") ?? string.Empty,
                e.GetInt64("Size") ?? 0,
                e.GetString("Path") ?? string.Empty,
                e.GetDateTimeOffset("LastModified"),
                columns.Length == 0 ? [] : JsonSerializer.Deserialize<List<AssetColumn>>(columns.ToString(), Json) ?? [],
                e.GetString("Classifications") is { } c ? JsonSerializer.Deserialize<List<string>>(c, Json) ?? [] : [],
                e.GetString("LastRunId") ?? string.Empty,
                updatedAt),
        };
    }

    public Task<DataMapEntity?> GetByUniqueAttributeAsync(string typeName, string qualifiedName, CancellationToken cancellationToken) =>
        GetEntityByGuidAsync(DataMapIds.EntityGuid(typeName, qualifiedName), cancellationToken);

    public async Task<LineageGraph?> GetLineageAsync(string guid, LineageDirection direction, int depth, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visible);
        var start = await GetEntityByGuidAsync(guid, cancellationToken);
        if (start is null || !visible(start))
        {
            return null;
        }

        var hidden = new HashSet<string>(StringComparer.Ordinal);

        var entities = new Dictionary<string, DataMapEntity>(StringComparer.Ordinal) { [start.Guid] = start };
        var relations = new Dictionary<string, DataMapRelationship>(StringComparer.Ordinal);
        var rowsByNode = new Dictionary<string, IReadOnlyList<DataMapRelationship>>(StringComparer.Ordinal);

        async Task<IReadOnlyList<DataMapRelationship>> RowsOf(string node)
        {
            if (!rowsByNode.TryGetValue(node, out var rows))
            {
                var list = new List<DataMapRelationship>();
                await foreach (var row in _relations.QueryAsync(TableFilter.PartitionKeyEquals(node), cancellationToken: cancellationToken))
                {
                    list.Add(FromRow(row));
                }

                rowsByNode[node] = rows = list;
            }

            return rows;
        }

        async Task Walk(bool upstream)
        {
            var frontier = new List<string> { start.Guid };
            var seen = new HashSet<string>(StringComparer.Ordinal) { start.Guid };
            for (var level = 0; level < depth && frontier.Count > 0; level++)
            {
                var next = new List<string>();
                foreach (var node in frontier)
                {
                    foreach (var r in await RowsOf(node))
                    {
                        if (r.Kind == RelationKind.Parent)
                        {
                            continue;
                        }

                        var other = upstream ? (r.ToGuid == node ? r.FromGuid : null) : (r.FromGuid == node ? r.ToGuid : null);
                        if (other is null || hidden.Contains(other))
                        {
                            continue;
                        }

                        if (!entities.ContainsKey(other))
                        {
                            var e = await GetEntityByGuidAsync(other, cancellationToken);
                            if (e is not null && !visible(e))
                            {
                                // Not readable by the caller: neither shown nor walked through.
                                hidden.Add(other);
                                continue;
                            }

                            if (e is not null)
                            {
                                entities[other] = e;
                            }
                        }

                        relations[r.Id] = r;
                        if (seen.Add(other))
                        {
                            next.Add(other);
                        }
                    }
                }

                frontier = next;
            }
        }

        if (direction is LineageDirection.Input or LineageDirection.Both)
        {
            await Walk(upstream: true);
        }

        if (direction is LineageDirection.Output or LineageDirection.Both)
        {
            await Walk(upstream: false);
        }

        // Parent relations of every process in the graph (activity, operation), up to the factory.
        var parents = new Dictionary<string, DataMapRelationship>(StringComparer.Ordinal);
        var pending = new Queue<string>(entities.Values.Where(e => e.IsProcess).Select(e => e.Guid));
        while (pending.Count > 0)
        {
            var node = pending.Dequeue();
            foreach (var r in await RowsOf(node))
            {
                if (r.Kind == RelationKind.Parent && r.ToGuid == node && !hidden.Contains(r.FromGuid) && !parents.ContainsKey(r.Id))
                {
                    if (!entities.ContainsKey(r.FromGuid) && await GetEntityByGuidAsync(r.FromGuid, cancellationToken) is { } parent)
                    {
                        if (!visible(parent))
                        {
                            hidden.Add(parent.Guid);
                            continue;
                        }

                        entities[parent.Guid] = parent;
                    }

                    parents[r.Id] = r;
                    pending.Enqueue(r.FromGuid);
                }
            }
        }

        return new LineageGraph(start.Guid, entities, relations.Values.ToList(), parents.Values.ToList(), direction, depth);
    }

    private void Remember(string key, string creator)
    {
        if (_known.Count > KnownCapacity)
        {
            _known.Clear();
        }

        _known.TryAdd(key, creator);
    }

    private static TableEntity ToEntity(DataMapEntity e, string creator) => new(e.Guid, "e")
    {
        ["Creator"] = creator,
        ["TypeName"] = e.TypeName,
        ["QualifiedName"] = e.QualifiedName,
        ["Name"] = e.Name,
        ["Collection"] = e.Collection,
        ["IsProcess"] = e.IsProcess,
        ["CreatedAt"] = e.CreatedAt,
    };

    private static DataMapEntity FromEntity(TableEntity e) => new(
        e.PartitionKey, e.GetString("TypeName")!, e.GetString("QualifiedName")!, e.GetString("Name") ?? string.Empty, e.GetString("Collection"),
        e.GetBoolean("IsProcess") ?? false, e.GetDateTimeOffset("CreatedAt") ?? default);

    private static string OutRowKey(DataMapRelationship r) => $"out|{r.Kind}|{r.Id}";

    private static TableEntity ToRow(DataMapRelationship r, bool outgoing, string? creator)
    {
        var row = new TableEntity(outgoing ? r.FromGuid : r.ToGuid, outgoing ? OutRowKey(r) : $"in|{r.Kind}|{r.Id}")
        {
            ["Id"] = r.Id,
            ["Kind"] = r.Kind.ToString(),
            ["TypeName"] = r.TypeName,
            ["From"] = r.FromGuid,
            ["To"] = r.ToGuid,
        };
        if (creator is not null)
        {
            row["Creator"] = creator;
        }

        return row;
    }

    private static DataMapRelationship FromRow(TableEntity e) => new(
        e.GetString("Id")!, Enum.Parse<RelationKind>(e.GetString("Kind")!), e.GetString("TypeName") ?? string.Empty, e.GetString("From")!, e.GetString("To")!);
}
