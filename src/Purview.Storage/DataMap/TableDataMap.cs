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
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);

    public async Task<int> UpsertEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var created = await Task.WhenAll(entities.DistinctBy(e => e.Guid).Where(e => !_known.ContainsKey("e" + e.Guid)).Select(async e =>
        {
            try
            {
                await _entities.AddEntityAsync(ToEntity(e), cancellationToken);
                Remember("e" + e.Guid);
                return 1;
            }
            catch (StorageException ex) when (ex.IsConflict)
            {
                Remember("e" + e.Guid);
                return 0;
            }
        }));
        return created.Sum();
    }

    public async Task<int> UpsertRelationshipsAsync(IReadOnlyList<DataMapRelationship> relationships, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationships);
        var created = await Task.WhenAll(relationships.DistinctBy(r => r.Id).Where(r => !_known.ContainsKey("r" + r.Id)).Select(async r =>
        {
            var isNew = 1;
            try
            {
                await _relations.AddEntityAsync(ToRow(r, outgoing: true), cancellationToken);
            }
            catch (StorageException ex) when (ex.IsConflict)
            {
                isNew = 0;
            }

            // The incoming row is written every time the relationship is not known, so a crash between the two writes heals on retry.
            await _relations.UpsertEntityAsync(ToRow(r, outgoing: false), TableUpdateMode.Replace, cancellationToken);
            Remember("r" + r.Id);
            return isNew;
        }));
        return created.Sum();
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

    private void Remember(string key)
    {
        if (_known.Count > KnownCapacity)
        {
            _known.Clear();
        }

        _known.TryAdd(key, 0);
    }

    private static TableEntity ToEntity(DataMapEntity e) => new(e.Guid, "e")
    {
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

    private static TableEntity ToRow(DataMapRelationship r, bool outgoing) => new(outgoing ? r.FromGuid : r.ToGuid, $"{(outgoing ? "out" : "in")}|{r.Kind}|{r.Id}")
    {
        ["Id"] = r.Id,
        ["Kind"] = r.Kind.ToString(),
        ["TypeName"] = r.TypeName,
        ["From"] = r.FromGuid,
        ["To"] = r.ToGuid,
    };

    private static DataMapRelationship FromRow(TableEntity e) => new(
        e.GetString("Id")!, Enum.Parse<RelationKind>(e.GetString("Kind")!), e.GetString("TypeName") ?? string.Empty, e.GetString("From")!, e.GetString("To")!);
}
