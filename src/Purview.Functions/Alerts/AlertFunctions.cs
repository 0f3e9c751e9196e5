using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Alerts;
using Purview.Api.Http;
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
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () => await AlertEndpoints.List(alerts, request.HttpContext.RequestAborted));

    [Function("AlertSummary")]
    public Task<IResult> AlertSummary([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/summary")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () => await AlertEndpoints.Summary(alerts, request.HttpContext.RequestAborted));

    [Function("GetAlertRule")]
    public Task<IResult> GetAlertRule([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/{alertName}")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () => await AlertEndpoints.Get(alertName, alerts, request.HttpContext.RequestAborted));

    [Function("PutAlertRule")]
    public Task<IResult> PutAlertRule([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "monitoring/alerts/{alertName}")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await AlertEndpoints.Put(alertName, await HandlerPipeline.ReadJsonAsync<AlertRuleRequest>(request), request.HttpContext, alerts, request.HttpContext.RequestAborted),
            bodyLimit: AlertEndpoints.RuleBody);

    [Function("DeleteAlertRule")]
    public Task<IResult> DeleteAlertRule([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "monitoring/alerts/{alertName}")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () => await AlertEndpoints.Delete(alertName, request.HttpContext, alerts, request.HttpContext.RequestAborted));

    [Function("AlertRuleHistory")]
    public Task<IResult> AlertRuleHistory([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/{alertName}/history")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            TryTop(request, out var top) ? await AlertEndpoints.History(alertName, alerts, request.HttpContext.RequestAborted, top) : ApiResults.Validation("top", "'top' is a whole number."));

    [Function("AlertRuleDeliveries")]
    public Task<IResult> AlertRuleDeliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/alerts/{alertName}/deliveries")] HttpRequest request, string alertName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            TryTop(request, out var top) ? await AlertEndpoints.Deliveries(alertName, alerts, request.HttpContext.RequestAborted, top) : ApiResults.Validation("top", "'top' is a whole number."));

    /// <summary>The optional <c>top</c>: false when present but not a whole number (the local host's binding answers 400 then too).</summary>
    private static bool TryTop(HttpRequest request, out int? value)
    {
        value = null;
        var text = request.Query["top"].ToString();
        if (text.Length == 0)
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
