using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Core.Access;

namespace Purview.Functions.Access;

/// <summary>The HTTP functions of the collections, roles and audit route group: the local host's handlers inside <see cref="HandlerPipeline"/>.</summary>
public sealed class AccessFunctions(AccessService access, TimeProvider time)
{
    [Function("ListCollections")]
    public Task<IResult> ListCollections([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/collections")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await AccessEndpoints.ListCollections(request.HttpContext, access, request.HttpContext.RequestAborted));

    [Function("GetCollection")]
    public Task<IResult> GetCollection([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/collections/{collectionName}")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await AccessEndpoints.GetCollection(collectionName, request.HttpContext, access, request.HttpContext.RequestAborted));

    [Function("PutCollection")]
    public Task<IResult> PutCollection([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "account/collections/{collectionName}")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await AccessEndpoints.PutCollection(collectionName, await HandlerPipeline.ReadJsonAsync<CollectionRequest>(request), request.HttpContext, access, request.HttpContext.RequestAborted),
            bodyLimit: 16 * 1024);

    [Function("DeleteCollection")]
    public Task<IResult> DeleteCollection([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "account/collections/{collectionName}")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await AccessEndpoints.DeleteCollection(collectionName, request.HttpContext, access, request.HttpContext.RequestAborted));

    [Function("ListRoleAssignments")]
    public Task<IResult> ListRoleAssignments([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/collections/{collectionName}/roleAssignments")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
        {
            var includeInherited = request.Query["includeInherited"].ToString();
            if (includeInherited.Length > 0 && !bool.TryParse(includeInherited, out _))
            {
                return ApiResults.Validation("includeInherited", "'includeInherited' is true or false.");
            }

            return await AccessEndpoints.ListRoleAssignments(collectionName, request.HttpContext, access, request.HttpContext.RequestAborted, includeInherited.Length > 0 && bool.Parse(includeInherited));
        });

    [Function("PutRoleAssignment")]
    public Task<IResult> PutRoleAssignment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "account/collections/{collectionName}/roleAssignments/{role}/{principal}")] HttpRequest request,
        string collectionName, string role, string principal) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await AccessEndpoints.PutRoleAssignment(collectionName, role, principal, request.HttpContext, access, request.HttpContext.RequestAborted));

    [Function("DeleteRoleAssignment")]
    public Task<IResult> DeleteRoleAssignment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "account/collections/{collectionName}/roleAssignments/{role}/{principal}")] HttpRequest request,
        string collectionName, string role, string principal) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await AccessEndpoints.DeleteRoleAssignment(collectionName, role, principal, request.HttpContext, access, request.HttpContext.RequestAborted));

    [Function("ReadAudit")]
    public Task<IResult> ReadAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/audit")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.CollectionAdmin, async () =>
        {
            var topText = request.Query["top"].ToString();
            int? top = null;
            if (topText.Length > 0)
            {
                if (!int.TryParse(topText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                {
                    return ApiResults.Validation("top", "'top' is between 1 and 5000.");
                }

                top = parsed;
            }

            return await AccessEndpoints.ReadAudit(request.HttpContext, access, time, request.HttpContext.RequestAborted, request.Query["from"], request.Query["to"], top);
        });
}
