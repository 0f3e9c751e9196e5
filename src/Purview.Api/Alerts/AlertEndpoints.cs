using Purview.Api.Hosting;
using System.Net.Http.Headers;
using System.Text;
using Purview.Core.Alerts;
using Purview.Core.Scanners;
using Purview.Storage;
using Purview.Storage.Alerts;
using Purview.Storage.Scanning;

namespace Purview.Api.Alerts;

/// <summary>The body of <c>PUT /monitoring/alerts/{alertName}</c>: the kind and the parameters it takes, an optional webhook.</summary>
public sealed record AlertRuleRequest(
    string? Kind, bool? Enabled = null, int? Threshold = null, int? WindowDays = null, int? Days = null, double? Factor = null, string? DataSource = null,
    string? Scan = null, string? SourceType = null, string? SourceName = null, string? ConnectorId = null, string? WebhookUrl = null, bool? RotateSecret = null);

public sealed record AlertStateResponse(string Status, long Sequence, DateTimeOffset? Since, string? Detail);

public sealed record AlertRuleResponse(
    string Name, string Kind, bool Enabled, string Page, int? Threshold, int? WindowDays, int? Days, double? Factor, string? DataSource, string? Scan,
    string? SourceType, string? SourceName, string? ConnectorId, string? WebhookUrl, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ModifiedAt,
    AlertStateResponse State, string? WebhookSecret = null)
{
    /// <param name="secret">Only in the answer of the call that created or rotated it.</param>
    public static AlertRuleResponse From(AlertRule r, AlertState s, string? secret = null)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(s);
        return new(r.Name, AlertService.Wire(r.Kind), r.Enabled, r.Page, r.Threshold, r.WindowDays, r.Days, r.Factor, r.DataSource, r.Scan, r.SourceType, r.SourceName,
            r.ConnectorId, r.WebhookUrl?.AbsoluteUri, r.CreatedAt, r.CreatedBy, r.ModifiedAt, new AlertStateResponse(s.Status == AlertStatus.Firing ? "firing" : "ok", s.Sequence, s.Since, s.Detail), secret);
    }
}

public sealed record AlertTransitionResponse(long Sequence, string State, DateTimeOffset At, string Detail);

public sealed record DeliveryAttemptResponse(DateTimeOffset At, int? StatusCode, string? Error);

public sealed record AlertDeliveryResponse(string Id, long Sequence, string Status, int Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, IReadOnlyList<DeliveryAttemptResponse> AttemptHistory);

public sealed record AlertSummaryResponse(int Firing, IReadOnlyDictionary<string, int> Pages);

/// <summary>
/// Alert rules (<c>/monitoring/alerts</c>, root Collection admins): CRUD, each rule's transition history and webhook
/// deliveries, and the firing count per dashboard page for the badges.
/// </summary>
public static class AlertEndpoints
{
    public const long RuleBody = 16 * 1024;

    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddStorageUser<TableAlertStore, IAlertStore>();
        services.AddSingleton<AlertService>();
        services.AddSingleton<AlertSignals>();
        services.AddSingleton<IWebhookSender>(sp => new GuardedWebhookSender(GuardedConnections.CreateHttpClient(sp.GetRequiredService<ScanTargetGuard>())));
        services.AddSingleton<AlertMonitor>();
        services.AddScheduledJob<AlertJob>();
        return services;
    }

    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/monitoring/alerts").WithTags("Alerts").RequireAuthorization(AccessPolicies.RootAdmin);
        group.MapGet(string.Empty, List).WithName("ListAlertRules").WithSummary("Every alert rule with its current state.");
        group.MapGet("/summary", Summary).WithName("AlertSummary").WithSummary("How many rules fire, in all and per dashboard page (for the badges).");
        group.MapGet("/{alertName}", Get).WithName("GetAlertRule").WithSummary("One alert rule with its state.");
        group.MapPut("/{alertName}", Put).WithName("PutAlertRule").WithSummary("Creates (201, with the webhook secret once) or replaces (200) an alert rule.").WithBodyLimit(RuleBody);
        group.MapDelete("/{alertName}", Delete).WithName("DeleteAlertRule").WithSummary("Deletes an alert rule.");
        group.MapGet("/{alertName}/history", History).WithName("AlertRuleHistory").WithSummary("A rule's transitions between firing and resolved, newest first.");
        group.MapGet("/{alertName}/deliveries", Deliveries).WithName("AlertRuleDeliveries").WithSummary("A rule's webhook deliveries with each attempt.");
        return routes;
    }

    public static async Task<Ok<ListResponse<AlertRuleResponse>>> List(AlertService alerts, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of(await alerts.ListAsync(cancellationToken), r => AlertRuleResponse.From(r.Rule, r.State)));

    public static async Task<Ok<AlertSummaryResponse>> Summary(AlertService alerts, CancellationToken cancellationToken)
    {
        var s = await alerts.SummaryAsync(cancellationToken);
        return TypedResults.Ok(new AlertSummaryResponse(s.Firing, s.Pages));
    }

    public static async Task<Results<Ok<AlertRuleResponse>, ProblemHttpResult>> Get(string alertName, AlertService alerts, CancellationToken cancellationToken) =>
        ApiResults.Ok(await alerts.GetAsync(alertName, cancellationToken), v => AlertRuleResponse.From(v.Rule, v.State));

    public static async Task<Results<Created<AlertRuleResponse>, Ok<AlertRuleResponse>, ProblemHttpResult>> Put(
        string alertName, AlertRuleRequest body, HttpContext http, AlertService alerts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var input = new AlertRuleInput(body.Kind, body.Enabled, body.Threshold, body.WindowDays, body.Days, body.Factor, body.DataSource, body.Scan,
            body.SourceType, body.SourceName, body.ConnectorId, body.WebhookUrl, body.RotateSecret);
        var result = await alerts.PutAsync(http.GetCaller(), alertName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => AlertRuleResponse.From(r.Rule, r.State, r.NewSecret), r => $"/monitoring/alerts/{Uri.EscapeDataString(r.Rule.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string alertName, HttpContext http, AlertService alerts, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await alerts.DeleteAsync(http.GetCaller(), alertName, cancellationToken));

    public static async Task<Results<Ok<ListResponse<AlertTransitionResponse>>, ProblemHttpResult>> History(string alertName, AlertService alerts, CancellationToken cancellationToken, int? top = null)
    {
        var result = await alerts.HistoryAsync(alertName, top, cancellationToken);
        return ApiResults.Ok(result, list => ListResponse.Of(list, t => new AlertTransitionResponse(t.Sequence, t.To == AlertStatus.Firing ? "firing" : "resolved", t.At, t.Detail)));
    }

    public static async Task<Results<Ok<ListResponse<AlertDeliveryResponse>>, ProblemHttpResult>> Deliveries(string alertName, AlertService alerts, CancellationToken cancellationToken, int? top = null)
    {
        var result = await alerts.DeliveriesAsync(alertName, top, cancellationToken);
        return ApiResults.Ok(result, list => ListResponse.Of(list, d => new AlertDeliveryResponse(d.Id, d.Sequence, d.Status.ToString().ToLowerInvariant(), d.Attempts,
            d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.History.Select(a => new DeliveryAttemptResponse(a.At, a.StatusCode, a.Error)).ToList())));
    }
}

/// <summary>
/// Posts deliveries through the scanners' guarded connections (the outbound policy applied to every connection it
/// opens, no redirects), with a 15-second limit; the receiver's body is never read beyond its status.
/// </summary>
public sealed class GuardedWebhookSender(HttpClient client) : IWebhookSender
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public async Task<WebhookResult> SendAsync(Uri url, string body, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return new WebhookResult((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResult(null, $"No answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return new WebhookResult(null, ex.InnerException is EndpointRefusedException refused ? refused.Message : "The connection failed: " + ex.HttpRequestError);
        }
    }
}
