// Atlas names an entity's id "guid" in routes and JSON; the wire records keep it.
#pragma warning disable CA1720
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Core.Common;
using Purview.Core.DataMap;

namespace Purview.Api.DataMap;

/// <summary>The Atlas reads of the Purview Data Map (<c>{endpoint}/datamap/api/atlas/v2/...</c>); errors in the Purview shape.</summary>
public static class DataMapEndpoints
{
    public const int MaxDepth = 10;

    public static IEndpointRouteBuilder MapDataMapEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/datamap/api/atlas/v2").WithTags("Data map").RequireAuthorization(AccessPolicies.DataReader);
        group.MapGet("/lineage/{guid}", GetLineage).WithName("GetLineage");
        group.MapGet("/entity/guid/{guid}", GetEntity).WithName("GetEntityByGuid");
        return routes;
    }

    public static async Task<Results<Ok<AtlasLineageInfo>, ProblemHttpResult>> GetLineage(
        string guid, IDataMap dataMap, CancellationToken cancellationToken, string? direction = null, string? depth = null)
    {
        var dir = (direction ?? "BOTH").ToUpperInvariant() switch
        {
            "INPUT" => LineageDirection.Input,
            "OUTPUT" => LineageDirection.Output,
            "BOTH" => LineageDirection.Both,
            _ => (LineageDirection?)null,
        };
        if (dir is null)
        {
            return ApiResults.Validation("direction", "direction is INPUT, OUTPUT or BOTH.");
        }

        var levels = 3;
        if (depth is not null && (!int.TryParse(depth, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out levels) || levels > MaxDepth))
        {
            return ApiResults.Validation("depth", $"depth is a number of lineage hops from 0 to {MaxDepth}.");
        }

        if (!Guid.TryParse(guid, out _))
        {
            return ApiResults.Validation("guid", "guid must be an entity GUID.");
        }

        var graph = await dataMap.GetLineageAsync(guid, dir.Value, levels, cancellationToken);
        return graph is null ? ApiResults.Problem(Error.NotFound($"No entity with guid '{guid}'.")) : TypedResults.Ok(AtlasLineageInfo.From(graph));
    }

    public static async Task<Results<Ok<AtlasEntityWithExtInfo>, ProblemHttpResult>> GetEntity(string guid, IDataMap dataMap, CancellationToken cancellationToken)
    {
        var entity = await dataMap.GetEntityByGuidAsync(guid, cancellationToken);
        return entity is null
            ? ApiResults.Problem(Error.NotFound($"No entity with guid '{guid}'."))
            : TypedResults.Ok(new AtlasEntityWithExtInfo(AtlasEntity.From(entity), new Dictionary<string, AtlasEntity>()));
    }
}

public sealed record AtlasAttributes(string QualifiedName, string Name);

public sealed record AtlasEntityHeader(string Guid, string TypeName, AtlasAttributes Attributes, string DisplayText, string Status)
{
    public static AtlasEntityHeader From(DataMapEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Guid, e.TypeName, new AtlasAttributes(e.QualifiedName, e.Name), e.Name, "ACTIVE");
    }
}

public sealed record AtlasEntity(string Guid, string TypeName, AtlasAttributes Attributes, string Status, string? CollectionId, long CreateTime)
{
    public static AtlasEntity From(DataMapEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Guid, e.TypeName, new AtlasAttributes(e.QualifiedName, e.Name), "ACTIVE", e.Collection, e.CreatedAt.ToUnixTimeMilliseconds());
    }
}

public sealed record AtlasEntityWithExtInfo(AtlasEntity Entity, IReadOnlyDictionary<string, AtlasEntity> ReferredEntities);

public sealed record LineageRelation(string FromEntityId, string ToEntityId, string RelationshipId);

public sealed record ParentRelation(string ChildEntityId, string ParentEntityId, string RelationshipId);

public sealed record AtlasLineageInfo(
    string BaseEntityGuid,
    IReadOnlyDictionary<string, AtlasEntityHeader> GuidEntityMap,
    IReadOnlyList<LineageRelation> Relations,
    IReadOnlyList<ParentRelation> ParentRelations,
    string LineageDirection,
    int LineageDepth,
    IReadOnlyDictionary<string, int> WidthCounts)
{
    public static AtlasLineageInfo From(LineageGraph g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new(
            g.BaseEntityGuid,
            g.Entities.ToDictionary(kv => kv.Key, kv => AtlasEntityHeader.From(kv.Value), StringComparer.Ordinal),
            g.Relations.Select(r => new LineageRelation(r.FromGuid, r.ToGuid, r.Id)).ToList(),
            g.ParentRelations.Select(r => new ParentRelation(r.ToGuid, r.FromGuid, r.Id)).ToList(),
            g.Direction.ToString().ToUpperInvariant(),
            g.Depth,
            new Dictionary<string, int>());
    }
}
