// Atlas names an entity's id "guid" in routes and JSON; the wire records keep it.
#pragma warning disable CA1720
using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Purview.Core.Common;
using Purview.Core.DataMap;

namespace Purview.Api.DataMap;

/// <summary>
/// The reads of the Purview Data Map (<c>{endpoint}/datamap/api/...</c>): Atlas v2 entities and lineage, and the search
/// query; one data map for the lineage that links push and the assets scans ingest. Errors in the Purview shape.
/// </summary>
public static class DataMapEndpoints
{
    public const int MaxDepth = DataMapReader.MaxDepth;
    public const int DefaultSearchLimit = 50;
    public const long SearchBodyLimit = 16 * 1024;
    public const string QualifiedNameParameter = "attr:qualifiedName";

    public static IEndpointRouteBuilder MapDataMapEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/datamap/api").WithTags("Data map").RequireAuthorization(AccessPolicies.DataReader);
        group.MapGet("/atlas/v2/lineage/{guid}", GetLineage).WithName("GetLineage").WithSummary("An entity's lineage graph (Atlas v2): direction INPUT|OUTPUT|BOTH, depth hops.");
        group.MapGet("/atlas/v2/entity/guid/{guid}", GetEntity).WithName("GetEntityByGuid").WithSummary("An entity by its GUID (Atlas v2), with its referred entities.");
        group.MapGet("/atlas/v2/entity/uniqueAttribute/type/{typeName}", GetEntityByUniqueAttribute).WithName("GetEntityByUniqueAttribute").WithSummary("An entity by type name and qualified name (attr:qualifiedName).");
        group.MapPost("/search/query", Search).WithName("SearchDataMap").WithSummary("Searches the data map (keywords, filter, facets) among the caller's collections.").WithBodyLimit(SearchBodyLimit);

        // Moving changes who owns an entity: Collection admins only (of the target and of each entity's collection).
        var admin = routes.MapGroup("/datamap/api").WithTags("Data map").RequireAuthorization(AccessPolicies.CollectionAdmin);
        admin.MapPost("/entity/moveTo", MoveEntities).WithName("MoveEntitiesToCollection").WithSummary("Moves entities to another collection; Collection admin of both.").WithBodyLimit(MoveBodyLimit);
        return routes;
    }

    public const long MoveBodyLimit = 16 * 1024;

    public static async Task<Results<Ok<EntityMutationResult>, ProblemHttpResult>> MoveEntities(
        MoveEntitiesRequest body, HttpContext http, DataMapMoves moves, CancellationToken cancellationToken, string? collectionId = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(moves);
        var result = await moves.MoveAsync(http.GetCaller(), collectionId, body.EntityGuids, cancellationToken);
        return ApiResults.Ok(result, moved =>
            new EntityMutationResult(new Dictionary<string, IReadOnlyList<AtlasEntityHeader>>(StringComparer.Ordinal) { ["UPDATE"] = moved.Select(AtlasEntityHeader.From).ToList() }));
    }

    public static async Task<Results<Ok<AtlasLineageInfo>, ProblemHttpResult>> GetLineage(
        string guid, HttpContext http, DataMapReader reader, CancellationToken cancellationToken, string? direction = null, string? depth = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
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
        if (depth is not null && !int.TryParse(depth, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out levels))
        {
            return ApiResults.Validation("depth", $"depth is a number of lineage hops from 0 to {MaxDepth}.");
        }

        var result = await reader.GetLineageAsync(http.GetCaller(), guid, dir.Value, levels, cancellationToken);
        return ApiResults.Ok(result, AtlasLineageInfo.From);
    }

    public static async Task<Results<Ok<AtlasEntityWithExtInfo>, ProblemHttpResult>> GetEntity(string guid, HttpContext http, DataMapReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = await reader.GetByGuidAsync(http.GetCaller(), guid, cancellationToken);
        return ApiResults.Ok(result, AtlasEntityWithExtInfo.From);
    }

    public static async Task<Results<Ok<AtlasEntityWithExtInfo>, ProblemHttpResult>> GetEntityByUniqueAttribute(
        string typeName, HttpContext http, DataMapReader reader, CancellationToken cancellationToken, [FromQuery(Name = QualifiedNameParameter)] string? qualifiedName = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var result = await reader.GetByUniqueAttributeAsync(http.GetCaller(), typeName, qualifiedName, cancellationToken);
        return ApiResults.Ok(result, AtlasEntityWithExtInfo.From);
    }

    public static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search(SearchRequest body, HttpContext http, DataMapReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(http);
        // The clock anchors relative time filters (LAST_7D); resolved here so both hosts keep calling this handler alike.
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var query = body.ToQuery(time.GetUtcNow());
        if (!query.IsSuccess)
        {
            return ApiResults.Problem(query.Error!);
        }

        var result = await reader.SearchAsync(http.GetCaller(), query.Value!, cancellationToken);
        return ApiResults.Ok(result, SearchResponse.From);
    }
}

/// <summary>The body of <c>POST /entity/moveTo</c> (the spec's <c>MoveEntitiesOptions</c>).</summary>
public sealed record MoveEntitiesRequest(IReadOnlyList<string?>? EntityGuids = null);

/// <summary>The spec's <c>EntityMutationResult</c>, as far as a move fills it: the moved entities under <c>UPDATE</c>.</summary>
public sealed record EntityMutationResult(IReadOnlyDictionary<string, IReadOnlyList<AtlasEntityHeader>> MutatedEntities);

/// <summary>A header's attributes; the rollup ones only on processes (runs) and resource sets (partitions) that have them.</summary>
public sealed record AtlasAttributes(
    string QualifiedName,
    string Name,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RunCount = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastRunId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? LastRunTime = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? PartitionCount = null);

public sealed record AtlasEntityHeader(string Guid, string TypeName, AtlasAttributes Attributes, string DisplayText, string Status)
{
    public static AtlasEntityHeader From(DataMapEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var attributes = e.Rollup is not { } r ? new AtlasAttributes(e.QualifiedName, e.Name)
            : e.IsProcess ? new AtlasAttributes(e.QualifiedName, e.Name, r.Count, r.Latest.Key, r.Latest.At.ToUnixTimeMilliseconds())
            : new AtlasAttributes(e.QualifiedName, e.Name, PartitionCount: r.Count);
        return new(e.Guid, e.TypeName, attributes, e.Name, "ACTIVE");
    }
}

public sealed record AtlasClassification(string TypeName, string EntityGuid, string EntityStatus);

/// <summary>An <c>AtlasRelatedObjectId</c>: the other end of a relationship attribute.</summary>
public sealed record AtlasRelatedObjectId(string Guid, string TypeName, string DisplayText, string RelationshipType, string EntityStatus);

public sealed record AtlasEntity(
    string Guid,
    string TypeName,
    IReadOnlyDictionary<string, object?> Attributes,
    string Status,
    string? CollectionId,
    long CreateTime,
    long UpdateTime,
    IReadOnlyList<AtlasClassification> Classifications,
    IReadOnlyDictionary<string, IReadOnlyList<AtlasRelatedObjectId>> RelationshipAttributes)
{
    public static AtlasEntity From(DataMapEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal) { ["qualifiedName"] = e.QualifiedName, ["name"] = e.Name };
        var relationships = new Dictionary<string, IReadOnlyList<AtlasRelatedObjectId>>(StringComparer.Ordinal);
        var updated = e.CreatedAt;
        if (e.Scanned is { } s)
        {
            attributes["path"] = s.Path;
            attributes["size"] = s.Size;
            attributes["modifiedTime"] = s.LastModified?.ToUnixTimeMilliseconds();
            attributes["dataSource"] = s.DataSource;
            updated = s.UpdatedAt;
            if (s.Columns.Count > 0)
            {
                relationships["columns"] = Columns(e).Select(c => new AtlasRelatedObjectId(c.Guid, c.TypeName, c.Name, e.TypeName + "_columns", "ACTIVE")).ToList();
            }
        }

        if (e.Rollup is { } r && e.IsProcess)
        {
            // One process stands for every run of the activity or job: how many, and the latest.
            attributes["runCount"] = r.Count;
            attributes["lastRunId"] = r.Latest.Key;
            attributes["lastRunTime"] = r.Latest.At.ToUnixTimeMilliseconds();
            attributes["recentRuns"] = r.Recent.Select(x => new AtlasRollupEntry(x.Key, x.At.ToUnixTimeMilliseconds())).ToList();
            updated = r.Latest.At > updated ? r.Latest.At : updated;
        }
        else if (e.Rollup is { } p)
        {
            // A resource set stands for the raw paths pushed lineage named: how many, and the most recent of them.
            attributes["partitionCount"] = p.Count;
            attributes["partitions"] = p.Recent.Select(x => new AtlasRollupEntry(x.Key, x.At.ToUnixTimeMilliseconds())).ToList();
        }

        return new(e.Guid, e.TypeName, attributes, "ACTIVE", e.Collection, e.CreatedAt.ToUnixTimeMilliseconds(), updated.ToUnixTimeMilliseconds(),
            (e.Scanned?.Classifications ?? []).Select(c => new AtlasClassification(c, e.Guid, "ACTIVE")).ToList(), relationships);
    }

    /// <summary>
    /// A scanned asset's columns as Atlas entities (<c>{type}_column</c>, qualified name <c>{asset}#{column}</c>): they
    /// are stored on the asset's row, so they come with it at no extra read.
    /// </summary>
    public static IReadOnlyList<(string Guid, string TypeName, string Name, AtlasEntity Entity)> Columns(DataMapEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Scanned is not { } s)
        {
            return [];
        }

        var typeName = e.TypeName + "_column";
        return s.Columns.Select((c, i) =>
        {
            var qualifiedName = e.QualifiedName + "#" + c.Name;
            var guid = DataMapIds.EntityGuid(typeName, qualifiedName);
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["qualifiedName"] = qualifiedName,
                ["name"] = c.Name,
                ["data_type"] = c.DataType,
                ["position"] = i,
            };
            var table = new AtlasRelatedObjectId(e.Guid, e.TypeName, e.Name, e.TypeName + "_columns", "ACTIVE");
            var entity = new AtlasEntity(guid, typeName, attributes, "ACTIVE", e.Collection, e.CreatedAt.ToUnixTimeMilliseconds(), s.UpdatedAt.ToUnixTimeMilliseconds(),
                c.Classifications.Select(k => new AtlasClassification(k, guid, "ACTIVE")).ToList(),
                new Dictionary<string, IReadOnlyList<AtlasRelatedObjectId>>(StringComparer.Ordinal) { ["table"] = [table] });
            return (guid, typeName, c.Name, entity);
        }).ToList();
    }
}

/// <summary>A run (<c>id</c> = run id) or a raw partition path (<c>id</c> = its qualified name), at the run's time (epoch ms).</summary>
public sealed record AtlasRollupEntry(string Id, long Time);

public sealed record AtlasEntityWithExtInfo(AtlasEntity Entity, IReadOnlyDictionary<string, AtlasEntity> ReferredEntities)
{
    public static AtlasEntityWithExtInfo From(DataMapEntity e) =>
        new(AtlasEntity.From(e), AtlasEntity.Columns(e).ToDictionary(c => c.Guid, c => c.Entity, StringComparer.Ordinal));
}

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

/// <summary>One facet asked for: <c>{"facet": "classification", "count": 10, "sort": {"count": "desc"}}</c>.</summary>
public sealed record SearchFacetItem(string? Facet = null, int? Count = null, SearchFacetSort? Sort = null);

public sealed record SearchFacetSort(string? Count = null, string? Value = null);

/// <summary>
/// The body of <c>POST /datamap/api/search/query</c> (2023-09-01 <c>QueryOptions</c>): keywords, limit, continuationToken,
/// filter (the documented grammar: and / or / not over conditions, see <see cref="SearchFilterParser"/>), orderby,
/// facets; taxonomySetting is accepted and ignored (no glossary here).
/// </summary>
public sealed record SearchRequest(
    string? Keywords = null,
    int? Limit = null,
    string? ContinuationToken = null,
    System.Text.Json.JsonElement? Filter = null,
    System.Text.Json.JsonElement? Orderby = null,
    IReadOnlyList<SearchFacetItem>? Facets = null,
    System.Text.Json.JsonElement? TaxonomySetting = null)
{
    public const int MaxKeywordsLength = 256;
    public const int DefaultFacetCount = 10;
    public const int MaxFacetCount = 1000;

    public Result<DataMapQuery> ToQuery(DateTimeOffset now)
    {
        if (Keywords is { Length: > MaxKeywordsLength } || (Keywords?.Any(Purview.Core.Common.UnsafeText.IsUnsafe) ?? false))
        {
            return Error.Validation("keywords", $"keywords is at most {MaxKeywordsLength} characters without control characters.");
        }

        var limit = Limit ?? DataMapEndpoints.DefaultSearchLimit;
        if (limit is < 1 or > DataMapReader.MaxSearchLimit)
        {
            return Error.Validation("limit", $"limit is 1 to {DataMapReader.MaxSearchLimit}.");
        }

        SearchCondition? filter = null;
        if (Filter is { ValueKind: not System.Text.Json.JsonValueKind.Null } f)
        {
            var parsed = SearchFilterParser.Parse(f, now);
            if (!parsed.IsSuccess)
            {
                return parsed.Error!;
            }

            filter = parsed.Value;
        }

        var order = new List<SearchOrder>();
        if (Orderby is { ValueKind: not System.Text.Json.JsonValueKind.Null } o)
        {
            if (o.ValueKind != System.Text.Json.JsonValueKind.Array)
            {
                return Error.Validation("orderby", "orderby is an array of keys: \"name\" or {\"name\": \"ASC\"}, {\"updateTime\": \"DESC\"}.");
            }

            var i = 0;
            foreach (var item in o.EnumerateArray())
            {
                var path = $"orderby[{i++}]";
                (string? Field, string? Direction) key = item.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.String => (item.GetString(), "ASC"),
                    System.Text.Json.JsonValueKind.Object when item.EnumerateObject().Count() == 1 => (item.EnumerateObject().First().Name,
                        item.EnumerateObject().First().Value.ValueKind == System.Text.Json.JsonValueKind.String ? item.EnumerateObject().First().Value.GetString() : null),
                    _ => (null, null),
                };
                if (key.Field is null || !SearchOrder.Fields.Contains(key.Field, StringComparer.Ordinal))
                {
                    return Error.Validation(path, $"{path} orders by one of {string.Join(", ", SearchOrder.Fields)}.");
                }

                if (key.Direction is null || !(key.Direction.Equals("ASC", StringComparison.OrdinalIgnoreCase) || key.Direction.Equals("DESC", StringComparison.OrdinalIgnoreCase)))
                {
                    return Error.Validation(path, $"{path}: the direction is ASC or DESC.");
                }

                order.Add(new SearchOrder(key.Field, key.Direction.Equals("DESC", StringComparison.OrdinalIgnoreCase)));
            }
        }

        var facets = new List<SearchFacetRequest>();
        for (var i = 0; i < (Facets?.Count ?? 0); i++)
        {
            var item = Facets![i];
            var path = $"facets[{i}]";
            if (item.Facet is null || !SearchFacetRequest.Names.Contains(item.Facet, StringComparer.Ordinal))
            {
                return Error.Validation(path + ".facet", $"{path}.facet is one of {string.Join(", ", SearchFacetRequest.Names)}.");
            }

            if (item.Count is < 0 or > MaxFacetCount)
            {
                return Error.Validation(path + ".count", $"{path}.count is 0 (the default, {DefaultFacetCount}) to {MaxFacetCount}.");
            }

            var sort = item.Sort;
            var direction = sort?.Count ?? sort?.Value ?? "desc";
            if ((sort?.Count is not null && sort.Value is not null) || !(direction.Equals("asc", StringComparison.OrdinalIgnoreCase) || direction.Equals("desc", StringComparison.OrdinalIgnoreCase)))
            {
                return Error.Validation(path + ".sort", $"{path}.sort is {{\"count\": \"asc\"|\"desc\"}} or {{\"value\": \"asc\"|\"desc\"}}.");
            }

            facets.Add(new SearchFacetRequest(item.Facet, item.Count is null or 0 ? DefaultFacetCount : item.Count.Value, sort?.Value is not null,
                direction.Equals("desc", StringComparison.OrdinalIgnoreCase)));
        }

        var terms = (Keywords ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Where(k => k != "*").ToList();
        return new DataMapQuery(terms, null, null, null, limit, string.IsNullOrEmpty(ContinuationToken) ? null : ContinuationToken, filter,
            order.Count == 0 ? null : order, facets.Count == 0 ? null : facets);
    }
}

/// <summary>One search hit (Purview's <c>SearchResultValue</c>, the fields this service fills).</summary>
public sealed record SearchResultValue(
    string Id,
    string Name,
    string QualifiedName,
    string EntityType,
    string ObjectType,
    IReadOnlyList<string> AssetType,
    string? CollectionId,
    IReadOnlyList<string> Classification,
    IReadOnlyList<string> Label,
    IReadOnlyList<string> Term,
    IReadOnlyList<string> Contact,
    long CreateTime,
    long UpdateTime,
    [property: JsonPropertyName("@search.score")] double SearchScore);

public sealed record SearchFacetItemValue(int Count, string Value);

/// <summary>Purview's <c>QueryResult</c>: the count and facets come with ordered or faceted searches, which read every match.</summary>
public sealed record SearchResponse(
    [property: JsonPropertyName("@search.count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? SearchCount,
    [property: JsonPropertyName("@search.count.approximate"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? SearchCountApproximate,
    [property: JsonPropertyName("@search.facets"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<SearchFacetItemValue>>? SearchFacets,
    IReadOnlyList<SearchResultValue> Value,
    string? ContinuationToken)
{
    public static SearchResponse From(DataMapSearchPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new(page.Count, page.Count is null ? null : false,
            page.Facets?.ToDictionary(f => f.Key, f => (IReadOnlyList<SearchFacetItemValue>)f.Value.Select(v => new SearchFacetItemValue(v.Count, v.Value)).ToList(), StringComparer.Ordinal),
            page.Entities.Select(e => new SearchResultValue(e.Guid, e.Name, e.QualifiedName, e.TypeName, SearchFilterParser.ObjectTypeOf(e), [SearchFilterParser.AssetTypeOf(e)],
                e.Collection, e.Scanned?.Classifications ?? [], [], [], [], e.CreatedAt.ToUnixTimeMilliseconds(), (e.Scanned?.UpdatedAt ?? e.CreatedAt).ToUnixTimeMilliseconds(), 1.0)).ToList(),
            page.ContinuationToken);
    }
}
