using Purview.Api.Connectors;
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
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.GetSettings(connectors, ct));

    [Function("PutConnectorSettings")]
    public Task<IResult> PutSettings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "connectors/settings")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, (SettingsRequest body, CancellationToken ct) =>
            ConnectorEndpoints.PutSettings(body, request.HttpContext, connectors, ct), ConnectorEndpoints.SmallBodyLimit);

    [Function("GenerateAdminLogs")]
    public Task<IResult> GenerateAdminLogs([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "connectors/admin-logs:generate")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.GenerateAdminLogs(request.HttpContext, logs, access, time, ct, request.Query["date"]));

    [Function("ListConnectors")]
    public Task<IResult> ListConnectors([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.ListConnectors(connectors, ct));

    [Function("GetConnector")]
    public Task<IResult> GetConnector([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.GetConnector(connectorId, connectors, ct));

    [Function("PutConnector")]
    public Task<IResult> PutConnector([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "connectors/{connectorId}")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, (ConnectorRequest body, CancellationToken ct) =>
            ConnectorEndpoints.PutConnector(connectorId, body, request.HttpContext, connectors, ct), ConnectorEndpoints.SmallBodyLimit);

    [Function("DeleteConnector")]
    public Task<IResult> DeleteConnector([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "connectors/{connectorId}")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.DeleteConnector(connectorId, request.HttpContext, connectors, ct));

    [Function("PutUserMappings")]
    public Task<IResult> PutUserMappings([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "connectors/{connectorId}/user-mappings")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, (UserMappingsRequest body, CancellationToken ct) =>
            ConnectorEndpoints.PutUserMappings(connectorId, body, request.HttpContext, connectors, ct, request.Query["mode"]), ConnectorEndpoints.MappingsBodyLimit);

    [Function("ListUserMappings")]
    public Task<IResult> ListUserMappings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}/user-mappings")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.ListUserMappings(connectorId, connectors, ct, request.Query["top"], request.Query["continuationToken"]));

    [Function("ImportItems")]
    public Task<IResult> Import([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "connectors/{connectorId}/imports")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.Import(connectorId, request.HttpContext, imports, ct), ConnectorEndpoints.ImportBodyLimit);

    [Function("ListAdminLogs")]
    public Task<IResult> ListAdminLogs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}/admin-logs")] HttpRequest request, string connectorId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.ListAdminLogs(connectorId, logs, ct));

    [Function("DownloadAdminLog")]
    public Task<IResult> DownloadAdminLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "connectors/{connectorId}/admin-logs/{date}")] HttpRequest request, string connectorId, string date) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.DownloadAdminLog(connectorId, date, logs, ct, request.Query["redirect"]));

    /// <summary>00:10 UTC daily: yesterday's admin log of every connector (the Functions timer runs one instance per occurrence).</summary>
    [Function("ConnectorAdminLogsDaily")]
    public Task AdminLogsDaily([TimerTrigger(AdminLogJob.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        adminLogJob.RunAsync(Occurrence(timer), cancellationToken);

    /// <summary>00:40 UTC daily: deletes admin logs older than 7 days and import records older than 8.</summary>
    [Function("ConnectorRetentionDaily")]
    public Task RetentionDaily([TimerTrigger(ConnectorRetentionJob.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        retentionJob.RunAsync(Occurrence(timer), cancellationToken);

    /// <summary>The occurrence the timer fired for: now, truncated to the minute (a late or past-due run still targets its own day).</summary>
    private DateTimeOffset Occurrence(TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
    }
}
