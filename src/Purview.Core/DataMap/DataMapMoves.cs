using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.DataMap;

/// <summary>
/// Moving entities between collections (the Data Map's <c>POST /entity/moveTo?collectionId=</c>): the only way an entity
/// changes owner. The caller needs the Collection admin role on the target collection and on the collection of every
/// entity moved (a move gives the entity to the target's readers and takes it from the source's). The request is
/// checked whole before anything moves.
/// </summary>
public sealed class DataMapMoves(IDataMap dataMap, AccessService access)
{
    public const int MaxEntitiesPerMove = 50;

    public async Task<Result<IReadOnlyList<DataMapEntity>>> MoveAsync(Principal caller, string? collectionId, IReadOnlyList<string?>? entityGuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrEmpty(collectionId))
        {
            return Error.Validation("collectionId", "The query parameter collectionId (the collection to move the entities to) is required.");
        }

        if (entityGuids is null || entityGuids.Count is 0 or > MaxEntitiesPerMove)
        {
            return Error.Validation("entityGuids", $"entityGuids lists 1 to {MaxEntitiesPerMove} entity GUIDs.");
        }

        var guids = new List<string>(entityGuids.Count);
        for (var i = 0; i < entityGuids.Count; i++)
        {
            if (!Guid.TryParse(entityGuids[i], out var parsed))
            {
                return Error.Validation($"entityGuids[{i}]", "Each entry of entityGuids is an entity GUID.");
            }

            guids.Add(parsed.ToString());
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var target = snapshot.Find(collectionId);
        if (target is null || !Roles.All.Any(r => snapshot.HasRole(caller, r, target.Name)))
        {
            return Error.Validation("collectionId", $"The collection '{collectionId}' does not exist.");
        }

        if (!snapshot.HasRole(caller, Role.CollectionAdmin, target.Name))
        {
            return Error.Forbidden($"Moving entities into '{target.Name}' needs the Collection admin role on it.");
        }

        var entities = new List<DataMapEntity>(guids.Count);
        foreach (var guid in guids.Distinct(StringComparer.Ordinal))
        {
            var entity = await dataMap.GetEntityByGuidAsync(guid, cancellationToken);
            var from = entity?.Collection ?? snapshot.RootName;
            if (entity is null || !Roles.All.Any(r => snapshot.HasRole(caller, r, from)))
            {
                // Existence is not revealed to a caller with no role where the entity lives.
                return Error.NotFound($"No entity with guid '{guid}'.");
            }

            if (!snapshot.HasRole(caller, Role.CollectionAdmin, from))
            {
                return Error.Forbidden($"Moving entity '{guid}' out of '{from}' needs the Collection admin role on '{from}'.");
            }

            entities.Add(entity);
        }

        var moved = new List<DataMapEntity>(entities.Count);
        foreach (var entity in entities)
        {
            if (!await dataMap.MoveAsync(entity.Guid, entity.Collection, target.Name, cancellationToken))
            {
                return Error.Conflict("EntityChanged", $"Entity '{entity.Guid}' changed collection while it was being moved ({moved.Count} of {entities.Count} moved): read it and retry.");
            }

            await access.AuditAsync(caller, "entity.move", entity.Guid, target.Name, $"from {entity.Collection ?? snapshot.RootName}", cancellationToken);
            moved.Add(entity with { Collection = target.Name });
        }

        return moved;
    }
}

/// <summary>A collection that still owns entities in the data map cannot be deleted: a later collection of the same name would inherit them.</summary>
public sealed class DataMapCollectionUsage(IDataMap dataMap) : ICollectionUsage
{
    public async Task<string?> DescribeUsageAsync(string collectionName, CancellationToken cancellationToken) =>
        await dataMap.AnyOwnedByAsync(collectionName, cancellationToken) ? "entities in the data map (move them with POST /datamap/api/entity/moveTo)" : null;
}
