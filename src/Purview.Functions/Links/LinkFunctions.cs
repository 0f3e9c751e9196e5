using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Api.Links;
using Purview.Core.Links;

namespace Purview.Functions.Links;

/// <summary>The HTTP functions of links, OpenLineage and link monitoring: the local host's handlers inside <see cref="HandlerPipeline"/>.</summary>
public sealed class LinkFunctions(LinkService links, LinkMonitoringService monitoring)
{
    [Function("ListLinks")]
    public Task<IResult> ListLinks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.RootLinkMonitor, async () =>
            await LinkEndpoints.ListLinks(links, request.HttpContext.RequestAborted));

    [Function("GetLink")]
    public Task<IResult> GetLink([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.RootLinkMonitor, async () =>
            await LinkEndpoints.GetLink(sourceType, sourceName, links, request.HttpContext.RequestAborted));

    [Function("PutLink")]
    public Task<IResult> PutLink([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.RootLinkMonitor, async () =>
            await LinkEndpoints.PutLink(sourceType, sourceName, await HandlerPipeline.ReadJsonAsync<LinkRequest>(request), request.HttpContext, links, request.HttpContext.RequestAborted),
            bodyLimit: LinkEndpoints.LinkBodyLimit);

    [Function("DeleteLink")]
    public Task<IResult> DeleteLink([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.RootLinkMonitor, async () =>
            await LinkEndpoints.DeleteLink(sourceType, sourceName, request.HttpContext, links, request.HttpContext.RequestAborted));

    [Function("PushActivityRun")]
    public Task<IResult> PushActivityRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/{sourceType}/{sourceName}/activityruns")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.DataCurator, async () =>
            await LinkEndpoints.PushActivityRun(sourceType, sourceName, await HandlerPipeline.ReadJsonAsync<ActivityRunRequest>(request), request.HttpContext, links, request.HttpContext.RequestAborted),
            bodyLimit: LinkEndpoints.ActivityRunBodyLimit);

    [Function("GetActivityRun")]
    public Task<IResult> GetActivityRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links/{sourceType}/{sourceName}/activityruns/{activityRunId}")] HttpRequest request,
        string sourceType, string sourceName, string activityRunId) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await LinkEndpoints.GetActivityRun(sourceType, sourceName, activityRunId, request.HttpContext, links, request.HttpContext.RequestAborted));

    [Function("RunLinkAggregates")]
    public Task<IResult> RunLinkAggregates([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/aggregates:run")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.RootLinkMonitor, async () =>
            await LinkEndpoints.RunAggregates(monitoring, request.HttpContext.RequestAborted, Query(request, "hour")));

    [Function("PostOpenLineage")]
    public Task<IResult> PostOpenLineage([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/lineage")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, AccessPolicies.DataCurator, () =>
            LinkEndpoints.PostLineage(request, links, request.HttpContext.RequestAborted),
            bodyLimit: LinkEndpoints.LineageBodyLimit);

    [Function("LinkMonitoringSummary")]
    public Task<IResult> Summary([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/links/summary")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await LinkMonitoringEndpoints.Summary(request.HttpContext, monitoring, request.HttpContext.RequestAborted,
                Query(request, "sourceType"), Query(request, "sourceName"), Query(request, "period"), Query(request, "from"), Query(request, "to")));

    [Function("LinkMonitoringSources")]
    public Task<IResult> Sources([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/links")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
        {
            if (!TryInt(request, "top", out var top) || !TryInt(request, "skip", out var skip))
            {
                return ApiResults.Validation(TryInt(request, "top", out _) ? "skip" : "top", "top and skip are whole numbers.");
            }

            return await LinkMonitoringEndpoints.Sources(request.HttpContext, monitoring, request.HttpContext.RequestAborted,
                Query(request, "sourceType"), Query(request, "sourceName"), Query(request, "period"), Query(request, "from"), Query(request, "to"), Query(request, "orderBy"), top, skip);
        });

    [Function("LinkMonitoringSubArtifacts")]
    public Task<IResult> SubArtifacts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
        {
            if (!TryInt(request, "top", out var top) || !TryInt(request, "skip", out var skip))
            {
                return ApiResults.Validation(TryInt(request, "top", out _) ? "skip" : "top", "top and skip are whole numbers.");
            }

            return await LinkMonitoringEndpoints.SubArtifacts(sourceType, sourceName, request.HttpContext, monitoring, request.HttpContext.RequestAborted,
                Query(request, "period"), Query(request, "from"), Query(request, "to"), Query(request, "orderBy"), top, skip);
        });

    private static string? Query(HttpRequest request, string name) => request.Query.TryGetValue(name, out var v) ? v.ToString() : null;

    private static bool TryInt(HttpRequest request, string name, out int? value)
    {
        value = null;
        var text = Query(request, name);
        if (text is null)
        {
            return true;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}

/// <summary>The link jobs as timer functions, on the same schedules as the local host's timer service, delegating to the same classes.</summary>
public sealed class LinkTimerFunctions(LinkAggregationJob aggregation, LinkRetentionJob retention, TimeProvider time)
{
    [Function("LinkAggregationTimer")]
    public Task AggregateLinks([TimerTrigger(LinkAggregationJob.CronSchedule)] TimerInfo timer, FunctionContext context) =>
        aggregation.RunAsync(Occurrence(timer), context.CancellationToken);

    [Function("LinkRetentionTimer")]
    public Task RetainLinks([TimerTrigger(LinkRetentionJob.CronSchedule)] TimerInfo timer, FunctionContext context) =>
        retention.RunAsync(Occurrence(timer), context.CancellationToken);

    /// <summary>The firing time: the hourly job aggregates the hour before it, so a late (past-due) firing still picks the right hour until the next one.</summary>
    private DateTimeOffset Occurrence(TimerInfo timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return time.GetUtcNow();
    }
}
