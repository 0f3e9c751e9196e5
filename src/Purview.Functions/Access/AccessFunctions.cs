using Purview.Functions.Http;
using Purview.Core.Access;

namespace Purview.Functions.Access;

/// <summary>The HTTP functions of the collections, roles and audit route group: the local host's handlers inside <see cref="HandlerPipeline"/>.</summary>
public sealed class AccessFunctions(AccessService access, TimeProvider time)
{
    [Function("ListCollections")]
    public Task<IResult> ListCollections([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/collections")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, null, ct => AccessEndpoints.ListCollections(request.HttpContext, access, ct));

    [Function("GetCollection")]
    public Task<IResult> GetCollection([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/collections/{collectionName}")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request, null, ct => AccessEndpoints.GetCollection(collectionName, request.HttpContext, access, ct));

    [Function("PutCollection")]
    public Task<IResult> PutCollection([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "account/collections/{collectionName}")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request, null, (CollectionRequest body, CancellationToken ct) =>
            AccessEndpoints.PutCollection(collectionName, body, request.HttpContext, access, ct), AccessEndpoints.CollectionBodyLimit);

    [Function("DeleteCollection")]
    public Task<IResult> DeleteCollection([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "account/collections/{collectionName}")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request, null, ct => AccessEndpoints.DeleteCollection(collectionName, request.HttpContext, access, ct));

    [Function("ListRoleAssignments")]
    public Task<IResult> ListRoleAssignments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/collections/{collectionName}/roleAssignments")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request, null, async ct =>
            FunctionQuery.NotBoolean(request, "includeInherited")
                ?? await AccessEndpoints.ListRoleAssignments(collectionName, request.HttpContext, access, ct, FunctionQuery.Boolean(request, "includeInherited")));

    [Function("PutRoleAssignment")]
    public Task<IResult> PutRoleAssignment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "account/collections/{collectionName}/roleAssignments/{role}/{principal}")] HttpRequest request,
        string collectionName, string role, string principal) =>
        HandlerPipeline.RunAsync(request, null, ct => AccessEndpoints.PutRoleAssignment(collectionName, role, principal, request.HttpContext, access, ct));

    [Function("DeleteRoleAssignment")]
    public Task<IResult> DeleteRoleAssignment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "account/collections/{collectionName}/roleAssignments/{role}/{principal}")] HttpRequest request,
        string collectionName, string role, string principal) =>
        HandlerPipeline.RunAsync(request, null, ct => AccessEndpoints.DeleteRoleAssignment(collectionName, role, principal, request.HttpContext, access, ct));

    [Function("ReadAudit")]
    public Task<IResult> ReadAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/audit")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.CollectionAdmin, async ct =>
            FunctionQuery.NotWholeNumber(request, "top")
                ?? await AccessEndpoints.ReadAudit(request.HttpContext, access, time, ct, request.Query["from"], request.Query["to"], FunctionQuery.WholeNumber(request, "top")));
}
