using System.Collections.Concurrent;
using Purview.Core.DataMap;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;

namespace Purview.Storage.DataMap;

/// <summary>
/// The lineage data map in two tables. Entities: one partition per GUID (point reads, no hot partition).
/// Relationships: two rows each, one in the partition of each end (<c>out|kind|id</c> under the source,
/// <c>in|kind|id</c> under the target), so walking lineage either way reads one small partition per node.
/// Entities and relationships are never deleted here, so ids known to exist are remembered and not written again.
/// </summary>
public sealed class TableDataMap(StorageLayout layout) : IDataMap, IStorageUser
{
    private const int KnownCapacity = 200_000;
    private readonly TableClient _entities = layout.Table("dmentities");
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

        var e = await _entities.GetEntityOrDefaultAsync(parsed.ToString(), "e", cancellationToken: cancellationToken);
        return e is null ? null : FromEntity(e);
    }

    public Task<DataMapEntity?> GetByUniqueAttributeAsync(string typeName, string qualifiedName, CancellationToken cancellationToken) =>
        GetEntityByGuidAsync(DataMapIds.EntityGuid(typeName, qualifiedName), cancellationToken);

    public async Task<LineageGraph?> GetLineageAsync(string guid, LineageDirection direction, int depth, CancellationToken cancellationToken)
    {
        var start = await GetEntityByGuidAsync(guid, cancellationToken);
        if (start is null)
        {
            return null;
        }

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
                        if (r.Kind != RelationKind.Lineage)
                        {
                            continue;
                        }

                        var other = upstream ? (r.ToGuid == node ? r.FromGuid : null) : (r.FromGuid == node ? r.ToGuid : null);
                        if (other is null)
                        {
                            continue;
                        }

                        relations[r.Id] = r;
                        if (seen.Add(other))
                        {
                            next.Add(other);
                        }
                    }
                }

                frontier = next;
                foreach (var id in next)
                {
                    if (!entities.ContainsKey(id) && await GetEntityByGuidAsync(id, cancellationToken) is { } e)
                    {
                        entities[id] = e;
                    }
                }
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
                if (r.Kind == RelationKind.Parent && r.ToGuid == node && parents.TryAdd(r.Id, r))
                {
                    if (!entities.ContainsKey(r.FromGuid) && await GetEntityByGuidAsync(r.FromGuid, cancellationToken) is { } parent)
                    {
                        entities[parent.Guid] = parent;
                    }

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
