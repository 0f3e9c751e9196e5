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
    [Function("ListDataSources")]
    public Task<IResult> ListDataSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListDataSources(request.HttpContext, registry, ct));

    [Function("GetDataSource")]
    public Task<IResult> GetDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetDataSource(dataSourceName, request.HttpContext, registry, ct));

    [Function("PutDataSource")]
    public Task<IResult> PutDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutDataSource(dataSourceName, await HandlerPipeline.ReadJsonAsync<DataSourceRequest>(request), request.HttpContext, registry, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteDataSource")]
    public Task<IResult> DeleteDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteDataSource(dataSourceName, request.HttpContext, registry, ct));

    [Function("ListScans")]
    public Task<IResult> ListScans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListScans(dataSourceName, request.HttpContext, registry, ct));

    [Function("GetScan")]
    public Task<IResult> GetScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetScan(dataSourceName, scanName, request.HttpContext, registry, ct));

    [Function("PutScan")]
    public Task<IResult> PutScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutScan(dataSourceName, scanName, await HandlerPipeline.ReadJsonAsync<ScanRequest>(request), request.HttpContext, registry, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteScan")]
    public Task<IResult> DeleteScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteScan(dataSourceName, scanName, request.HttpContext, registry, ct));

    [Function("GetScanFilter")]
    public Task<IResult> GetFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetFilter(dataSourceName, scanName, request.HttpContext, registry, ct));

    [Function("PutScanFilter")]
    public Task<IResult> PutFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutFilter(dataSourceName, scanName, await HandlerPipeline.ReadJsonAsync<FilterRequest>(request), request.HttpContext, registry, ct));

    [Function("GetScanTrigger")]
    public Task<IResult> GetTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetTrigger(dataSourceName, scanName, request.HttpContext, registry, ct));

    [Function("PutScanTrigger")]
    public Task<IResult> PutTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutTrigger(dataSourceName, scanName, await HandlerPipeline.ReadJsonAsync<TriggerRequest>(request), request.HttpContext, registry, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteScanTrigger")]
    public Task<IResult> DeleteTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteTrigger(dataSourceName, scanName, request.HttpContext, registry, ct));

    [Function("ListCredentials")]
    public Task<IResult> ListCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListCredentials(registry, ct));

    [Function("GetCredential")]
    public Task<IResult> GetCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetCredential(credentialName, registry, ct));

    [Function("PutCredential")]
    public Task<IResult> PutCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutCredential(credentialName, await HandlerPipeline.ReadJsonAsync<CredentialRequest>(request), request.HttpContext, registry, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteCredential")]
    public Task<IResult> DeleteCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteCredential(credentialName, request.HttpContext, registry, ct));

    [Function("ListIntegrationRuntimes")]
    public Task<IResult> ListIntegrationRuntimes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListIntegrationRuntimes(registry, ct));

    [Function("GetIntegrationRuntime")]
    public Task<IResult> GetIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetIntegrationRuntime(integrationRuntimeName, registry, ct));

    [Function("PutIntegrationRuntime")]
    public Task<IResult> PutIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutIntegrationRuntime(integrationRuntimeName, await HandlerPipeline.ReadJsonAsync<IntegrationRuntimeRequest>(request), request.HttpContext, registry, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteIntegrationRuntime")]
    public Task<IResult> DeleteIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteIntegrationRuntime(integrationRuntimeName, request.HttpContext, registry, ct));

    [Function("GetScanSettings")]
    public Task<IResult> GetSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/settings")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetSettings(registry, ct));

    [Function("PutScanSettings")]
    public Task<IResult> PutSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/settings")] HttpRequest request) =>
        ScanGroup.RunAsync(request, async ct =>
            await RegistryEndpoints.PutSettings(await HandlerPipeline.ReadJsonAsync<ScanSettings>(request), request.HttpContext, registry, ct), RegistryEndpoints.SmallBody);

}
