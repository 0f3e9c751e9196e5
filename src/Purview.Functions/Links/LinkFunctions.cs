using Purview.Functions.Http;
using Purview.Api.Links;
using Purview.Core.Links;

namespace Purview.Functions.Links;

/// <summary>The HTTP functions of links, OpenLineage and link monitoring: the local host's handlers inside <see cref="HandlerPipeline"/>.</summary>
public sealed class LinkFunctions(LinkService links, LinkMonitoringService monitoring)
{
    [Function("ListLinks")]
    public Task<IResult> ListLinks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.RootLinkMonitor, ct => LinkEndpoints.ListLinks(links, ct));

    [Function("GetLink")]
    public Task<IResult> GetLink([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.RootLinkMonitor, ct => LinkEndpoints.GetLink(sourceType, sourceName, links, ct));

    [Function("PutLink")]
    public Task<IResult> PutLink([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.RootLinkMonitor, (LinkRequest body, CancellationToken ct) =>
            LinkEndpoints.PutLink(sourceType, sourceName, body, request.HttpContext, links, ct), LinkEndpoints.LinkBodyLimit);

    [Function("DeleteLink")]
    public Task<IResult> DeleteLink([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.RootLinkMonitor, ct => LinkEndpoints.DeleteLink(sourceType, sourceName, request.HttpContext, links, ct));

    [Function("PushActivityRun")]
    public Task<IResult> PushActivityRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/{sourceType}/{sourceName}/activityruns")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.DataCurator, (ActivityRunRequest body, CancellationToken ct) =>
            LinkEndpoints.PushActivityRun(sourceType, sourceName, body, request.HttpContext, links, ct), LinkEndpoints.ActivityRunBodyLimit);

    [Function("GetActivityRun")]
    public Task<IResult> GetActivityRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "links/{sourceType}/{sourceName}/activityruns/{activityRunId}")] HttpRequest request,
        string sourceType, string sourceName, string activityRunId) =>
        HandlerPipeline.RunAsync(request, null, ct => LinkEndpoints.GetActivityRun(sourceType, sourceName, activityRunId, request.HttpContext, links, ct));

    [Function("RunLinkAggregates")]
    public Task<IResult> RunLinkAggregates([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "links/aggregates:run")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.RootLinkMonitor, ct => LinkEndpoints.RunAggregates(monitoring, ct, request.Query["hour"]));

    [Function("PostOpenLineage")]
    public Task<IResult> PostOpenLineage([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/v1/lineage")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, AccessPolicies.DataCurator, ct => LinkEndpoints.PostLineage(request, links, ct), LinkEndpoints.LineageBodyLimit);

    [Function("LinkMonitoringSummary")]
    public Task<IResult> Summary([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/links/summary")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, null, ct =>
            LinkMonitoringEndpoints.Summary(request.HttpContext, monitoring, ct, request.Query["sourceType"], request.Query["sourceName"], request.Query["period"], request.Query["from"], request.Query["to"]));

    [Function("LinkMonitoringSources")]
    public Task<IResult> Sources([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/links")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, null, async ct =>
            FunctionQuery.NotWholeNumber(request, "top", "skip") ?? await LinkMonitoringEndpoints.Sources(request.HttpContext, monitoring, ct,
                request.Query["sourceType"], request.Query["sourceName"], request.Query["period"], request.Query["from"], request.Query["to"], request.Query["orderBy"],
                FunctionQuery.WholeNumber(request, "top"), FunctionQuery.WholeNumber(request, "skip")));

    [Function("LinkMonitoringSubArtifacts")]
    public Task<IResult> SubArtifacts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/links/{sourceType}/{sourceName}")] HttpRequest request, string sourceType, string sourceName) =>
        HandlerPipeline.RunAsync(request, null, async ct =>
            FunctionQuery.NotWholeNumber(request, "top", "skip") ?? await LinkMonitoringEndpoints.SubArtifacts(sourceType, sourceName, request.HttpContext, monitoring, ct,
                request.Query["period"], request.Query["from"], request.Query["to"], request.Query["orderBy"], FunctionQuery.WholeNumber(request, "top"), FunctionQuery.WholeNumber(request, "skip")));
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
