// Atlas names an entity's id "guid" in routes; the functions keep it.
#pragma warning disable CA1720
using Purview.Api.DataMap;
using Purview.Core.DataMap;

namespace Purview.Functions.DataMap;

/// <summary>The data map reads (Atlas entities, lineage, search) and entity moves: the local host's handlers inside <see cref="HandlerPipeline"/>.</summary>
public sealed class DataMapFunctions(DataMapReader reader, DataMapMoves moves)
{
    [Function("GetLineage")]
    public Task<IResult> GetLineage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datamap/api/atlas/v2/lineage/{guid}")] HttpRequest request, string guid) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.DataReader, ct =>
            DataMapEndpoints.GetLineage(guid, request.HttpContext, reader, ct, request.Query["direction"], request.Query["depth"]));

    [Function("GetEntityByGuid")]
    public Task<IResult> GetEntityByGuid([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datamap/api/atlas/v2/entity/guid/{guid}")] HttpRequest request, string guid) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.DataReader, ct => DataMapEndpoints.GetEntity(guid, request.HttpContext, reader, ct));

    [Function("GetEntityByUniqueAttribute")]
    public Task<IResult> GetEntityByUniqueAttribute(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datamap/api/atlas/v2/entity/uniqueAttribute/type/{typeName}")] HttpRequest request, string typeName) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.DataReader, ct =>
            DataMapEndpoints.GetEntityByUniqueAttribute(typeName, request.HttpContext, reader, ct, request.Query[DataMapEndpoints.QualifiedNameParameter]));

    [Function("SearchDataMap")]
    public Task<IResult> Search([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "datamap/api/search/query")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.DataReader, (SearchRequest body, CancellationToken ct) =>
            DataMapEndpoints.Search(body, request.HttpContext, reader, ct), DataMapEndpoints.SearchBodyLimit);

    [Function("MoveEntitiesToCollection")]
    public Task<IResult> MoveEntities([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "datamap/api/entity/moveTo")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.CollectionAdmin, (MoveEntitiesRequest body, CancellationToken ct) =>
            DataMapEndpoints.MoveEntities(body, request.HttpContext, moves, ct, request.Query["collectionId"]), DataMapEndpoints.MoveBodyLimit);
}
