using System.Diagnostics;
using Azure.Core;
using Azure.Core.Pipeline;
using Purview.Core.Telemetry;

namespace Purview.Storage.Client;

/// <summary>
/// One client activity per storage request (retries included), from the "Purview.Monitor" source: the official Azure
/// SDKs that replace this client emit the same through their "Azure.*" sources, which the hosts also listen to.
/// The path is recorded without its query (SAS signatures never reach a trace).
/// </summary>
internal sealed class RequestActivityPolicy(StorageService service) : HttpPipelinePolicy
{
    private readonly string _service = service.ToString().ToLowerInvariant();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        using var activity = PurviewTelemetry.Source.StartActivity("storage " + _service + " " + message.Request.Method.Method, ActivityKind.Client);
        if (activity is null)
        {
            if (async)
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            else
            {
                ProcessNext(message, pipeline);
            }

            return;
        }

        var uri = message.Request.Uri;
        activity.SetTag("http.request.method", message.Request.Method.Method);
        activity.SetTag("server.address", uri.Host);
        activity.SetTag("server.port", uri.Port);
        activity.SetTag("url.path", uri.Path);
        activity.SetTag("purview.storage.service", _service);
        activity.SetTag("az.client_request_id", message.Request.ClientRequestId);
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
        catch (Exception ex)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            activity.SetTag("purview.storage.attempts", message.ProcessingContext.RetryNumber + 1);
            throw;
        }

        activity.SetTag("http.response.status_code", message.Response.Status);
        activity.SetTag("purview.storage.attempts", message.ProcessingContext.RetryNumber + 1);
        if (message.Response.Status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}

/// <summary>Counts every attempt (per retry): requests by status, retries, and answers that ask the client to slow down.</summary>
internal sealed class AttemptMetricsPolicy(StorageService service) : HttpPipelinePolicy
{
    private readonly KeyValuePair<string, object?> _service = new("service", service.ToString().ToLowerInvariant());

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline, async: true);

    private async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
    {
        if (message.ProcessingContext.RetryNumber > 0)
        {
            PurviewTelemetry.StorageRetries.Add(1, _service);
        }

        var status = 0;
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

            status = message.Response.Status;
        }
        finally
        {
            PurviewTelemetry.StorageRequests.Add(1, _service, new("status", status));
            if (status is 429 or 503)
            {
                PurviewTelemetry.StorageThrottled.Add(1, _service);
            }
        }
    }
}
