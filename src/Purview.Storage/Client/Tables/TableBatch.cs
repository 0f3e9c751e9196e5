using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;

namespace Purview.Storage.Client.Tables;

/// <summary>
/// The OData $batch wire format for entity-group transactions: a multipart/mixed body holding one changeset,
/// and the parsing of the multipart response (which is 202 even when an operation failed).
/// </summary>
internal static class TableBatch
{
    public static void Validate(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > TableConstants.MaxTransactionOperations)
        {
            throw new ArgumentException(
                $"A transaction holds 1 to {TableConstants.MaxTransactionOperations} operations, not {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0]?.Entity?.PartitionKey;
        var rowKeys = new HashSet<string>(actions.Count, StringComparer.Ordinal);
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i] ?? throw new ArgumentException($"Operation {i} is null.", nameof(actions));
            if (action.Entity is null)
            {
                throw new ArgumentException($"Operation {i} has no entity.", nameof(actions));
            }

            if (!Enum.IsDefined(action.ActionType))
            {
                throw new ArgumentException($"Operation {i} has an unknown type {action.ActionType}.", nameof(actions));
            }

            TableValidation.ValidateEntityKeys(action.Entity);
            if (!string.Equals(action.Entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"All operations of a transaction share one PartitionKey: operation {i} has '{action.Entity.PartitionKey}', operation 0 has '{partitionKey}'.", nameof(actions));
            }

            if (!rowKeys.Add(action.Entity.RowKey))
            {
                throw new ArgumentException($"Operation {i} repeats RowKey '{action.Entity.RowKey}': a transaction touches each entity once.", nameof(actions));
            }
        }
    }

    /// <summary>Writes the request body; returns it with the batch boundary for the Content-Type header.</summary>
    public static (ReadOnlyMemory<byte> Body, string Boundary) Build(string tableUrl, IReadOnlyList<TableTransactionAction> actions)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        var buffer = new ArrayBufferWriter<byte>(1024 + (actions.Count * 512));
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });

        Ascii(buffer, $"--{batch}\r\nContent-Type: multipart/mixed; boundary={changeset}\r\n\r\n");
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var entity = action.Entity;
            var (method, withKeys, ifMatch) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", false, (string?)null),
                TableTransactionActionType.UpsertMerge => ("MERGE", true, null),
                TableTransactionActionType.UpsertReplace => ("PUT", true, null),
                TableTransactionActionType.UpdateMerge => ("MERGE", true, IfMatch(action.ETag)),
                TableTransactionActionType.UpdateReplace => ("PUT", true, IfMatch(action.ETag)),
                _ => ("DELETE", true, IfMatch(action.ETag)),
            };
            var url = withKeys ? tableUrl + TableClient.KeyPredicate(entity.PartitionKey, entity.RowKey) : tableUrl;
            var sb = new StringBuilder(384);
            sb.Append("--").Append(changeset).Append("\r\n")
              .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
              .Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n")
              .Append("Accept: ").Append(TableConstants.AcceptMinimalMetadata).Append("\r\n")
              .Append("DataServiceVersion: 3.0\r\n")
              // Content-IDs are 1-based by convention (and Azurite numbers its responses that way whatever we send).
              .Append("Content-ID: ").Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            if (ifMatch is not null)
            {
                sb.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                sb.Append("\r\n");
                Utf8(buffer, sb.ToString());
                continue;
            }

            sb.Append("Content-Type: application/json\r\n");
            if (action.ActionType == TableTransactionActionType.Add)
            {
                sb.Append("Prefer: return-no-content\r\n");
            }

            sb.Append("\r\n");
            Utf8(buffer, sb.ToString());
            json.Reset(buffer);
            TableEntityJson.Write(json, entity);
            json.Flush();
            Ascii(buffer, "\r\n");
        }

        Ascii(buffer, $"--{changeset}--\r\n--{batch}--\r\n");
        return (buffer.WrittenMemory, batch);
    }

    private static string IfMatch(ETag etag) => etag == default ? "*" : etag.ToString();

    private static void Ascii(ArrayBufferWriter<byte> buffer, string text) => Utf8(buffer, text);

    private static void Utf8(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    /// <summary>One HTTP response inside the changeset.</summary>
    public sealed record Part(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>
    /// The per-operation ETags of a committed transaction, or the failing operation as a <see cref="StorageException"/>
    /// (the service answers 202 either way; the failure is inside the multipart body).
    /// </summary>
    public static ETag[] ReadResult(string contentType, string body, int operationCount, string? requestId)
    {
        var parts = Parse(contentType, body);
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.Status is >= 200 and < 300)
            {
                continue;
            }

            var (code, serviceMessage) = StoragePipeline.ParseErrorBody(part.Body);
            var index = FailedIndex(part, serviceMessage, i, parts.Count, operationCount);
            var text = serviceMessage is null ? $"HTTP {part.Status}" : StripIndex(serviceMessage).Split('\n')[0].Trim();
            throw new StorageException(part.Status, code, requestId, text, index);
        }

        if (parts.Count != operationCount)
        {
            throw new StorageException(202, "InvalidBatchResponse", requestId,
                $"The transaction response has {parts.Count} operation results for {operationCount} operations.");
        }

        var etags = new ETag[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            etags[i] = parts[i].Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default;
        }

        return etags;
    }

    /// <summary>Splits a multipart/mixed batch response into the changeset's HTTP responses, in order.</summary>
    public static List<Part> Parse(string contentType, string body)
    {
        var parts = new List<Part>();
        var boundary = BoundaryOf(contentType) ?? throw new FormatException($"The batch response has no multipart boundary ({contentType}).");
        foreach (var section in Sections(body, boundary))
        {
            var (headers, content) = SplitHeaders(section);
            if (headers.TryGetValue("Content-Type", out var innerType) && innerType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                var inner = BoundaryOf(innerType) ?? throw new FormatException("The changeset response has no boundary.");
                foreach (var change in Sections(content, inner))
                {
                    if (ParseHttp(change) is { } part)
                    {
                        parts.Add(part);
                    }
                }
            }
            else if (ParseHttp(section) is { } single)
            {
                // A failure outside the changeset (a malformed request) comes back as a bare HTTP response.
                parts.Add(single);
            }
        }

        return parts;
    }

    private static Part? ParseHttp(string section)
    {
        var start = section.IndexOf("HTTP/1.1 ", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var response = section[start..];
        var lineEnd = response.IndexOf('\n', StringComparison.Ordinal);
        var statusLine = (lineEnd < 0 ? response : response[..lineEnd]).TrimEnd('\r');
        var status = int.Parse(statusLine.AsSpan(9, 3), CultureInfo.InvariantCulture);
        var (headers, body) = SplitHeaders(lineEnd < 0 ? string.Empty : response[(lineEnd + 1)..]);
        return new Part(status, headers, body.Trim());
    }

    private static (Dictionary<string, string> Headers, string Body) SplitHeaders(string text)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var position = 0;
        while (position < text.Length)
        {
            var end = text.IndexOf('\n', position);
            if (end < 0)
            {
                end = text.Length;
            }

            var line = text.AsSpan(position, end - position).TrimEnd('\r');
            position = end + 1;
            if (line.IsEmpty)
            {
                if (headers.Count == 0)
                {
                    continue; // leading blank lines after a boundary
                }

                break;
            }

            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToString()] = line[(colon + 1)..].Trim().ToString();
            }
        }

        return (headers, position < text.Length ? text[position..] : string.Empty);
    }

    private static IEnumerable<string> Sections(string body, string boundary)
    {
        var delimiter = "--" + boundary;
        var pieces = body.Split(delimiter, StringSplitOptions.None);
        // pieces[0] is the preamble; a piece starting with "--" follows the closing delimiter.
        for (var i = 1; i < pieces.Length; i++)
        {
            if (pieces[i].StartsWith("--", StringComparison.Ordinal))
            {
                yield break;
            }

            yield return pieces[i];
        }
    }

    private static string? BoundaryOf(string contentType)
    {
        foreach (var parameter in contentType.Split(';', StringSplitOptions.TrimEntries))
        {
            if (parameter.StartsWith("boundary=", StringComparison.OrdinalIgnoreCase))
            {
                return parameter["boundary=".Length..].Trim('"');
            }
        }

        return null;
    }

    /// <summary>
    /// The failed operation's index: Azure prefixes the error message with "N:"; failing that, the echoed Content-ID;
    /// failing that, the part's position when the response has one part per operation. Content-IDs are 1-based.
    /// </summary>
    public static int? FailedIndex(Part failed, string? message, int position, int partCount, int operationCount)
    {
        if (message is not null)
        {
            var colon = message.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && int.TryParse(message.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var fromMessage)
                && fromMessage < operationCount)
            {
                return fromMessage;
            }
        }

        if (failed.Headers.TryGetValue("Content-ID", out var contentId)
            && int.TryParse(contentId, NumberStyles.None, CultureInfo.InvariantCulture, out var fromId) && fromId >= 1 && fromId <= operationCount)
        {
            return fromId - 1;
        }

        return partCount == operationCount ? position : null;
    }

    /// <summary>The message without the "N:" prefix.</summary>
    public static string StripIndex(string message)
    {
        var colon = message.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && !message.AsSpan(0, colon).ContainsAnyExceptInRange('0', '9') ? message[(colon + 1)..] : message;
    }
}
