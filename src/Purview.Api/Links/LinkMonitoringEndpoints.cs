using Purview.Core.Links;

namespace Purview.Api.Links;

/// <summary>
/// Link monitoring (UTC): KPIs and trend, per source, per <c>pipeline/activity</c>. Who sees what is decided per link by
/// <see cref="LinkMonitoringService"/> (ADF/Synapse: root Data source admin or Collection admin; OpenLineage: Data source
/// admin of the link's collection).
/// </summary>
public static class LinkMonitoringEndpoints
{
    public static IEndpointRouteBuilder MapLinkMonitoringEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/monitoring/links").WithTags("Link monitoring").RequireAuthorization();
        group.MapGet("/summary", Summary).WithName("LinkMonitoringSummary").WithSummary("Link KPIs and trend over a period (UTC), for the links the caller may see.");
        group.MapGet("", Sources).WithName("LinkMonitoringSources").WithSummary("Per connected source: runs, failures and last event over the period, sorted and paged.");
        group.MapGet("/{sourceType}/{sourceName}", SubArtifacts).WithName("LinkMonitoringSubArtifacts").WithSummary("Per pipeline/activity (or job) of one source: runs, failures and last event, sorted and paged.");
        return routes;
    }

    public static async Task<Results<Ok<LinkSummary>, ProblemHttpResult>> Summary(
        HttpContext http, LinkMonitoringService monitoring, CancellationToken cancellationToken,
        string? sourceType = null, string? sourceName = null, string? period = null, string? from = null, string? to = null) =>
        ApiResults.Ok(await monitoring.SummaryAsync(http.GetCaller(), new LinkMonitoringQuery(sourceType, sourceName, period, from, to), cancellationToken));

    public static async Task<Results<Ok<LinkPage<LinkSourceStatus>>, ProblemHttpResult>> Sources(
        HttpContext http, LinkMonitoringService monitoring, CancellationToken cancellationToken,
        string? sourceType = null, string? sourceName = null, string? period = null, string? from = null, string? to = null, string? orderBy = null, int? top = null, int? skip = null) =>
        ApiResults.Ok(await monitoring.ListSourcesAsync(http.GetCaller(), new LinkMonitoringQuery(sourceType, sourceName, period, from, to), orderBy, top, skip, cancellationToken));

    public static async Task<Results<Ok<LinkPage<LinkSubArtifactStatus>>, ProblemHttpResult>> SubArtifacts(
        string sourceType, string sourceName, HttpContext http, LinkMonitoringService monitoring, CancellationToken cancellationToken,
        string? period = null, string? from = null, string? to = null, string? orderBy = null, int? top = null, int? skip = null)
    {
        var result = await monitoring.ListSubArtifactsAsync(http.GetCaller(), sourceType, LinkEndpoints.RouteName(sourceName),
            new LinkMonitoringQuery(null, null, period, from, to), orderBy, top, skip, cancellationToken);
        return ApiResults.Ok(result);
    }
}
