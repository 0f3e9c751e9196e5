namespace Purview.Core.DataMap;

/// <summary>
/// What one collection's push may write, given who owns each entity: an entity belongs to the collection that first put
/// it in the data map. The pusher writes the entities it owns and the relationships between them; an entity another
/// collection owns is never written, and a relationship into or out of it (an output, a parent, its process) is left out
/// with it. Reading a dataset is allowed: a lineage relationship from it into a process the pusher owns (an input) is
/// kept - the edge belongs to the pusher's job, the dataset stays as its owner wrote it.
/// </summary>
public static class DataMapOwnership
{
    /// <param name="owners">The owner of every GUID the write names (see <see cref="IDataMap.ClaimAsync"/>); a GUID missing here counts as the pusher's.</param>
    public static OwnedWrite Apply(
        IReadOnlyList<DataMapEntity> entities, IReadOnlyList<DataMapRelationship> relationships, string collection, IReadOnlyDictionary<string, string?> owners)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentNullException.ThrowIfNull(relationships);
        ArgumentNullException.ThrowIfNull(owners);
        bool Mine(string guid) => !owners.TryGetValue(guid, out var owner) || string.Equals(owner, collection, StringComparison.OrdinalIgnoreCase);

        var processes = entities.Where(e => e.IsProcess).Select(e => e.Guid).ToHashSet(StringComparer.Ordinal);

        // A dataset another collection owns may be read: its lineage edge into the pusher's process is the pusher's.
        bool Reads(DataMapRelationship r) => r.Kind == RelationKind.Lineage && !Mine(r.FromGuid) && !processes.Contains(r.FromGuid) && Mine(r.ToGuid);
        var kept = relationships.Where(r => (Mine(r.FromGuid) && Mine(r.ToGuid)) || Reads(r)).ToList();
        var readOnly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entities.Where(e => !Mine(e.Guid)))
        {
            // Only read when every relationship naming it is a kept lineage edge out of it, and there is at least one.
            var naming = relationships.Where(r => r.FromGuid == e.Guid || r.ToGuid == e.Guid).ToList();
            if (naming.Count > 0 && naming.All(r => r.FromGuid == e.Guid && Reads(r)))
            {
                readOnly.Add(e.Guid);
            }
        }

        return new OwnedWrite(
            entities.Where(e => Mine(e.Guid)).ToList(),
            kept,
            entities.Where(e => !Mine(e.Guid) && !readOnly.Contains(e.Guid)).ToList());
    }
}

/// <summary>The part of a write the writer may make, and the entities it named but may not write (<see cref="Skipped"/>).</summary>
public sealed record OwnedWrite(IReadOnlyList<DataMapEntity> Entities, IReadOnlyList<DataMapRelationship> Relationships, IReadOnlyList<DataMapEntity> Skipped);
