using Purview.Api.Registry;
using Purview.Core.Registry;

namespace Purview.Functions.Registry;

/// <summary>
/// The HTTP functions of the scan registry (<c>/scan/...</c>), one per route of <see cref="RegistryEndpoints"/>, each
/// the same handler inside <see cref="HandlerPipeline"/> (the route group's policy and body limits), after the
/// api-version check that the local host runs as the group's endpoint filter.
/// </summary>
public sealed class RegistryFunctions(
    DataSourceService dataSources,
    ScanService scans,
    ScanFilterService filters,
    ScanTriggerService triggers,
    CredentialService credentials,
    IntegrationRuntimeService runtimes,
    ScanSettingsService settings)
{
    [Function("ListDataSources")]
    public Task<IResult> ListDataSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListDataSources(request.HttpContext, dataSources, ct));

    [Function("GetDataSource")]
    public Task<IResult> GetDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetDataSource(dataSourceName, request.HttpContext, dataSources, ct));

    [Function("PutDataSource")]
    public Task<IResult> PutDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, (DataSourceRequest body, CancellationToken ct) =>
            RegistryEndpoints.PutDataSource(dataSourceName, body, request.HttpContext, dataSources, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteDataSource")]
    public Task<IResult> DeleteDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteDataSource(dataSourceName, request.HttpContext, dataSources, ct));

    [Function("ListScans")]
    public Task<IResult> ListScans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans")] HttpRequest request, string dataSourceName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListScans(dataSourceName, request.HttpContext, scans, ct));

    [Function("GetScan")]
    public Task<IResult> GetScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetScan(dataSourceName, scanName, request.HttpContext, scans, ct));

    [Function("PutScan")]
    public Task<IResult> PutScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, (ScanRequest body, CancellationToken ct) =>
            RegistryEndpoints.PutScan(dataSourceName, scanName, body, request.HttpContext, scans, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteScan")]
    public Task<IResult> DeleteScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteScan(dataSourceName, scanName, request.HttpContext, scans, ct));

    [Function("GetScanFilter")]
    public Task<IResult> GetFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetFilter(dataSourceName, scanName, request.HttpContext, filters, ct));

    [Function("PutScanFilter")]
    public Task<IResult> PutFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, (FilterRequest body, CancellationToken ct) =>
            RegistryEndpoints.PutFilter(dataSourceName, scanName, body, request.HttpContext, filters, ct), BodyLimit.Default);

    [Function("GetScanTrigger")]
    public Task<IResult> GetTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetTrigger(dataSourceName, scanName, request.HttpContext, triggers, ct));

    [Function("PutScanTrigger")]
    public Task<IResult> PutTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, (TriggerRequest body, CancellationToken ct) =>
            RegistryEndpoints.PutTrigger(dataSourceName, scanName, body, request.HttpContext, triggers, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteScanTrigger")]
    public Task<IResult> DeleteTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteTrigger(dataSourceName, scanName, request.HttpContext, triggers, ct));

    [Function("ListCredentials")]
    public Task<IResult> ListCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListCredentials(credentials, ct));

    [Function("GetCredential")]
    public Task<IResult> GetCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetCredential(credentialName, credentials, ct));

    [Function("PutCredential")]
    public Task<IResult> PutCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        ScanGroup.RunAsync(request, (CredentialRequest body, CancellationToken ct) =>
            RegistryEndpoints.PutCredential(credentialName, body, request.HttpContext, credentials, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteCredential")]
    public Task<IResult> DeleteCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteCredential(credentialName, request.HttpContext, credentials, ct));

    [Function("ListIntegrationRuntimes")]
    public Task<IResult> ListIntegrationRuntimes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.ListIntegrationRuntimes(runtimes, ct));

    [Function("GetIntegrationRuntime")]
    public Task<IResult> GetIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetIntegrationRuntime(integrationRuntimeName, runtimes, ct));

    [Function("PutIntegrationRuntime")]
    public Task<IResult> PutIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        ScanGroup.RunAsync(request, (IntegrationRuntimeRequest body, CancellationToken ct) =>
            RegistryEndpoints.PutIntegrationRuntime(integrationRuntimeName, body, request.HttpContext, runtimes, ct), RegistryEndpoints.SmallBody);

    [Function("DeleteIntegrationRuntime")]
    public Task<IResult> DeleteIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.DeleteIntegrationRuntime(integrationRuntimeName, request.HttpContext, runtimes, ct));

    [Function("GetScanSettings")]
    public Task<IResult> GetSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/settings")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => RegistryEndpoints.GetSettings(settings, ct));

    [Function("PutScanSettings")]
    public Task<IResult> PutSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/settings")] HttpRequest request) =>
        ScanGroup.RunAsync(request, (ScanSettings body, CancellationToken ct) =>
            RegistryEndpoints.PutSettings(body, request.HttpContext, settings, ct), RegistryEndpoints.SmallBody);

}
