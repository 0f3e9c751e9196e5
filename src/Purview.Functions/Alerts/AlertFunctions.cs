using Purview.Api.Alerts;
using Purview.Functions.Http;
using Purview.Core.Alerts;
using Purview.Core.Telemetry;

namespace Purview.Functions.Alerts;

/// <summary>
/// The HTTP functions of alert rules, one per route of <see cref="AlertEndpoints"/>, each the same handler inside
/// <see cref="HandlerPipeline"/> with the group's policy (root Collection admin).
/// </summary>
public sealed class AlertFunctions(AlertService alerts)
{
    private const string Policy = AccessPolicies.RootAdmin;

    [Function("ListAlertRules")]
    public Task<IResult> ListAlertRules([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, ct => AlertEndpoints.List(alerts, ct));

    [Function("AlertSummary")]
    public Task<IResult> AlertSummary([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/summary")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, ct => AlertEndpoints.Summary(alerts, ct));

    [Function("GetAlertRule")]
    public Task<IResult> GetAlertRule([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/{alertName}")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request, Policy, ct => AlertEndpoints.Get(alertName, alerts, ct));

    [Function("PutAlertRule")]
    public Task<IResult> PutAlertRule([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "monitoring/alerts/{alertName}")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request, Policy, (AlertRuleRequest body, CancellationToken ct) =>
            AlertEndpoints.Put(alertName, body, request.HttpContext, alerts, ct), AlertEndpoints.RuleBody);

    [Function("DeleteAlertRule")]
    public Task<IResult> DeleteAlertRule([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "monitoring/alerts/{alertName}")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request, Policy, ct => AlertEndpoints.Delete(alertName, request.HttpContext, alerts, ct));

    [Function("AlertRuleHistory")]
    public Task<IResult> AlertRuleHistory([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/{alertName}/history")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request, Policy, async ct =>
            FunctionQuery.NotWholeNumber(request, "top") ?? await AlertEndpoints.History(alertName, alerts, ct, FunctionQuery.WholeNumber(request, "top")));

    [Function("AlertRuleDeliveries")]
    public Task<IResult> AlertRuleDeliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/{alertName}/deliveries")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request, Policy, async ct =>
            FunctionQuery.NotWholeNumber(request, "top") ?? await AlertEndpoints.Deliveries(alertName, alerts, ct, FunctionQuery.WholeNumber(request, "top")));
}

/// <summary>Every minute (UTC), like the local host's job: evaluate the alert rules and deliver their webhooks.</summary>
public sealed class AlertTimerFunctions(AlertJob job, TimeProvider time)
{
    [Function("EvaluateAlerts")]
    public Task EvaluateAlerts([TimerTrigger(AlertJob.Cron)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        return PurviewTelemetry.TraceJobAsync(job.Name, now, () => job.RunAsync(now, context.CancellationToken));
    }
}
