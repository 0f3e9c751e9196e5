using Microsoft.DurableTask.Client;
using Purview.Functions.Http;
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
        HandlerPipeline.RunAsync(request, Policy, async ct =>
        {
            var result = await ScanRunEndpoints.StartRun(dataSourceName, scanName, runId, request.HttpContext, runs, ct, request.Query["scanLevel"]);
            if (result.Result is Microsoft.AspNetCore.Http.HttpResults.Accepted<OperationResponse> accepted && accepted.Value is { } op)
            {
                await ScanRunOrchestration.EnsureStartedAsync(client, Guid.Parse(op.ScanResultId), ct);
            }

            return result;
        });

    [Function("GetScanRun")]
    public Task<IResult> GetScanRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Runs + "/{runId}")] HttpRequest request, string dataSourceName, string scanName, string runId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ScanRunEndpoints.GetRun(dataSourceName, scanName, runId, request.HttpContext, runs, time, ct));

    /// <summary>POST .../runs/{runId}:cancel (the run id and action share one route segment).</summary>
    [Function("CancelScanRun")]
    public Task<IResult> CancelScanRun(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Runs + "/{runIdAndAction}")] HttpRequest request, string dataSourceName, string scanName, string runIdAndAction,
        [DurableClient] DurableTaskClient client) =>
        CancelAsync(request, client, runIdAndAction.Split(':')[0], ct => ScanRunEndpoints.CancelRunWithSuffix(dataSourceName, scanName, runIdAndAction, request.HttpContext, runs, ct));

    /// <summary>POST .../runs/{runId}/:cancel, as older clients send it.</summary>
    [Function("CancelScanRunLegacy")]
    public Task<IResult> CancelScanRunLegacy(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = Runs + "/{runId}/:cancel")] HttpRequest request, string dataSourceName, string scanName, string runId,
        [DurableClient] DurableTaskClient client) =>
        CancelAsync(request, client, runId, ct => ScanRunEndpoints.CancelRun(dataSourceName, scanName, runId, request.HttpContext, runs, ct));

    [Function("ListScanRuns")]
    public Task<IResult> ListScanRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Runs)] HttpRequest request, string dataSourceName, string scanName) =>
        HandlerPipeline.RunAsync(request, Policy, async ct =>
            FunctionQuery.NotWholeNumber(request, "$top")
                ?? await ScanRunEndpoints.ListRuns(dataSourceName, scanName, request.HttpContext, runs, time, ct, FunctionQuery.WholeNumber(request, "$top"), request.Query["$skipToken"]));

    [Function("DownloadScanRunExceptions")]
    public Task<IResult> DownloadScanRunExceptions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Runs + "/{runId}/exceptions")] HttpRequest request, string dataSourceName, string scanName, string runId) =>
        HandlerPipeline.RunAsync(request, Policy, ct => ScanRunEndpoints.DownloadExceptions(dataSourceName, scanName, runId, request.HttpContext, runs, ct));

    [Function("ScanRunSummary")]
    public Task<IResult> ScanRunSummary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/scanruns/summary")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, ct =>
            MonitoringEndpoints.Summary(request.HttpContext, monitoring, ct, request.Query["period"], request.Query["granularity"], request.Query["sourceType"]));

    [Function("ScanStatus")]
    public Task<IResult> ScanStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/scans")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, Policy, ct => MonitoringEndpoints.Scans(request.HttpContext, monitoring, ct, request.Query["period"], request.Query["sourceType"]));

    [Function("DataSourceRuns")]
    public Task<IResult> DataSourceRuns(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/datasources/{dataSourceName}/runs")] HttpRequest request, string dataSourceName) =>
        HandlerPipeline.RunAsync(request, Policy, async ct =>
            FunctionQuery.NotWholeNumber(request, "top")
                ?? await MonitoringEndpoints.DataSourceRuns(dataSourceName, request.HttpContext, runs, time, ct, request.Query["view"], FunctionQuery.WholeNumber(request, "top")));

    [Function("CollectionScans")]
    public Task<IResult> CollectionScans(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "monitoring/collections/{collectionName}/scans")] HttpRequest request, string collectionName) =>
        HandlerPipeline.RunAsync(request, Policy, ct =>
            MonitoringEndpoints.CollectionScans(collectionName, request.HttpContext, monitoring, ct, request.Query["period"], request.Query["sourceType"]));

    /// <summary>Cancels through the handler, then wakes the run's orchestration so that it sees the cancel at once.</summary>
    private static Task<IResult> CancelAsync<TResult>(HttpRequest request, DurableTaskClient client, string runId, Func<CancellationToken, Task<TResult>> cancel)
        where TResult : IResult =>
        HandlerPipeline.RunAsync(request, Policy, async ct =>
        {
            var result = await cancel(ct);
            await ScanRunOrchestration.SignalCancelAsync(client, runId, ct);
            return result;
        });
}
