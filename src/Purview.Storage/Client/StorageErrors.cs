using System.Diagnostics.CodeAnalysis;
using System.Xml;

namespace Purview.Storage.Client;

/// <summary>
/// The one mapping from what the official SDKs throw to the <see cref="StorageException"/> callers see: the status,
/// the storage error code, the service's own message, its request id and, for a transaction, the failed operation.
/// Adapters call it as <c>catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error)) { throw error; }</c>.
/// </summary>
internal static class StorageErrors
{
    /// <summary>Runs one SDK call, failures mapped: for the Blob and Queue SDK types, which callers use directly.</summary>
    public static async Task<T> Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <inheritdoc cref="Run{T}(Func{CancellationToken, Task{T}}, CancellationToken)"/>
    public static async Task Run(Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    public static bool TryMap(Exception exception, CancellationToken cancellationToken, [NotNullWhen(true)] out StorageException? mapped)
    {
        mapped = exception switch
        {
            StorageException => null,
            TableTransactionFailedException failed => FromResponse(failed, failed.FailedTransactionActionIndex),
            RequestFailedException { Status: > 0 } failed => FromResponse(failed, null),
            RequestFailedException transport => new StorageException(0, "TransportError", null, transport.Message, inner: transport),
            // Azure.Core's retry policy aggregates the transport failures of every attempt.
            AggregateException all when all.InnerExceptions.All(e => e is RequestFailedException or OperationCanceledException or HttpRequestException) =>
                new StorageException(0, "TransportError", null,
                    $"storage did not answer after {all.InnerExceptions.Count} attempts: {all.InnerExceptions[^1].Message}", inner: all),
            OperationCanceledException timeout when !cancellationToken.IsCancellationRequested =>
                new StorageException(0, "Timeout", null, "The storage request timed out after all retries.", inner: timeout),
            _ => null,
        };
        return mapped is not null;
    }

    private static StorageException FromResponse(RequestFailedException failed, int? failedIndex)
    {
        var response = failed.GetRawResponse();
        string? requestId = null;
        response?.Headers.TryGetValue("x-ms-request-id", out requestId);
        var (code, message) = response?.Content is { } content ? ParseErrorBody(content.ToString()) : (null, null);
        return new StorageException(failed.Status, failed.ErrorCode ?? code, requestId,
            message ?? (string.IsNullOrEmpty(response?.ReasonPhrase) ? $"HTTP {failed.Status}" : response.ReasonPhrase), failedIndex, failed);
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

                    return (code, message?.Split('\n')[0]);
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
                if (code is not null || message is not null)
                {
                    return (code, message?.Split('\n')[0]);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or XmlException)
        {
            // Not a storage error body (a proxy page, say): keep the raw text as the message.
        }

        return (null, body.Length > 500 ? body[..500] : body);
    }
}
