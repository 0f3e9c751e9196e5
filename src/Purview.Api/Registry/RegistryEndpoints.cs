using Purview.Core.Common;
using Purview.Core.Registry;

namespace Purview.Api.Registry;

/// <summary>
/// The scan registry in the Purview Scanning API shape (<c>/scan/...</c>, api-version 2023-09-01): data sources, scans,
/// their scope and trigger, credentials, integration runtimes and the account's scan settings. The whole group needs
/// Data source admin on some collection; the service of each resource (<see cref="DataSourceService"/>, <see cref="ScanService"/>,
/// ...) decides per object.
/// </summary>
public static class RegistryEndpoints
{
    public const long SmallBody = 64 * 1024;

    public static IEndpointRouteBuilder MapRegistryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapScanApiGroup("Scan registry");

        group.MapGet("/datasources", ListDataSources).WithName("ListDataSources").WithSummary("The data sources in the caller's collections.");
        group.MapGet("/datasources/{dataSourceName}", GetDataSource).WithName("GetDataSource").WithSummary("One data source.");
        group.MapPut("/datasources/{dataSourceName}", PutDataSource).WithName("PutDataSource").WithSummary("Registers (201) or updates (200) a data source: kind, endpoint, collection.").WithBodyLimit(SmallBody);
        group.MapDelete("/datasources/{dataSourceName}", DeleteDataSource).WithName("DeleteDataSource").WithSummary("Deletes a data source without scans (409 otherwise).");

        group.MapGet("/datasources/{dataSourceName}/scans", ListScans).WithName("ListScans").WithSummary("The scans of a data source.");
        group.MapGet("/datasources/{dataSourceName}/scans/{scanName}", GetScan).WithName("GetScan").WithSummary("One scan of a data source.");
        group.MapPut("/datasources/{dataSourceName}/scans/{scanName}", PutScan).WithName("PutScan").WithSummary("Creates (201) or updates (200) a scan: kind, credential, rule set, collection.").WithBodyLimit(SmallBody);
        group.MapDelete("/datasources/{dataSourceName}/scans/{scanName}", DeleteScan).WithName("DeleteScan").WithSummary("Deletes a scan.");

        group.MapGet("/datasources/{dataSourceName}/scans/{scanName}/filters/custom", GetFilter).WithName("GetScanFilter").WithSummary("A scan's scope: the URI prefixes it includes and excludes.");
        group.MapPut("/datasources/{dataSourceName}/scans/{scanName}/filters/custom", PutFilter).WithName("PutScanFilter").WithSummary("Sets a scan's scope (includeUriPrefixes, excludeUriPrefixes).").WithBodyLimit(BodyLimit.Default);

        group.MapGet("/datasources/{dataSourceName}/scans/{scanName}/triggers/default", GetTrigger).WithName("GetScanTrigger").WithSummary("A scan's schedule (its one trigger, 'default').");
        group.MapPut("/datasources/{dataSourceName}/scans/{scanName}/triggers/default", PutTrigger).WithName("PutScanTrigger").WithSummary("Creates (201) or replaces (200) a scan's schedule: recurrence, scan level, state.").WithBodyLimit(SmallBody);
        group.MapDelete("/datasources/{dataSourceName}/scans/{scanName}/triggers/default", DeleteTrigger).WithName("DeleteScanTrigger").WithSummary("Removes a scan's schedule.");

        group.MapGet("/credentials", ListCredentials).WithName("ListCredentials").WithSummary("The credentials scans may use (secrets never returned).");
        group.MapGet("/credentials/{credentialName}", GetCredential).WithName("GetCredential").WithSummary("One credential (secrets never returned).");
        group.MapPut("/credentials/{credentialName}", PutCredential).WithName("PutCredential").WithSummary("Creates (201) or updates (200) a credential; Data source admin on the root collection only.").WithBodyLimit(SmallBody);
        group.MapDelete("/credentials/{credentialName}", DeleteCredential).WithName("DeleteCredential").WithSummary("Deletes a credential no scan uses (409 otherwise).");

        group.MapGet("/integrationruntimes", ListIntegrationRuntimes).WithName("ListIntegrationRuntimes").WithSummary("The integration runtimes.");
        group.MapGet("/integrationruntimes/{integrationRuntimeName}", GetIntegrationRuntime).WithName("GetIntegrationRuntime").WithSummary("One integration runtime.");
        group.MapPut("/integrationruntimes/{integrationRuntimeName}", PutIntegrationRuntime).WithName("PutIntegrationRuntime").WithSummary("Creates (201) or updates (200) an integration runtime: nodes and concurrent scans per node.").WithBodyLimit(SmallBody);
        group.MapDelete("/integrationruntimes/{integrationRuntimeName}", DeleteIntegrationRuntime).WithName("DeleteIntegrationRuntime").WithSummary("Deletes an integration runtime no scan uses (409 otherwise).");

        group.MapGet("/settings", GetSettings).WithName("GetScanSettings").WithSummary("The account's scan settings (maximum concurrent scan runs).");
        group.MapPut("/settings", PutSettings).WithName("PutScanSettings").WithSummary("Sets the account's maximum concurrent scan runs; Data source admin on the root collection only.").WithBodyLimit(SmallBody);
        return routes;
    }

    // ---- Data sources ----

    public static async Task<Ok<ListResponse<DataSourceResponse>>> ListDataSources(HttpContext http, DataSourceService dataSources, CancellationToken cancellationToken)
    {
        var list = await dataSources.ListDataSourcesAsync(http.GetCaller(), cancellationToken);
        return TypedResults.Ok(ListResponse.Of(list, DataSourceResponse.From));
    }

    public static async Task<Results<Ok<DataSourceResponse>, ProblemHttpResult>> GetDataSource(string dataSourceName, HttpContext http, DataSourceService dataSources, CancellationToken cancellationToken) =>
        ApiResults.Ok(await dataSources.GetDataSourceAsync(http.GetCaller(), dataSourceName, cancellationToken), DataSourceResponse.From);

    public static async Task<Results<Created<DataSourceResponse>, Ok<DataSourceResponse>, ProblemHttpResult>> PutDataSource(
        string dataSourceName, DataSourceRequest body, HttpContext http, DataSourceService dataSources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ApiResults.NameMismatch(body.Name, dataSourceName) is { } mismatch)
        {
            return mismatch;
        }

        var specFields = SpecFields.Collect(body, ["kind", "name", "id", "scans"], body.Properties, ["endpoint", "collection", "createdAt", "lastModifiedAt"]);
        var input = new DataSourceInput(body.Kind, body.Properties?.Endpoint, body.Properties?.Collection?.ReferenceName, specFields);
        var result = await dataSources.PutDataSourceAsync(http.GetCaller(), dataSourceName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => DataSourceResponse.From(r.DataSource), r => $"/scan/datasources/{Uri.EscapeDataString(r.DataSource.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteDataSource(string dataSourceName, HttpContext http, DataSourceService dataSources, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await dataSources.DeleteDataSourceAsync(http.GetCaller(), dataSourceName, cancellationToken));

    // ---- Scans ----

    public static async Task<Results<Ok<ListResponse<ScanResponse>>, ProblemHttpResult>> ListScans(string dataSourceName, HttpContext http, ScanService scans, CancellationToken cancellationToken) =>
        ApiResults.Ok(await scans.ListScansAsync(http.GetCaller(), dataSourceName, cancellationToken), list => ListResponse.Of(list, ScanResponse.From));

    public static async Task<Results<Ok<ScanResponse>, ProblemHttpResult>> GetScan(string dataSourceName, string scanName, HttpContext http, ScanService scans, CancellationToken cancellationToken) =>
        ApiResults.Ok(await scans.GetScanAsync(http.GetCaller(), dataSourceName, scanName, cancellationToken), ScanResponse.From);

    public static async Task<Results<Created<ScanResponse>, Ok<ScanResponse>, ProblemHttpResult>> PutScan(
        string dataSourceName, string scanName, ScanRequest body, HttpContext http, ScanService scans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ApiResults.NameMismatch(body.Name, scanName) is { } mismatch)
        {
            return mismatch;
        }

        if (body.DataSourceName is not null && !string.Equals(body.DataSourceName, dataSourceName, StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Validation("dataSourceName", $"The body names data source '{body.DataSourceName}' but the URL names '{dataSourceName}'.");
        }

        var p = body.Properties;
        if (p?.Password is not null)
        {
            return ApiResults.Validation("properties.password", "Secrets are not stored on a scan: put the password in a credential and name it in properties.credential.");
        }

        var specFields = SpecFields.Collect(body, ["kind", "name", "id", "dataSourceName", "scanResults", "scanResultsWithIngestion", "lastRunResult"],
            p, ["scanRulesetName", "scanRulesetType", "credential", "connectedVia", "collection", "createdAt", "lastModifiedAt"]);
        var input = new ScanInput(body.Kind, p?.ScanRulesetName, p?.ScanRulesetType, p?.Credential is not null, p?.Credential?.ReferenceName, p?.Credential?.CredentialType,
            p?.ConnectedVia?.ReferenceName, p?.Collection?.ReferenceName, specFields);
        var result = await scans.PutScanAsync(http.GetCaller(), dataSourceName, scanName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => ScanResponse.From(r.Scan),
            r => $"/scan/datasources/{Uri.EscapeDataString(r.Scan.DataSourceName)}/scans/{Uri.EscapeDataString(r.Scan.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteScan(string dataSourceName, string scanName, HttpContext http, ScanService scans, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await scans.DeleteScanAsync(http.GetCaller(), dataSourceName, scanName, cancellationToken));

    // ---- Scope ----

    public static async Task<Results<Ok<FilterResponse>, ProblemHttpResult>> GetFilter(string dataSourceName, string scanName, HttpContext http, ScanFilterService filters, CancellationToken cancellationToken) =>
        ApiResults.Ok(await filters.GetFilterAsync(http.GetCaller(), dataSourceName, scanName, cancellationToken), FilterResponse.From);

    public static async Task<Results<Ok<FilterResponse>, ProblemHttpResult>> PutFilter(
        string dataSourceName, string scanName, FilterRequest body, HttpContext http, ScanFilterService filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Name is not null && !string.Equals(body.Name, "custom", StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Validation("name", "The only filter is 'custom'.");
        }

        if (body.Properties is null)
        {
            return ApiResults.Validation("properties", "properties is required: {\"includeUriPrefixes\": [...], \"excludeUriPrefixes\": [...]}.");
        }

        var result = await filters.PutFilterAsync(http.GetCaller(), dataSourceName, scanName, body.Properties.IncludeUriPrefixes, body.Properties.ExcludeUriPrefixes, cancellationToken);
        return ApiResults.Ok(result, FilterResponse.From);
    }

    // ---- Triggers ----

    public static async Task<Results<Ok<TriggerResponse>, ProblemHttpResult>> GetTrigger(string dataSourceName, string scanName, HttpContext http, ScanTriggerService triggers, CancellationToken cancellationToken) =>
        ApiResults.Ok(await triggers.GetTriggerAsync(http.GetCaller(), dataSourceName, scanName, cancellationToken), TriggerResponse.From);

    public static async Task<Results<Created<TriggerResponse>, Ok<TriggerResponse>, ProblemHttpResult>> PutTrigger(
        string dataSourceName, string scanName, TriggerRequest body, HttpContext http, ScanTriggerService triggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Name is not null && !string.Equals(body.Name, "default", StringComparison.OrdinalIgnoreCase))
        {
            return ApiResults.Validation("name", "A scan has one trigger, 'default'.");
        }

        var r = body.Properties?.Recurrence;
        if (r is null)
        {
            return ApiResults.Validation("properties.recurrence", "properties.recurrence is required: {\"frequency\", \"interval\", \"startTime\", \"endTime\", \"timeZone\"}.");
        }

        var props = body.Properties!;
        // recurrence.schedule is kept with the other stored-as-sent fields (TriggerResponse puts it back in place).
        var specFields = SpecFields.Collect(null, [], props with { Recurrence = null, ScanLevel = null, State = null, CreatedAt = null, LastModifiedAt = null, LastScheduled = null },
            []);
        if (r.Schedule is not null)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(specFields ?? "{}")!.AsObject();
            var properties = node["properties"] as System.Text.Json.Nodes.JsonObject ?? [];
            properties["schedule"] = SpecFields.ToNode(r.Schedule);
            node["properties"] = properties;
            specFields = node.ToJsonString();
        }

        var input = new TriggerInput(r.Frequency, r.Interval, r.StartTime, r.EndTime, r.TimeZone, props.ScanLevel, props.State, specFields);
        var result = await triggers.PutTriggerAsync(http.GetCaller(), dataSourceName, scanName, input, cancellationToken);
        return ApiResults.Put(result, x => x.Created, x => TriggerResponse.From(x.Trigger),
            x => $"/scan/datasources/{Uri.EscapeDataString(x.Trigger.DataSourceName)}/scans/{Uri.EscapeDataString(x.Trigger.ScanName)}/triggers/default");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTrigger(string dataSourceName, string scanName, HttpContext http, ScanTriggerService triggers, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await triggers.DeleteTriggerAsync(http.GetCaller(), dataSourceName, scanName, cancellationToken));

    // ---- Credentials ----

    public static async Task<Ok<ListResponse<CredentialResponse>>> ListCredentials(CredentialService credentials, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of(await credentials.ListAsync(cancellationToken), CredentialResponse.From));

    public static async Task<Results<Ok<CredentialResponse>, ProblemHttpResult>> GetCredential(string credentialName, CredentialService credentials, CancellationToken cancellationToken) =>
        ApiResults.Ok(await credentials.GetAsync(credentialName, cancellationToken), CredentialResponse.From);

    public static async Task<Results<Created<CredentialResponse>, Ok<CredentialResponse>, ProblemHttpResult>> PutCredential(
        string credentialName, CredentialRequest body, HttpContext http, CredentialService credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ApiResults.NameMismatch(body.Name, credentialName) is { } mismatch)
        {
            return mismatch;
        }

        var p = body.Properties;
        var typeProperties = p?.TypeProperties is null ? null : SpecFields.Collect(p.TypeProperties, [], null, []);
        var input = new CredentialInput(p?.Type, p?.ConnectionString, p?.AccountKey, p?.SasToken, p?.UserName, p?.Password, body.Kind, p?.Description, typeProperties, p?.TypeProperties?.User)
        {
            AllowedEndpoints = p?.AllowedEndpoints,
            AllowedCollections = p?.AllowedCollections,
        };
        var result = await credentials.PutAsync(http.GetCaller(), credentialName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => CredentialResponse.From(r.Credential), r => $"/scan/credentials/{Uri.EscapeDataString(r.Credential.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCredential(string credentialName, HttpContext http, CredentialService credentials, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await credentials.DeleteAsync(http.GetCaller(), credentialName, cancellationToken));

    // ---- Integration runtimes ----

    public static async Task<Ok<ListResponse<IntegrationRuntimeResponse>>> ListIntegrationRuntimes(IntegrationRuntimeService runtimes, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of(await runtimes.ListAsync(cancellationToken), IntegrationRuntimeResponse.From));

    public static async Task<Results<Ok<IntegrationRuntimeResponse>, ProblemHttpResult>> GetIntegrationRuntime(string integrationRuntimeName, IntegrationRuntimeService runtimes, CancellationToken cancellationToken) =>
        ApiResults.Ok(await runtimes.GetAsync(integrationRuntimeName, cancellationToken), IntegrationRuntimeResponse.From);

    public static async Task<Results<Created<IntegrationRuntimeResponse>, Ok<IntegrationRuntimeResponse>, ProblemHttpResult>> PutIntegrationRuntime(
        string integrationRuntimeName, IntegrationRuntimeRequest body, HttpContext http, IntegrationRuntimeService runtimes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ApiResults.NameMismatch(body.Name, integrationRuntimeName) is { } mismatch)
        {
            return mismatch;
        }

        if (body.Properties is null)
        {
            return ApiResults.Validation("properties", "properties is required: {\"nodes\": 1-16, \"concurrentScansPerNode\": 1-16}.");
        }

        var input = new IntegrationRuntimeInput(body.Kind, body.Properties.Nodes, body.Properties.ConcurrentScansPerNode);
        var result = await runtimes.PutAsync(http.GetCaller(), integrationRuntimeName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => IntegrationRuntimeResponse.From(r.Runtime), r => $"/scan/integrationruntimes/{Uri.EscapeDataString(r.Runtime.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteIntegrationRuntime(
        string integrationRuntimeName, HttpContext http, IntegrationRuntimeService runtimes, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await runtimes.DeleteAsync(http.GetCaller(), integrationRuntimeName, cancellationToken));

    // ---- Settings ----

    public static async Task<Ok<ScanSettings>> GetSettings(ScanSettingsService settings, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ScanSettings((await settings.GetSettingsAsync(cancellationToken)).MaxConcurrentScanRuns));

    public static async Task<Results<Ok<ScanSettings>, ProblemHttpResult>> PutSettings(ScanSettings body, HttpContext http, ScanSettingsService settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return ApiResults.Ok(await settings.PutSettingsAsync(http.GetCaller(), body.MaxConcurrentScanRuns, cancellationToken), s => new ScanSettings(s.MaxConcurrentScanRuns));
    }
}
