// Atlas names an entity's id "guid" in routes; the functions keep it.
#pragma warning disable CA1720
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.DataMap;
using Purview.Api.Http;
using Purview.Core.DataMap;

namespace Purview.Functions.DataMap;

/// <summary>The data map reads (Atlas entities, lineage, search) and entity moves: the local host's handlers inside <see cref="HandlerPipeline"/>.</summary>
public sealed class DataMapFunctions(DataMapReader reader, DataMapMoves moves)
{
    [Function("GetLineage")]
    public Task<IResult> GetLineage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datamap/api/atlas/v2/lineage/{guid}")] HttpRequest request, string guid) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.DataReader, async () =>
            await DataMapEndpoints.GetLineage(guid, request.HttpContext, reader, request.HttpContext.RequestAborted, Query(request, "direction"), Query(request, "depth")));

    [Function("GetEntityByGuid")]
    public Task<IResult> GetEntityByGuid([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datamap/api/atlas/v2/entity/guid/{guid}")] HttpRequest request, string guid) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.DataReader, async () =>
            await DataMapEndpoints.GetEntity(guid, request.HttpContext, reader, request.HttpContext.RequestAborted));

    [Function("GetEntityByUniqueAttribute")]
    public Task<IResult> GetEntityByUniqueAttribute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datamap/api/atlas/v2/entity/uniqueAttribute/type/{typeName}")] HttpRequest request, string typeName) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.DataReader, async () =>
            await DataMapEndpoints.GetEntityByUniqueAttribute(typeName, request.HttpContext, reader, request.HttpContext.RequestAborted,
                Query(request, DataMapEndpoints.QualifiedNameParameter)));

    [Function("SearchDataMap")]
    public Task<IResult> Search([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "datamap/api/search/query")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.DataReader, async () =>
            await DataMapEndpoints.Search(await HandlerPipeline.ReadJsonAsync<SearchRequest>(request), request.HttpContext, reader, request.HttpContext.RequestAborted),
            bodyLimit: DataMapEndpoints.SearchBodyLimit);

    [Function("MoveEntitiesToCollection")]
    public Task<IResult> MoveEntities([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "datamap/api/entity/moveTo")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.CollectionAdmin, async () =>
            await DataMapEndpoints.MoveEntities(await HandlerPipeline.ReadJsonAsync<MoveEntitiesRequest>(request), request.HttpContext, moves, request.HttpContext.RequestAborted,
                Query(request, "collectionId")),
            bodyLimit: DataMapEndpoints.MoveBodyLimit);

    private static string? Query(HttpRequest request, string name) => request.Query.TryGetValue(name, out var v) ? v.ToString() : null;
}
