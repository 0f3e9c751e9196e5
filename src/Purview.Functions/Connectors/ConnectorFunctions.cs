using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Connectors;
using Purview.Api.Http;
using Purview.Core.Access;
using Purview.Core.Connectors;

namespace Purview.Functions.Connectors;

/// <summary>
/// The HTTP functions of the data connectors route group (the local host's handlers inside <see cref="HandlerPipeline"/>),
/// and the timer functions of its two daily jobs, which run the same job classes the local host schedules.
/// </summary>
public sealed class ConnectorFunctions(
    ConnectorService connectors, ImportService imports, AdminLogService logs, AccessService access, TimeProvider time,
    AdminLogJob adminLogJob, ConnectorRetentionJob retentionJob)
{
    private const string Policy = AccessPolicies.ConnectorAdmin;

    [Function("GetConnectorSettings")]
    public Task<IResult> GetSettings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/settings")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.GetSettings(connectors, request.HttpContext.RequestAborted));

    [Function("PutConnectorSettings")]
    public Task<IResult> PutSettings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "connectors/settings")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.PutSettings(await HandlerPipeline.ReadJsonAsync<SettingsRequest>(request), request.HttpContext, connectors, request.HttpContext.RequestAborted),
            bodyLimit: ConnectorEndpoints.SmallBodyLimit);

    [Function("GenerateAdminLogs")]
    public Task<IResult> GenerateAdminLogs([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "connectors/admin-logs:generate")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.GenerateAdminLogs(request.HttpContext, logs, access, time, request.HttpContext.RequestAborted, Query(request, "date")));

    [Function("ListConnectors")]
    public Task<IResult> ListConnectors([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.ListConnectors(connectors, request.HttpContext.RequestAborted));

    [Function("GetConnector")]
    public Task<IResult> GetConnector([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.GetConnector(connectorId, connectors, request.HttpContext.RequestAborted));

    [Function("PutConnector")]
    public Task<IResult> PutConnector([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "connectors/{connectorId}")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.PutConnector(connectorId, await HandlerPipeline.ReadJsonAsync<ConnectorRequest>(request), request.HttpContext, connectors, request.HttpContext.RequestAborted),
            bodyLimit: ConnectorEndpoints.SmallBodyLimit);

    [Function("DeleteConnector")]
    public Task<IResult> DeleteConnector([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "connectors/{connectorId}")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.DeleteConnector(connectorId, request.HttpContext, connectors, request.HttpContext.RequestAborted));

    [Function("PutUserMappings")]
    public Task<IResult> PutUserMappings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "connectors/{connectorId}/user-mappings")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.PutUserMappings(connectorId, await HandlerPipeline.ReadJsonAsync<UserMappingsRequest>(request), request.HttpContext, connectors,
                request.HttpContext.RequestAborted, Query(request, "mode")),
            bodyLimit: ConnectorEndpoints.MappingsBodyLimit);

    [Function("ListUserMappings")]
    public Task<IResult> ListUserMappings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}/user-mappings")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.ListUserMappings(connectorId, connectors, request.HttpContext.RequestAborted, Query(request, "top"), Query(request, "continuationToken")));

    [Function("ImportItems")]
    public Task<IResult> Import([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "connectors/{connectorId}/imports")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.Import(connectorId, request.HttpContext, imports, request.HttpContext.RequestAborted),
            bodyLimit: ConnectorEndpoints.ImportBodyLimit);

    [Function("ListAdminLogs")]
    public Task<IResult> ListAdminLogs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}/admin-logs")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.ListAdminLogs(connectorId, logs, request.HttpContext.RequestAborted));

    [Function("DownloadAdminLog")]
    public Task<IResult> DownloadAdminLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}/admin-logs/{date}")] HttpRequest request, string connectorId, string date) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ConnectorEndpoints.DownloadAdminLog(connectorId, date, logs, request.HttpContext.RequestAborted, Query(request, "redirect")));

    /// <summary>00:10 UTC daily: yesterday's admin log of every connector (the Functions timer runs one instance per occurrence).</summary>
    [Function("ConnectorAdminLogsDaily")]
    public Task AdminLogsDaily([TimerTrigger(AdminLogJob.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        adminLogJob.RunAsync(Occurrence(timer), cancellationToken);

    /// <summary>00:40 UTC daily: deletes admin logs older than 7 days and import records older than 8.</summary>
    [Function("ConnectorRetentionDaily")]
    public Task RetentionDaily([TimerTrigger(ConnectorRetentionJob.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        retentionJob.RunAsync(Occurrence(timer), cancellationToken);

    private static string? Query(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    /// <summary>The occurrence the timer fired for: now, truncated to the minute (a late or past-due run still targets its own day).</summary>
    private DateTimeOffset Occurrence(TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
    }
}
