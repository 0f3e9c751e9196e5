using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace Purview.Storage.Client;

/// <summary>
/// Logs every attempt through ILogger (method, path without SAS signature, status, elapsed, request ids).
/// Sits per retry, so each retried attempt shows up with its own status.
/// </summary>
internal sealed partial class LoggingPolicy(ILogger logger) : HttpPipelinePolicy
{
    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            if (async)
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            else
            {
                ProcessNext(message, pipeline);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !message.CancellationToken.IsCancellationRequested)
        {
            LogTransportFailure(logger, message.Request.Method.Method, message.Request.Uri.Path, Stopwatch.GetElapsedTime(start).TotalMilliseconds, ex.Message);
            throw;
        }

        var response = message.Response;
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        if (response.Status >= 500 || response.Status == 429)
        {
            LogRetryable(logger, message.Request.Method.Method, message.Request.Uri.Path, response.Status, elapsed, message.Request.ClientRequestId, requestId);
        }
        else if (logger.IsEnabled(LogLevel.Debug))
        {
            LogRequest(logger, message.Request.Method.Method, message.Request.Uri.Path, response.Status, elapsed, message.Request.ClientRequestId, requestId);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Storage {Method} {Path} -> {Status} in {ElapsedMs:F1} ms (client request {ClientRequestId}, request {RequestId})")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs, string clientRequestId, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Method} {Path} -> {Status} in {ElapsedMs:F1} ms (client request {ClientRequestId}, request {RequestId}); will retry if attempts remain")]
    private static partial void LogRetryable(ILogger logger, string method, string path, int status, double elapsedMs, string clientRequestId, string? requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage {Method} {Path} failed without a response after {ElapsedMs:F1} ms: {Reason}")]
    private static partial void LogTransportFailure(ILogger logger, string method, string path, double elapsedMs, string reason);
}
