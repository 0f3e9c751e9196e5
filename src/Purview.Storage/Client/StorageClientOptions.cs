using Azure.Core;
using Azure.Core.Pipeline;

namespace Purview.Storage.Client;

/// <summary>Pipeline options for the storage clients: retries with exponential backoff, timeouts, service versions.</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 5;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(8);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
        // Azure.Core's EventSource logging is off: our own policy logs through ILogger.
        Diagnostics.IsLoggingEnabled = false;
        Diagnostics.IsDistributedTracingEnabled = false;
        Diagnostics.IsTelemetryEnabled = false;
    }

    /// <summary>The HTTP client requests go through (the scanners' guarded one); null: the shared pooled client.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>
    /// Policies added to every SDK client's pipeline (a request counter, say). <c>AddPolicy</c> of the base class does not
    /// reach the SDK clients: each is built with its own options by <see cref="StorageClients"/>.
    /// </summary>
    public IList<(HttpPipelinePolicy Policy, HttpPipelinePosition Position)> Policies { get; } = [];

}
