using System.Text.Json;
using Purview.Core.Common;
using Purview.Core.Links;

namespace Purview.Api.Links;

/// <summary>
/// Connected sources (<c>/links</c>), native pushes from Data Factory and Synapse, OpenLineage RunEvents
/// (<c>/api/v1/lineage</c>, as Marquez) and the admin backfill of hourly aggregates.
/// Managing links and backfilling: Data source admin or Collection admin on the root (<see cref="AccessPolicies.RootLinkMonitor"/>).
/// Pushing: a Data curator somewhere (group policy), then the link's writers with Data curator on its collection (use case).
/// </summary>
public static class LinkEndpoints
{
    public const long LinkBodyLimit = 16 * 1024;
    public const long ActivityRunBodyLimit = 256 * 1024;
    public const long LineageBodyLimit = 4 * 1024 * 1024;
    public const int MaxEventsPerRequest = 1000;

    public static IEndpointRouteBuilder MapLinkEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/links").WithTags("Links").RequireAuthorization();
        group.MapGet("", ListLinks).WithName("ListLinks").WithSummary("The connected sources (Data Factory, Synapse, OpenLineage namespaces).").RequireAuthorization(AccessPolicies.RootLinkMonitor);
        group.MapPost("/aggregates:run", RunAggregates).WithName("RunLinkAggregates").WithSummary("Aggregates one hour of link events again (default the last full hour, UTC) and returns the aggregates.").RequireAuthorization(AccessPolicies.RootLinkMonitor);
        group.MapGet("/{sourceType}/{sourceName}", GetLink).WithName("GetLink").WithSummary("One connected source.").RequireAuthorization(AccessPolicies.RootLinkMonitor);
        group.MapPut("/{sourceType}/{sourceName}", PutLink).WithName("PutLink").WithSummary("Connects (201) or updates (200) a source: its collection and the principals allowed to push.").RequireAuthorization(AccessPolicies.RootLinkMonitor).WithBodyLimit(LinkBodyLimit);
        group.MapDelete("/{sourceType}/{sourceName}", DeleteLink).WithName("DeleteLink").WithSummary("Disconnects a source.").RequireAuthorization(AccessPolicies.RootLinkMonitor);
        group.MapPost("/{sourceType}/{sourceName}/activityruns", PushActivityRun).WithName("PushActivityRun").WithSummary("Pushes one Data Factory or Synapse activity run's lineage; answers what was written and skipped.").RequireAuthorization(AccessPolicies.DataCurator).WithBodyLimit(ActivityRunBodyLimit);
        group.MapGet("/{sourceType}/{sourceName}/activityruns/{activityRunId}", GetActivityRun).WithName("GetActivityRun").WithSummary("One pushed activity run with its lineage report.");
        routes.MapPost("/api/v1/lineage", PostLineage).WithTags("Links").WithName("PostOpenLineage").WithSummary("Ingests one OpenLineage RunEvent (201) or an array of 1 to 1,000 (200 with a result per event).")
            .RequireAuthorization(AccessPolicies.DataCurator).WithBodyLimit(LineageBodyLimit)
            // Read as a document, not bound: one RunEvent (the OpenLineage spec's schema) or an array of them.
            .Accepts<JsonElement>("application/json")
            .Produces<LineageEventResponse>(StatusCodes.Status201Created).Produces<ListResponse<LineageEventResponse>>(StatusCodes.Status200OK);
        return routes;
    }

    public static async Task<Ok<ListResponse<LinkResponse>>> ListLinks(LinkService links, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of(await links.ListAsync(cancellationToken), LinkResponse.From));

    public static async Task<Results<Ok<LinkResponse>, ProblemHttpResult>> GetLink(string sourceType, string sourceName, LinkService links, CancellationToken cancellationToken) =>
        ApiResults.Ok(await links.GetAsync(sourceType, RouteName(sourceName), cancellationToken), LinkResponse.From);

    public static async Task<Results<Created<LinkResponse>, Ok<LinkResponse>, ProblemHttpResult>> PutLink(
        string sourceType, string sourceName, LinkRequest body, HttpContext http, LinkService links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = await links.PutAsync(http.GetCaller(), sourceType, RouteName(sourceName), body.Collection, body.Writers, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => LinkResponse.From(r.Link), r => $"/links/{r.Link.SourceType}/{Uri.EscapeDataString(r.Link.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteLink(string sourceType, string sourceName, HttpContext http, LinkService links, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await links.DeleteAsync(http.GetCaller(), sourceType, RouteName(sourceName), cancellationToken));

    public static async Task<Results<Ok<LineageReport>, ProblemHttpResult>> PushActivityRun(
        string sourceType, string sourceName, ActivityRunRequest body, HttpContext http, LinkService links, CancellationToken cancellationToken) =>
        ApiResults.Ok(await links.PushActivityRunAsync(http.GetCaller(), sourceType, RouteName(sourceName), body, cancellationToken));

    public static async Task<Results<Ok<LinkRunResponse>, ProblemHttpResult>> GetActivityRun(
        string sourceType, string sourceName, string activityRunId, HttpContext http, LinkService links, CancellationToken cancellationToken) =>
        ApiResults.Ok(await links.GetRunAsync(http.GetCaller(), sourceType, RouteName(sourceName), activityRunId, cancellationToken), LinkRunResponse.From);

    public static async Task<Results<Ok<ListResponse<LinkAggregate>>, ProblemHttpResult>> RunAggregates(LinkMonitoringService monitoring, CancellationToken cancellationToken, string? hour = null) =>
        ApiResults.Ok(await monitoring.RunHourAsync(hour, cancellationToken), v => ListResponse.Of(v));

    /// <summary>One RunEvent (201 with its result) or an array of up to 1,000 (200 with a result per event). Every event is validated before any is ingested.</summary>
    public static async Task<IResult> PostLineage(HttpRequest request, LinkService links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a JSON body (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 64 }, cancellationToken);
        }
        catch (JsonException ex)
        {
            return ApiResults.Validation("body", $"The body is not valid JSON ({ex.Message.Split('.')[0]}): send one OpenLineage RunEvent or an array of them.");
        }

        using (document)
        {
            var root = document.RootElement;
            var single = root.ValueKind != JsonValueKind.Array;
            if (!single && root.GetArrayLength() is 0 or > MaxEventsPerRequest)
            {
                return ApiResults.Validation("body", $"An array holds 1 to {MaxEventsPerRequest} events.");
            }

            var parsed = new List<OpenLineageEvent>();
            var items = single ? [root] : root.EnumerateArray().ToList();
            for (var i = 0; i < items.Count; i++)
            {
                var result = OpenLineageEvent.Parse(items[i], single ? string.Empty : $"[{i}].");
                if (!result.IsSuccess)
                {
                    return ApiResults.Problem(result.Error!);
                }

                parsed.Add(result.Value!);
            }

            var results = await links.IngestOpenLineageAsync(request.HttpContext.GetCaller(), parsed, cancellationToken);
            if (single)
            {
                var only = results[0];
                return only.Error is not null ? ApiResults.Problem(only.Error) : TypedResults.Created((string?)null, LineageEventResponse.From(only));
            }

            return TypedResults.Ok(ListResponse.Of(results, LineageEventResponse.From));
        }
    }

    /// <summary>An OpenLineage namespace with '/' arrives as %2F in the route segment (the server does not decode it).</summary>
    internal static string RouteName(string sourceName) =>
        sourceName.Contains('%', StringComparison.Ordinal) ? sourceName.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase) : sourceName;
}

public sealed record LinkRequest(string? Collection = null, IReadOnlyList<string?>? Writers = null);

public sealed record LinkResponse(string SourceType, string SourceName, string Collection, IReadOnlyList<string> Writers, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ModifiedAt)
{
    public static LinkResponse From(Link l)
    {
        ArgumentNullException.ThrowIfNull(l);
        return new(l.SourceType.ToString(), l.Name, l.Collection, l.Writers, l.CreatedAt, l.CreatedBy, l.ModifiedAt);
    }
}

public sealed record LinkRunResponse(string SourceType, string SourceName, string RunId, string Pipeline, string Activity, string State, DateTimeOffset EventTime, LineageReport ReportLineageToPurview)
{
    public static LinkRunResponse From(LinkRun r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.SourceType.ToString(), r.SourceName, r.RunId, r.Pipeline, r.Activity, r.State, r.EventTime, r.Report);
    }
}

public sealed record LineageEventError(int Status, string Code, string Message);

public sealed record LineageEventResponse(int Index, int Status, bool Duplicate, string? RunId, string? EventType, LineageReport? ReportLineageToPurview, LineageEventError? Error)
{
    public static LineageEventResponse From(OpenLineageResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var status = r.Error is null ? StatusCodes.Status201Created : ApiResults.StatusOf(r.Error.Kind);
        return new(r.Index, status, r.Duplicate, r.RunId, r.EventType, r.ReportLineageToPurview, r.Error is null ? null : new LineageEventError(status, r.Error.Code, r.Error.Message));
    }
}
