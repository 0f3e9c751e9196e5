using System.Globalization;
using System.Text;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Api.ScanRuns;

/// <summary>
/// Scan runs, Scanning API 2023-09-01 shape (base path /scan; api-version accepted and not required). Cancel is
/// <c>POST .../runs/{runId}:cancel</c>, or <c>.../runs/{runId}/:cancel</c> as older clients send it.
/// </summary>
public static class ScanRunEndpoints
{
    public const string RunsRoute = "/scan/datasources/{dataSourceName}/scans/{scanName}/runs";
    private const string CancelSuffix = ":cancel";
    private const int DefaultTop = 20;

    public static IEndpointRouteBuilder MapScanRunEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup(RunsRoute).WithTags("Scan runs").RequireAuthorization(AccessPolicies.DataSourceAdmin);
        group.MapPut("/{runId}", StartRun).WithName("RunScan").WithSummary("Starts a run of a scan with the caller's run id (202 with Operation-Location); the same id again answers the same run.");
        group.MapGet("/{runId}", GetRun).WithName("GetScanRun").WithSummary("One scan run with its scan and ingestion progress (ScanResultWithIngestion).");
        group.MapPost("/{runIdAndAction}", CancelRunWithSuffix).WithName("CancelScanRun").WithSummary("Cancels a run: POST .../runs/{runId}:cancel (202; a finished run is left as it is).");
        group.MapPost("/{runId}/" + CancelSuffix, CancelRun).WithName("CancelScanRunLegacy").WithSummary("Cancels a run, as older clients send it: POST .../runs/{runId}/:cancel.");
        group.MapGet("", ListRuns).WithName("ListScanRuns").WithSummary("The runs of a scan, newest first, paged with $top and $skipToken (nextLink).");
        group.MapGet("/{runId}/exceptions", DownloadExceptions).WithName("DownloadScanRunExceptions").WithSummary("The run's exception log as CSV (one line per asset that failed, streamed).")
            .Produces<string>(StatusCodes.Status200OK, "text/csv");
        return routes;
    }

    public static async Task<Results<Accepted<OperationResponse>, ProblemHttpResult>> StartRun(
        string dataSourceName, string scanName, string runId, HttpContext http, ScanRunService runs, CancellationToken cancellationToken, string? scanLevel = null)
    {
        var result = await runs.StartAsync(http.GetCaller(), dataSourceName, scanName, runId, scanLevel, ScanTrigger.Manual, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        var location = $"{RunPath(dataSourceName, scanName)}/{result.Value.Run.Id}";
        SetOperationLocation(http, location);
        return TypedResults.Accepted(location, OperationResponse.From(result.Value.Run));
    }

    public static async Task<Results<Ok<ScanResultWithIngestion>, ProblemHttpResult>> GetRun(
        string dataSourceName, string scanName, string runId, HttpContext http, ScanRunService runs, TimeProvider time, CancellationToken cancellationToken) =>
        ApiResults.Ok(await runs.GetAsync(http.GetCaller(), dataSourceName, scanName, runId, cancellationToken), v => ScanResultWithIngestion.From(v, time.GetUtcNow()));

    public static Task<Results<Accepted<OperationResponse>, ProblemHttpResult>> CancelRunWithSuffix(
        string dataSourceName, string scanName, string runIdAndAction, HttpContext http, ScanRunService runs, CancellationToken cancellationToken)
    {
        if (!runIdAndAction.EndsWith(CancelSuffix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult<Results<Accepted<OperationResponse>, ProblemHttpResult>>(
                ApiResults.Problem(Core.Common.Error.NotFound($"No action '{runIdAndAction}': POST .../runs/{{runId}}:cancel cancels a run.")));
        }

        return CancelRun(dataSourceName, scanName, runIdAndAction[..^CancelSuffix.Length], http, runs, cancellationToken);
    }

    public static async Task<Results<Accepted<OperationResponse>, ProblemHttpResult>> CancelRun(
        string dataSourceName, string scanName, string runId, HttpContext http, ScanRunService runs, CancellationToken cancellationToken)
    {
        var result = await runs.CancelAsync(http.GetCaller(), dataSourceName, scanName, runId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        SetOperationLocation(http, $"{RunPath(dataSourceName, scanName)}/{result.Value!.Id}");
        return TypedResults.Accepted((string?)null, OperationResponse.From(result.Value!));
    }

    public static async Task<Results<Ok<ListResponse<ScanResultWithIngestion>>, ProblemHttpResult>> ListRuns(
        string dataSourceName, string scanName, HttpContext http, ScanRunService runs, TimeProvider time, CancellationToken cancellationToken,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "$top")] int? top = null, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "$skipToken")] string? skipToken = null)
    {
        if (top is < 1 or > 1000)
        {
            return ApiResults.Validation("$top", "$top is between 1 and 1000.");
        }

        string? continuation = null;
        if (skipToken is not null)
        {
            try
            {
                continuation = Encoding.UTF8.GetString(Convert.FromBase64String(skipToken));
            }
            catch (FormatException)
            {
                continuation = null;
            }

            // Base64 skips white space, so a token of white space decodes to nothing: no token this service issues.
            if (string.IsNullOrWhiteSpace(continuation))
            {
                return ApiResults.Validation("$skipToken", "$skipToken is not one this service issued.");
            }
        }

        var result = await runs.ListAsync(http.GetCaller(), dataSourceName, scanName, top ?? DefaultTop, continuation, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        var now = time.GetUtcNow();
        var page = result.Value!;
        string? nextLink = null;
        if (page.ContinuationToken is { } token)
        {
            var request = http.Request;
            nextLink = string.Create(CultureInfo.InvariantCulture,
                $"{request.Scheme}://{request.Host}{RunPath(dataSourceName, scanName)}?api-version=2023-09-01&$top={top ?? DefaultTop}&$skipToken={Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(token)))}");
        }

        return TypedResults.Ok(ListResponse.Of(page.Runs, r => ScanResultWithIngestion.From(r, now), nextLink));
    }

    /// <summary>The exception log as CSV, streamed line by line from storage.</summary>
    public static async Task<IResult> DownloadExceptions(
        string dataSourceName, string scanName, string runId, HttpContext http, ScanRunService runs, CancellationToken cancellationToken)
    {
        var result = await runs.ExceptionsAsync(http.GetCaller(), dataSourceName, scanName, runId, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiResults.Problem(result.Error!);
        }

        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
            await writer.WriteAsync(ScanRunExceptionCsv.Header + ScanRunExceptionCsv.LineEnding);
            await foreach (var entry in result.Value!.WithCancellation(cancellationToken))
            {
                await writer.WriteAsync(ScanRunExceptionCsv.FormatRow(entry) + ScanRunExceptionCsv.LineEnding);
            }
        }, "text/csv; charset=utf-8", $"scanrun-{runId}-exceptions.csv");
    }

    /// <summary>
    /// The spec declares Operation-Location on the 202s of RunScan and CancelScan: where the client polls the run
    /// (an absolute URL, as long-running-operation clients expect).
    /// </summary>
    private static void SetOperationLocation(HttpContext http, string path)
    {
        var request = http.Request;
        http.Response.Headers["Operation-Location"] = $"{request.Scheme}://{request.Host}{request.PathBase}{path}?api-version=2023-09-01";
    }

    private static string RunPath(string dataSourceName, string scanName) =>
        $"/scan/datasources/{Uri.EscapeDataString(dataSourceName)}/scans/{Uri.EscapeDataString(scanName)}/runs";
}
