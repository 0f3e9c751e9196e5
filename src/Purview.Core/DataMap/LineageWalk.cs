namespace Purview.Core.DataMap;

/// <summary>
/// The lineage around an entity: <c>depth</c> hops in the direction asked over lineage and reference (foreign-key)
/// relationships, then the parent chain of every process in the graph (activity, operation, up to the factory).
/// Entities the caller may not read (<c>visible</c> refuses them) are neither returned nor walked through. Each node's
/// relationships are read once per walk, through <see cref="IDataMap.GetRelationshipsOfAsync"/>.
/// </summary>
public static class LineageWalk
{
    /// <summary>The graph, or null when the entity does not exist or the caller may not read it.</summary>
    public static async Task<LineageGraph?> RunAsync(IDataMap dataMap, string entityGuid, LineageDirection direction, int depth, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataMap);
        ArgumentNullException.ThrowIfNull(visible);
        var start = await dataMap.GetEntityByGuidAsync(entityGuid, cancellationToken);
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
                rowsByNode[node] = rows = await dataMap.GetRelationshipsOfAsync(node, cancellationToken);
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
                            var e = await dataMap.GetEntityByGuidAsync(other, cancellationToken);
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
                    if (!entities.ContainsKey(r.FromGuid) && await dataMap.GetEntityByGuidAsync(r.FromGuid, cancellationToken) is { } parent)
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
}
