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

    public static TableServiceClient Tables(StorageAccount account, StorageClientOptions options, ILogger? logger = null) =>
        Create(account, a => a.TableEndpoint, Configure(new TableClientOptions(), options, StorageService.Table, logger),
            (endpoint, name, key, sdk) => new TableServiceClient(endpoint, new TableSharedKeyCredential(name, key), sdk),
            (endpoint, token, sdk) => new TableServiceClient(endpoint, token, sdk),
            (endpoint, sas, sdk) => new TableServiceClient(endpoint, sas, sdk));

    public static BlobServiceClient Blobs(StorageAccount account, StorageClientOptions options, ILogger? logger = null) =>
        Blobs(account, account.BlobEndpoint, options, logger);

    /// <summary>The Blob service at <paramref name="endpoint"/> with this account's credential (a scan's registered account).</summary>
    public static BlobServiceClient Blobs(StorageAccount account, Uri endpoint, StorageClientOptions options, ILogger? logger = null) =>
        Create(account, _ => endpoint, Configure(new BlobClientOptions(), options, StorageService.Blob, logger),
            (uri, name, key, sdk) => new BlobServiceClient(uri, new StorageSharedKeyCredential(name, key), sdk),
            (uri, token, sdk) => new BlobServiceClient(uri, token, sdk),
            (uri, sas, sdk) => new BlobServiceClient(uri, sas, sdk));

    public static QueueServiceClient Queues(StorageAccount account, StorageClientOptions options, ILogger? logger = null) =>
        Create(account, a => a.QueueEndpoint, Configure(new QueueClientOptions(), options, StorageService.Queue, logger),
            (endpoint, name, key, sdk) => new QueueServiceClient(endpoint, new StorageSharedKeyCredential(name, key), sdk),
            (endpoint, token, sdk) => new QueueServiceClient(endpoint, token, sdk),
            (endpoint, sas, sdk) => new QueueServiceClient(endpoint, sas, sdk));

    /// <summary>
    /// A service client at the account's (trimmed) endpoint with our configured options and the account's one
    /// credential, handed to the constructor of its kind: the shared key (account name and base64 key, which each
    /// service wraps in its own key credential type), else the Entra ID token credential, else the SAS.
    /// </summary>
    private static TClient Create<TClient, TOptions>(
        StorageAccount account,
        Func<StorageAccount, Uri> endpointOf,
        TOptions sdk,
        Func<Uri, string, string, TOptions, TClient> sharedKey,
        Func<Uri, TokenCredential, TOptions, TClient> token,
        Func<Uri, AzureSasCredential, TOptions, TClient> sas)
    {
        ArgumentNullException.ThrowIfNull(account);
        var endpoint = Trimmed(endpointOf(account));
        return account switch
        {
            { SharedKey: { } key } => sharedKey(endpoint, account.Name, Convert.ToBase64String(key), sdk),
            { TokenCredential: { } credential } => token(endpoint, credential, sdk),
            _ => sas(endpoint, new AzureSasCredential(account.SasToken!), sdk),
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
