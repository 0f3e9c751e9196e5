using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Api.Registry;
using Purview.Core.Registry;

namespace Purview.Functions.Registry;

/// <summary>
/// The HTTP functions of the scan registry (<c>/scan/...</c>), one per route of <see cref="RegistryEndpoints"/>, each
/// the same handler inside <see cref="HandlerPipeline"/> (the route group's policy and body limits), after the
/// api-version check that the local host runs as the group's endpoint filter.
/// </summary>
public sealed class RegistryFunctions(RegistryService registry)
{
    private const string Policy = AccessPolicies.DataSourceAdmin;

    [Function("ListDataSources")]
    public Task<IResult> ListDataSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.ListDataSources(request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("GetDataSource")]
    public Task<IResult> GetDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetDataSource(dataSourceName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("PutDataSource")]
    public Task<IResult> PutDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutDataSource(dataSourceName, await HandlerPipeline.ReadJsonAsync<DataSourceRequest>(request), request.HttpContext, registry, request.HttpContext.RequestAborted),
            bodyLimit: RegistryEndpoints.SmallBody);

    [Function("DeleteDataSource")]
    public Task<IResult> DeleteDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.DeleteDataSource(dataSourceName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("ListScans")]
    public Task<IResult> ListScans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans")] HttpRequest request, string dataSourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.ListScans(dataSourceName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("GetScan")]
    public Task<IResult> GetScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetScan(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("PutScan")]
    public Task<IResult> PutScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutScan(dataSourceName, scanName, await HandlerPipeline.ReadJsonAsync<ScanRequest>(request), request.HttpContext, registry, request.HttpContext.RequestAborted),
            bodyLimit: RegistryEndpoints.SmallBody);

    [Function("DeleteScan")]
    public Task<IResult> DeleteScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.DeleteScan(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("GetScanFilter")]
    public Task<IResult> GetFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetFilter(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("PutScanFilter")]
    public Task<IResult> PutFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutFilter(dataSourceName, scanName, await HandlerPipeline.ReadJsonAsync<FilterRequest>(request), request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("GetScanTrigger")]
    public Task<IResult> GetTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetTrigger(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("PutScanTrigger")]
    public Task<IResult> PutTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutTrigger(dataSourceName, scanName, await HandlerPipeline.ReadJsonAsync<TriggerRequest>(request), request.HttpContext, registry, request.HttpContext.RequestAborted),
            bodyLimit: RegistryEndpoints.SmallBody);

    [Function("DeleteScanTrigger")]
    public Task<IResult> DeleteTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.DeleteTrigger(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("ListCredentials")]
    public Task<IResult> ListCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.ListCredentials(registry, request.HttpContext.RequestAborted));

    [Function("GetCredential")]
    public Task<IResult> GetCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetCredential(credentialName, registry, request.HttpContext.RequestAborted));

    [Function("PutCredential")]
    public Task<IResult> PutCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutCredential(credentialName, await HandlerPipeline.ReadJsonAsync<CredentialRequest>(request), request.HttpContext, registry, request.HttpContext.RequestAborted),
            bodyLimit: RegistryEndpoints.SmallBody);

    [Function("DeleteCredential")]
    public Task<IResult> DeleteCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.DeleteCredential(credentialName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("ListIntegrationRuntimes")]
    public Task<IResult> ListIntegrationRuntimes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.ListIntegrationRuntimes(registry, request.HttpContext.RequestAborted));

    [Function("GetIntegrationRuntime")]
    public Task<IResult> GetIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetIntegrationRuntime(integrationRuntimeName, registry, request.HttpContext.RequestAborted));

    [Function("PutIntegrationRuntime")]
    public Task<IResult> PutIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutIntegrationRuntime(integrationRuntimeName, await HandlerPipeline.ReadJsonAsync<IntegrationRuntimeRequest>(request), request.HttpContext, registry, request.HttpContext.RequestAborted),
            bodyLimit: RegistryEndpoints.SmallBody);

    [Function("DeleteIntegrationRuntime")]
    public Task<IResult> DeleteIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.DeleteIntegrationRuntime(integrationRuntimeName, request.HttpContext, registry, request.HttpContext.RequestAborted));

    [Function("GetScanSettings")]
    public Task<IResult> GetSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/settings")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.GetSettings(registry, request.HttpContext.RequestAborted));

    [Function("PutScanSettings")]
    public Task<IResult> PutSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/settings")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await RegistryEndpoints.PutSettings(await HandlerPipeline.ReadJsonAsync<ScanSettings>(request), request.HttpContext, registry, request.HttpContext.RequestAborted),
            bodyLimit: RegistryEndpoints.SmallBody);

}
