using System.Net.Http;
using System.Text.Json;
using System.Xml;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Purview.Storage.Client;

/// <summary>
/// One Azure.Core pipeline per service (retries with backoff, client request ids, auth, logging) and the
/// single place where failed responses become <see cref="StorageException"/>.
/// </summary>
public sealed class StoragePipeline
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

    private readonly string _version;

    private StoragePipeline(StorageAccount account, StorageService service, HttpPipeline pipeline, string version)
    {
        Account = account;
        Service = service;
        Pipeline = pipeline;
        _version = version;
    }

    public StorageAccount Account { get; }
    public StorageService Service { get; }
    public HttpPipeline Pipeline { get; }

    public Uri Endpoint => Service switch
    {
        StorageService.Blob => Account.BlobEndpoint,
        StorageService.Queue => Account.QueueEndpoint,
        _ => Account.TableEndpoint,
    };

    public static StoragePipeline Create(StorageAccount account, StorageService service, StorageClientOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        options ??= new StorageClientOptions();
        if (options.HttpClient is { } own)
        {
            options.Transport = new HttpClientTransport(own);
        }
        else if (options.Transport is null || options.Transport.GetType().Name == "HttpClientTransport")
        {
            options.Transport = new HttpClientTransport(SharedHttpClient);
        }

        var perRetry = new List<HttpPipelinePolicy>();
        if (account.SharedKey is { } key)
        {
            perRetry.Add(new SharedKeyPolicy(account.Name, key, service));
        }
        else if (account.TokenCredential is { } credential)
        {
            perRetry.Add(new BearerTokenAuthenticationPolicy(credential, "https://storage.azure.com/.default"));
        }
        else if (account.SasToken is { } sas)
        {
            perRetry.Add(new SasQueryPolicy(sas));
        }

        perRetry.Add(new LoggingPolicy(logger ?? NullLogger.Instance));
        perRetry.Add(new AttemptMetricsPolicy(service));
        var pipeline = HttpPipelineBuilder.Build(options, [new RequestActivityPolicy(service)], perRetry.ToArray(), new StorageResponseClassifier());
        var version = service == StorageService.Table ? options.TableServiceVersion : options.BlobQueueServiceVersion;
        return new StoragePipeline(account, service, pipeline, version);
    }

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("x-ms-version", _version);
        return message;
    }

    /// <summary>Sends the message; a failed response or a transport failure after retries throws <see cref="StorageException"/>.</summary>
    public async ValueTask<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            throw new StorageException(ex.Status, ex.ErrorCode ?? "TransportError", null, ex.Message, inner: ex);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is RequestFailedException or OperationCanceledException))
        {
            // Azure.Core's retry policy aggregates the transport failures of every attempt.
            var last = ex.InnerExceptions[^1];
            throw new StorageException(0, "TransportError", null,
                $"{message.Request.Uri.Host}:{message.Request.Uri.Port} did not answer after {ex.InnerExceptions.Count} attempts: {last.Message}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StorageException(0, "Timeout", null, "The storage request timed out after all retries.", inner: ex);
        }

        var response = message.Response;
        if (response.IsError)
        {
            throw await CreateExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    internal static async ValueTask<StorageException> CreateExceptionAsync(Response response, CancellationToken cancellationToken)
    {
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        var body = string.Empty;
        if (response.ContentStream is { } stream)
        {
            using var reader = new StreamReader(stream);
            body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }

        var (parsedCode, message) = ParseErrorBody(body);
        return new StorageException(response.Status, parsedCode ?? code, requestId,
            message ?? (string.IsNullOrEmpty(response.ReasonPhrase) ? $"HTTP {response.Status}" : response.ReasonPhrase));
    }

    /// <summary>Reads the code and message of a Table (JSON odata.error) or Blob/Queue (XML Error) error body.</summary>
    internal static (string? Code, string? Message) ParseErrorBody(string body)
    {
        var trimmed = body.AsSpan().TrimStart();
        if (trimmed.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            if (trimmed[0] == '{')
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("odata.error", out var error) || doc.RootElement.TryGetProperty("error", out error))
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    string? message = null;
                    if (error.TryGetProperty("message", out var m))
                    {
                        message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                    }

                    return (code, message);
                }
            }
            else if (trimmed[0] == '<')
            {
                var xml = new XmlDocument { XmlResolver = null };
                using var sr = new StringReader(body);
                using var xr = XmlReader.Create(sr, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
                xml.Load(xr);
                var code = xml.SelectSingleNode("/Error/Code")?.InnerText;
                var message = xml.SelectSingleNode("/Error/Message")?.InnerText;
                return (code, message?.Split('\n')[0]);
            }
        }
        catch (Exception ex) when (ex is JsonException or XmlException)
        {
            // Not a storage error body (a proxy page, say): keep the raw text as the message.
        }

        return (null, body.Length > 500 ? body[..500] : body);
    }

    private sealed class StorageResponseClassifier : ResponseClassifier
    {
        public override bool IsRetriableResponse(HttpMessage message) =>
            message.Response.Status is 408 or 429 or 500 or 502 or 503 or 504;
    }
}
