using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Api.Monitoring;
using Purview.Api.ScanRuns;
using Purview.Core.Monitoring;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Functions.ScanRuns;

/// <summary>
/// The HTTP functions of scan runs and monitoring: same methods and routes as the local host, each running the handler it
/// maps inside <see cref="HandlerPipeline"/> with the route group's policy.
/// Starting a run also starts its orchestration (instance id = run id); cancel wakes it up.
/// </summary>
public sealed class ScanRunFunctions(ScanRunService runs, MonitoringService monitoring, TimeProvider time)
{
    private const string Runs = "scan/datasources/{dataSourceName}/scans/{scanName}/runs";
    private const string Policy = AccessPolicies.DataSourceAdmin;

    [Function("RunScan")]
    public Task<IResult> RunScan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = Runs + "/{runId}")] HttpRequest request, string dataSourceName, string scanName, string runId,
        [DurableClient] DurableTaskClient client) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
        {
            var result = await ScanRunEndpoints.StartRun(dataSourceName, scanName, runId, request.HttpContext, runs, request.HttpContext.RequestAborted, request.Query["scanLevel"]);
            if (result.Result is Microsoft.AspNetCore.Http.HttpResults.Accepted<OperationResponse> accepted && accepted.Value is { } op)
            {
                await ScanRunOrchestration.EnsureStartedAsync(client, Guid.Parse(op.ScanResultId), request.HttpContext.RequestAborted);
            }

            return result;
        });

    [Function("GetScanRun")]
    public Task<IResult> GetScanRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Runs + "/{runId}")] HttpRequest request, string dataSourceName, string scanName, string runId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ScanRunEndpoints.GetRun(dataSourceName, scanName, runId, request.HttpContext, runs, time, request.HttpContext.RequestAborted));

    /// <summary>POST .../runs/{runId}:cancel (the run id and action share one route segment).</summary>
    [Function("CancelScanRun")]
    public Task<IResult> CancelScanRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Runs + "/{runIdAndAction}")] HttpRequest request, string dataSourceName, string scanName, string runIdAndAction,
        [DurableClient] DurableTaskClient client) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
        {
            var result = await ScanRunEndpoints.CancelRunWithSuffix(dataSourceName, scanName, runIdAndAction, request.HttpContext, runs, request.HttpContext.RequestAborted);
            await ScanRunOrchestration.SignalCancelAsync(client, runIdAndAction.Split(':')[0], request.HttpContext.RequestAborted);
            return result;
        });

    /// <summary>POST .../runs/{runId}/:cancel, as older clients send it.</summary>
    [Function("CancelScanRunLegacy")]
    public Task<IResult> CancelScanRunLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Runs + "/{runId}/:cancel")] HttpRequest request, string dataSourceName, string scanName, string runId,
        [DurableClient] DurableTaskClient client) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
        {
            var result = await ScanRunEndpoints.CancelRun(dataSourceName, scanName, runId, request.HttpContext, runs, request.HttpContext.RequestAborted);
            await ScanRunOrchestration.SignalCancelAsync(client, runId, request.HttpContext.RequestAborted);
            return result;
        });

    [Function("ListScanRuns")]
    public Task<IResult> ListScanRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Runs)] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
        {
            if (!TryInt(request, "$top", out var top))
            {
                return ApiResults.Validation("$top", "'$top' is a whole number.");
            }

            return await ScanRunEndpoints.ListRuns(dataSourceName, scanName, request.HttpContext, runs, time, request.HttpContext.RequestAborted, top, request.Query["$skipToken"]);
        });

    [Function("DownloadScanRunExceptions")]
    public Task<IResult> DownloadScanRunExceptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Runs + "/{runId}/exceptions")] HttpRequest request, string dataSourceName, string scanName, string runId) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await ScanRunEndpoints.DownloadExceptions(dataSourceName, scanName, runId, request.HttpContext, runs, request.HttpContext.RequestAborted));

    [Function("ScanRunSummary")]
    public Task<IResult> ScanRunSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/scanruns/summary")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await MonitoringEndpoints.Summary(request.HttpContext, monitoring, request.HttpContext.RequestAborted, request.Query["period"], request.Query["granularity"], request.Query["sourceType"]));

    [Function("ScanStatus")]
    public Task<IResult> ScanStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/scans")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await MonitoringEndpoints.Scans(request.HttpContext, monitoring, request.HttpContext.RequestAborted, request.Query["period"], request.Query["sourceType"]));

    [Function("DataSourceRuns")]
    public Task<IResult> DataSourceRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/datasources/{dataSourceName}/runs")] HttpRequest request, string dataSourceName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
        {
            if (!TryInt(request, "top", out var top))
            {
                return ApiResults.Validation("top", "'top' is a whole number.");
            }

            return await MonitoringEndpoints.DataSourceRuns(dataSourceName, request.HttpContext, runs, time, request.HttpContext.RequestAborted, request.Query["view"], top);
        });

    [Function("CollectionScans")]
    public Task<IResult> CollectionScans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/collections/{collectionName}/scans")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            await MonitoringEndpoints.CollectionScans(collectionName, request.HttpContext, monitoring, request.HttpContext.RequestAborted, request.Query["period"], request.Query["sourceType"]));

    /// <summary>An optional whole-number query parameter: false when present but not a number (the local host's binding answers 400 then too).</summary>
    private static bool TryInt(HttpRequest request, string name, out int? value)
    {
        value = null;
        var text = request.Query[name].ToString();
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
