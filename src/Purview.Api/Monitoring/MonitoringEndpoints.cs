using Purview.Api.ScanRuns;
using Purview.Core.Monitoring;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Api.Monitoring;

public sealed record CountsResponse(long Total, long Succeeded, long Failed, long Canceled, long InProgress, long Queued, long Throttled)
{
    public static CountsResponse From(RunCounts c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Total, c.Succeeded, c.Failed, c.Canceled, c.InProgress, c.Queued, c.Throttled);
    }
}

public sealed record SeriesPointResponse(string Start, CountsResponse Counts);

public sealed record SummaryResponse(string From, string To, string Granularity, string? SourceType, CountsResponse Totals, IReadOnlyList<SeriesPointResponse> Series);

public sealed record LastRunResponse(string Id, string Status, DateTimeOffset Time);

public sealed record ScanStatusResponse(
    string DataSource, string Scan, string SourceType, string Collection, long Succeeded, long Failed, long Canceled, long InProgress, long Queued, long Throttled, LastRunResponse? LastRun)
{
    public static ScanStatusResponse From(ScanStatusRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.DataSource, r.Scan, r.SourceType, r.Collection, r.Succeeded, r.Failed, r.Canceled, r.InProgress, r.Queued, r.Throttled,
            r.LastRunId is { } id && r.LastRunStatus is { } s && r.LastRunTime is { } t ? new LastRunResponse(id.ToString("D"), s.ToWire(), t) : null);
    }
}

/// <summary>
/// Scan monitoring (UTC; Data source admin; only the caller's collections are counted): KPIs and series, per-scan
/// status, per data source recent/failed runs, per collection scans.
/// </summary>
public static class MonitoringEndpoints
{
    public static IEndpointRouteBuilder MapMonitoringEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/monitoring").WithTags("Monitoring").RequireAuthorization(AccessPolicies.DataSourceAdmin);
        group.MapGet("/scanruns/summary", Summary).WithName("ScanRunSummary").WithSummary("Scan-run KPIs and a daily or weekly series over a period (UTC), for the caller's collections.");
        group.MapGet("/scans", Scans).WithName("ScanStatus").WithSummary("Per scan: runs by status over the period and the last run, for the caller's collections.");
        group.MapGet("/datasources/{dataSourceName}/runs", DataSourceRuns).WithName("DataSourceRuns").WithSummary("A data source's recent or failed runs (view=recent|failed, top 1-100).");
        group.MapGet("/collections/{collectionName}/scans", CollectionScans).WithName("CollectionScans").WithSummary("Per scan of one collection: runs by status over the period and the last run.");
        return routes;
    }

    public static async Task<Results<Ok<SummaryResponse>, ProblemHttpResult>> Summary(
        HttpContext http, MonitoringService monitoring, CancellationToken cancellationToken, string? period = null, string? granularity = null, string? sourceType = null)
    {
        var result = await monitoring.SummaryAsync(http.GetCaller(), period, granularity, sourceType, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        var s = result.Value!;
        return TypedResults.Ok(new SummaryResponse(Iso(s.From), Iso(s.To), s.Granularity == Granularity.Day ? "day" : "week", s.SourceType, CountsResponse.From(s.Totals),
            s.Series.Select(p => new SeriesPointResponse(Iso(p.Start), CountsResponse.From(p.Counts))).ToList()));
    }

    public static async Task<Results<Ok<ListResponse<ScanStatusResponse>>, ProblemHttpResult>> Scans(
        HttpContext http, MonitoringService monitoring, CancellationToken cancellationToken, string? period = null, string? sourceType = null) =>
        ApiResults.Ok(await monitoring.ScansAsync(http.GetCaller(), period, sourceType, null, cancellationToken), v => ListResponse.Of(v, ScanStatusResponse.From));

    public static async Task<Results<Ok<ListResponse<ScanStatusResponse>>, ProblemHttpResult>> CollectionScans(
        string collectionName, HttpContext http, MonitoringService monitoring, CancellationToken cancellationToken, string? period = null, string? sourceType = null) =>
        ApiResults.Ok(await monitoring.ScansAsync(http.GetCaller(), period, sourceType, collectionName, cancellationToken), v => ListResponse.Of(v, ScanStatusResponse.From));

    public static async Task<Results<Ok<ListResponse<ScanResultWithIngestion>>, ProblemHttpResult>> DataSourceRuns(
        string dataSourceName, HttpContext http, ScanRunService runs, TimeProvider time, CancellationToken cancellationToken, string? view = null, int? top = null)
    {
        var failedOnly = (view ?? "recent").ToLowerInvariant() switch
        {
            "recent" => (bool?)false,
            "failed" => true,
            _ => null,
        };
        if (failedOnly is null)
        {
            return ApiResults.Validation("view", "view must be recent or failed.");
        }

        if (top is < 1 or > 100)
        {
            return ApiResults.Validation("top", "top is between 1 and 100.");
        }

        var result = await runs.ListDataSourceRunsAsync(http.GetCaller(), dataSourceName, failedOnly.Value, top ?? 20, cancellationToken);
        var now = time.GetUtcNow();
        return ApiResults.Ok(result, v => ListResponse.Of(v, r => ScanResultWithIngestion.From(r, now)));
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
