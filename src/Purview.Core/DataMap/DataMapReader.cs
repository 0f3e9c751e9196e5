// Atlas calls an entity's id "guid"; the reads keep that name.
#pragma warning disable CA1720
using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.DataMap;

/// <summary>
/// The Atlas reads of the data map, for one caller: an entity is readable by the Data readers of its collection (roles
/// inherited from ancestors); any other entity is reported as not found, and lineage and search leave it out. An
/// entity without a collection belongs to the root collection.
/// </summary>
public sealed class DataMapReader(IDataMap dataMap, AccessService access)
{
    public const int MaxDepth = 10;
    public const int MaxSearchLimit = 1000;

    public async Task<Result<DataMapEntity>> GetByGuidAsync(Principal caller, string guid, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(guid, out _))
        {
            return Error.Validation("guid", "guid must be an entity GUID.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        var entity = await dataMap.GetEntityByGuidAsync(guid, cancellationToken);
        return entity is not null && visible(entity) ? entity : Error.NotFound($"No entity with guid '{guid}'.");
    }

    public async Task<Result<DataMapEntity>> GetByUniqueAttributeAsync(Principal caller, string typeName, string? qualifiedName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(typeName) || typeName.Length > 256 || typeName.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
        {
            return Error.Validation("typeName", "typeName is 1-256 characters without control characters.");
        }

        if (string.IsNullOrEmpty(qualifiedName))
        {
            return Error.Validation("attr:qualifiedName", "The query parameter attr:qualifiedName (the entity's qualified name) is required.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        var entity = await dataMap.GetEntityByGuidAsync(DataMapIds.EntityGuid(typeName, qualifiedName), cancellationToken);
        return entity is not null && visible(entity) ? entity : Error.NotFound($"No {typeName} entity with qualifiedName '{qualifiedName}'.");
    }

    public async Task<Result<LineageGraph>> GetLineageAsync(Principal caller, string guid, LineageDirection direction, int depth, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(guid, out _))
        {
            return Error.Validation("guid", "guid must be an entity GUID.");
        }

        if (depth is < 0 or > MaxDepth)
        {
            return Error.Validation("depth", $"depth is a number of lineage hops from 0 to {MaxDepth}.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        var graph = await dataMap.GetLineageAsync(guid, direction, depth, visible, cancellationToken);
        return graph is null ? Error.NotFound($"No entity with guid '{guid}'.") : graph;
    }

    public async Task<Result<DataMapSearchPage>> SearchAsync(Principal caller, DataMapQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxSearchLimit)
        {
            return Error.Validation("limit", $"limit is 1 to {MaxSearchLimit}.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        try
        {
            return await dataMap.SearchAsync(query, visible, cancellationToken);
        }
        catch (FormatException)
        {
            return Error.Validation("continuationToken", "continuationToken is not one this service returned: pass the previous page's token as it was.");
        }
    }

    private async Task<Func<DataMapEntity, bool>> VisibilityAsync(Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var readable = snapshot.CollectionsWhere(caller, Role.DataReader);
        return e => readable.Contains(e.Collection ?? snapshot.RootName);
    }
}
