using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Registry;
using Purview.Core.Registry;

namespace Purview.Functions.Registry;

/// <summary>
/// The HTTP functions of the scan registry (<c>/scan/...</c>), one per route of <see cref="RegistryEndpoints"/>, each
/// delegating to the same handler. A function is not an ASP.NET Core endpoint, so each one first authenticates and
/// applies the route group's policy (<see cref="FunctionHttp.AuthorizeAsync"/>) and the api-version check.
/// </summary>
public sealed class RegistryFunctions(RegistryService registry)
{
    [Function("ListDataSources")]
    public async Task<IResult> ListDataSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.ListDataSources(request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("GetDataSource")]
    public async Task<IResult> GetDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetDataSource(dataSourceName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("PutDataSource")]
    public async Task<IResult> PutDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<DataSourceRequest>(request);
        return problem ?? await RegistryEndpoints.PutDataSource(dataSourceName, body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("DeleteDataSource")]
    public async Task<IResult> DeleteDataSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}")] HttpRequest request, string dataSourceName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.DeleteDataSource(dataSourceName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("ListScans")]
    public async Task<IResult> ListScans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans")] HttpRequest request, string dataSourceName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.ListScans(dataSourceName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("GetScan")]
    public async Task<IResult> GetScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetScan(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("PutScan")]
    public async Task<IResult> PutScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<ScanRequest>(request);
        return problem ?? await RegistryEndpoints.PutScan(dataSourceName, scanName, body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("DeleteScan")]
    public async Task<IResult> DeleteScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.DeleteScan(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("GetScanFilter")]
    public async Task<IResult> GetFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetFilter(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("PutScanFilter")]
    public async Task<IResult> PutFilter(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/filters/custom")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<FilterRequest>(request);
        return problem ?? await RegistryEndpoints.PutFilter(dataSourceName, scanName, body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("GetScanTrigger")]
    public async Task<IResult> GetTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetTrigger(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("PutScanTrigger")]
    public async Task<IResult> PutTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<TriggerRequest>(request);
        return problem ?? await RegistryEndpoints.PutTrigger(dataSourceName, scanName, body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("DeleteScanTrigger")]
    public async Task<IResult> DeleteTrigger(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/datasources/{dataSourceName}/scans/{scanName}/triggers/default")] HttpRequest request, string dataSourceName, string scanName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.DeleteTrigger(dataSourceName, scanName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("ListCredentials")]
    public async Task<IResult> ListCredentials(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.ListCredentials(registry, request.HttpContext.RequestAborted);
    }

    [Function("GetCredential")]
    public async Task<IResult> GetCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetCredential(credentialName, registry, request.HttpContext.RequestAborted);
    }

    [Function("PutCredential")]
    public async Task<IResult> PutCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<CredentialRequest>(request);
        return problem ?? await RegistryEndpoints.PutCredential(credentialName, body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("DeleteCredential")]
    public async Task<IResult> DeleteCredential(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/credentials/{credentialName}")] HttpRequest request, string credentialName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.DeleteCredential(credentialName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("ListIntegrationRuntimes")]
    public async Task<IResult> ListIntegrationRuntimes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.ListIntegrationRuntimes(registry, request.HttpContext.RequestAborted);
    }

    [Function("GetIntegrationRuntime")]
    public async Task<IResult> GetIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetIntegrationRuntime(integrationRuntimeName, registry, request.HttpContext.RequestAborted);
    }

    [Function("PutIntegrationRuntime")]
    public async Task<IResult> PutIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<IntegrationRuntimeRequest>(request);
        return problem ?? await RegistryEndpoints.PutIntegrationRuntime(integrationRuntimeName, body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("DeleteIntegrationRuntime")]
    public async Task<IResult> DeleteIntegrationRuntime(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/integrationruntimes/{integrationRuntimeName}")] HttpRequest request, string integrationRuntimeName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.DeleteIntegrationRuntime(integrationRuntimeName, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    [Function("GetScanSettings")]
    public async Task<IResult> GetSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/settings")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return await RegistryEndpoints.GetSettings(registry, request.HttpContext.RequestAborted);
    }

    [Function("PutScanSettings")]
    public async Task<IResult> PutSettings(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/settings")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var (body, problem) = await FunctionHttp.ReadJsonAsync<ScanSettings>(request);
        return problem ?? await RegistryEndpoints.PutSettings(body!, request.HttpContext, registry, request.HttpContext.RequestAborted);
    }

    private static async Task<IResult?> BeginAsync(HttpRequest request) =>
        await FunctionHttp.AuthorizeAsync(request, AccessPolicies.DataSourceAdmin) ?? RegistryEndpoints.CheckApiVersion(request);
}
