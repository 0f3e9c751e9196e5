using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Purview.Storage.Client;

/// <summary>
/// The one place the official SDK clients are made: the account's credential (Shared Key, SAS or Entra ID token) and
/// our pipeline settings (retries, timeouts, the shared HTTP client, the logging, tracing and metrics policies) applied
/// the same way to the Table, Blob and Queue services.
/// </summary>
public static class StorageClients
{
    private static readonly HttpClient SharedHttpClient = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 256,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static TableServiceClient Tables(StorageAccount account, StorageClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var sdk = Configure(new TableClientOptions(), options, StorageService.Table, logger);
        return account switch
        {
            { SharedKey: { } key } => new TableServiceClient(Trimmed(account.TableEndpoint), new TableSharedKeyCredential(account.Name, Convert.ToBase64String(key)), sdk),
            { TokenCredential: { } token } => new TableServiceClient(Trimmed(account.TableEndpoint), token, sdk),
            _ => new TableServiceClient(Trimmed(account.TableEndpoint), new AzureSasCredential(account.SasToken!), sdk),
        };
    }

    public static BlobServiceClient Blobs(StorageAccount account, StorageClientOptions options, ILogger? logger = null) =>
        Blobs(account, account.BlobEndpoint, options, logger);

    /// <summary>The Blob service at <paramref name="endpoint"/> with this account's credential (a scan's registered account).</summary>
    public static BlobServiceClient Blobs(StorageAccount account, Uri endpoint, StorageClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var sdk = Configure(new BlobClientOptions(), options, StorageService.Blob, logger);
        return account switch
        {
            { SharedKey: { } key } => new BlobServiceClient(Trimmed(endpoint), new StorageSharedKeyCredential(account.Name, Convert.ToBase64String(key)), sdk),
            { TokenCredential: { } token } => new BlobServiceClient(Trimmed(endpoint), token, sdk),
            _ => new BlobServiceClient(Trimmed(endpoint), new AzureSasCredential(account.SasToken!), sdk),
        };
    }

    public static QueueServiceClient Queues(StorageAccount account, StorageClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var sdk = Configure(new QueueClientOptions(), options, StorageService.Queue, logger);
        return account switch
        {
            { SharedKey: { } key } => new QueueServiceClient(Trimmed(account.QueueEndpoint), new StorageSharedKeyCredential(account.Name, Convert.ToBase64String(key)), sdk),
            { TokenCredential: { } token } => new QueueServiceClient(Trimmed(account.QueueEndpoint), token, sdk),
            _ => new QueueServiceClient(Trimmed(account.QueueEndpoint), new AzureSasCredential(account.SasToken!), sdk),
        };
    }

    /// <summary>The SDKs append paths to the endpoint as given: a trailing slash would address "account//Tables".</summary>
    private static Uri Trimmed(Uri endpoint) =>
        endpoint.AbsolutePath.Length > 1 && endpoint.AbsoluteUri.EndsWith('/') ? new Uri(endpoint.AbsoluteUri.TrimEnd('/')) : endpoint;

    private static T Configure<T>(T sdk, StorageClientOptions options, StorageService service, ILogger? logger)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        sdk.Retry.Mode = options.Retry.Mode;
        sdk.Retry.MaxRetries = options.Retry.MaxRetries;
        sdk.Retry.Delay = options.Retry.Delay;
        sdk.Retry.MaxDelay = options.Retry.MaxDelay;
        sdk.Retry.NetworkTimeout = options.Retry.NetworkTimeout;
        sdk.Transport = new HttpClientTransport(options.HttpClient ?? SharedHttpClient);
        // Azure.Core's EventSource logging is off: our own policy logs each attempt through ILogger.
        sdk.Diagnostics.IsLoggingEnabled = false;
        sdk.Diagnostics.IsTelemetryEnabled = false;
        sdk.Diagnostics.IsDistributedTracingEnabled = false;
        sdk.AddPolicy(new RequestActivityPolicy(service), HttpPipelinePosition.PerCall);
        sdk.AddPolicy(new LoggingPolicy(logger ?? NullLogger.Instance), HttpPipelinePosition.PerRetry);
        sdk.AddPolicy(new AttemptMetricsPolicy(service), HttpPipelinePosition.PerRetry);
        foreach (var (policy, position) in options.Policies)
        {
            sdk.AddPolicy(policy, position);
        }
        return sdk;
    }
}
