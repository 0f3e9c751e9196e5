using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Purview.Core.Common;

namespace Purview.Core.Connectors;

/// <summary>
/// Reads an import body <c>{"importId"?, "items": [...]}</c> item by item from a stream (never the whole body at
/// once): a buffer of at most <see cref="MaxItemBytes"/> per item, strict JSON (unknown fields, wrong types and
/// missing members are errors naming the field, e.g. <c>items[3].sizeBytes</c>).
/// </summary>
public static partial class ImportBodyReader
{
    public const int MaxItemBytes = 1024 * 1024;

    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = 32,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowTrailingCommas = false,
        AllowDuplicateProperties = false,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private enum Stage
    {
        Start,
        InRoot,
        InItems,
        Done,
    }

    private sealed record AttachmentDto(string Name, long SizeBytes);

    private sealed record ItemDto(string ItemId, string Sender, IReadOnlyList<string> Recipients, long SizeBytes, DateTimeOffset Timestamp, IReadOnlyList<AttachmentDto>? Attachments = null);

    /// <summary>Calls <paramref name="onItem"/> with each valid item and its index; stops at the first invalid one.</summary>
    public static async Task<Result<(string? ImportId, long Count)>> ReadAsync(Stream body, Func<long, ImportItem, Task> onItem, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(onItem);
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var final = false;
        var parser = new Parser { State = new JsonReaderState(new JsonReaderOptions { MaxDepth = 32 }) };
        var batch = new List<ImportItem>();
        while (true)
        {
            if (!final)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length >= MaxItemBytes)
                    {
                        return Error.Validation($"items[{parser.Index}]", $"An item is at most {MaxItemBytes} bytes of JSON.");
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                filled += read;
                final = read == 0;
            }

            batch.Clear();
            var consumed = parser.Parse(buffer.AsSpan(0, filled), final, batch);
            var firstIndex = parser.Index - batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                await onItem(firstIndex + i, batch[i]);
            }

            if (parser.Error is { } error)
            {
                return error;
            }

            Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
            filled -= consumed;
            if (parser.Stage == Stage.Done && final)
            {
                return parser.ItemsSeen
                    ? (parser.ImportId, parser.Index)
                    : Error.Validation("items", "'items' is required: an array of items.");
            }

            if (final && consumed == 0 && parser.Stage != Stage.Done)
            {
                return Error.Validation("body", "The body ends before the JSON object is complete.");
            }
        }
    }

    private sealed class Parser
    {
        public JsonReaderState State;
        public Stage Stage;
        public long Index;
        public string? ImportId;
        public bool ItemsSeen;
        public Error? Error;

        /// <summary>Parses what the span holds; returns the bytes consumed (up to the last complete token or item).</summary>
        public int Parse(ReadOnlySpan<byte> data, bool final, List<ImportItem> items)
        {
            var reader = new Utf8JsonReader(data, final, State);
            var consumed = 0;
            try
            {
                while (Error is null)
                {
                    var checkpoint = reader.CurrentState;
                    var before = (int)reader.BytesConsumed;
                    if (!reader.Read())
                    {
                        break;
                    }

                    switch (Stage)
                    {
                        case Stage.Start:
                            if (reader.TokenType != JsonTokenType.StartObject)
                            {
                                Error = Error.Validation("body", "The body is a JSON object {\"importId\"?, \"items\": [...]}.");
                                return consumed;
                            }

                            Stage = Stage.InRoot;
                            break;
                        case Stage.InRoot when reader.TokenType == JsonTokenType.EndObject:
                            Stage = Stage.Done;
                            break;
                        case Stage.InRoot:
                            var name = reader.GetString()!;
                            if (name is not ("importId" or "items"))
                            {
                                Error = Error.Validation(name, $"'{name}' is not a field of an import: use importId and items.");
                                return consumed;
                            }

                            if (!reader.Read())
                            {
                                State = checkpoint;
                                return before;
                            }

                            if (name == "importId")
                            {
                                if (reader.TokenType != JsonTokenType.String && reader.TokenType != JsonTokenType.Null)
                                {
                                    Error = Error.Validation("importId", "'importId' is a string.");
                                    return consumed;
                                }

                                ImportId = reader.GetString();
                                if (ConnectorRules.ValidateImportId(ImportId) is { } invalid)
                                {
                                    Error = Error.Validation([invalid]);
                                    return consumed;
                                }
                            }
                            else
                            {
                                if (reader.TokenType != JsonTokenType.StartArray || ItemsSeen)
                                {
                                    Error = Error.Validation("items", "'items' is one array of items.");
                                    return consumed;
                                }

                                ItemsSeen = true;
                                Stage = Stage.InItems;
                            }

                            break;
                        case Stage.InItems when reader.TokenType == JsonTokenType.EndArray:
                            Stage = Stage.InRoot;
                            break;
                        case Stage.InItems when reader.TokenType == JsonTokenType.StartObject:
                            var probe = reader;
                            if (!probe.TrySkip())
                            {
                                State = checkpoint;
                                return before;
                            }

                            var item = ReadItem(ref reader);
                            if (item is null)
                            {
                                return consumed;
                            }

                            items.Add(item);
                            Index++;
                            break;
                        case Stage.InItems:
                            Error = Error.Validation($"items[{Index}]", "Each item is a JSON object.");
                            return consumed;
                        case Stage.Done:
                            Error = Error.Validation("body", "The body has content after its JSON object.");
                            return consumed;
                    }

                    consumed = (int)reader.BytesConsumed;
                    State = reader.CurrentState;
                }
            }
            catch (JsonException ex)
            {
                Error = Error.Validation(Stage == Stage.InItems ? $"items[{Index}]" : "body", $"The body is not valid JSON: {ex.Message}");
            }
            catch (InvalidOperationException ex)
            {
                // GetString on a string holding an invalid escape (a lone surrogate) throws this, not JsonException.
                Error = Error.Validation(Stage == Stage.InItems ? $"items[{Index}]" : "body", $"The body holds text that is not valid Unicode: {ex.Message}");
            }

            return consumed;
        }

        private ImportItem? ReadItem(ref Utf8JsonReader reader)
        {
            var field = $"items[{Index}]";
            ItemDto? dto;
            try
            {
                dto = JsonSerializer.Deserialize<ItemDto>(ref reader, Options);
            }
            catch (JsonException ex)
            {
                Error = Error.Validation(FieldOf(field, ex), $"{field} is invalid: {ex.Message}");
                return null;
            }
            catch (InvalidOperationException ex)
            {
                Error = Error.Validation(field, $"{field} holds text that is not valid Unicode: {ex.Message}");
                return null;
            }

            var errors = Validate(field, dto!);
            if (errors.Count > 0)
            {
                Error = Error.Validation(errors);
                return null;
            }

            return new ImportItem(dto!.ItemId, dto.Sender, dto.Recipients, dto.SizeBytes, dto.Timestamp,
                dto.Attachments?.Select(a => new ImportAttachment(a.Name, a.SizeBytes)).ToList());
        }

        private static List<ValidationError> Validate(string field, ItemDto dto)
        {
            var errors = new List<ValidationError>();
            if (!ConnectorRules.IsValidText(dto.ItemId))
            {
                errors.Add(new($"{field}.itemId", "itemId is 1-256 characters without control characters."));
            }

            if (!ConnectorRules.IsValidText(dto.Sender))
            {
                errors.Add(new($"{field}.sender", "sender is a source user id: 1-256 characters without control characters."));
            }

            if (dto.Recipients.Count > ConnectorRules.MaxRecipients)
            {
                errors.Add(new($"{field}.recipients", $"An item has at most {ConnectorRules.MaxRecipients} recipients."));
            }

            for (var i = 0; i < dto.Recipients.Count; i++)
            {
                if (!ConnectorRules.IsValidText(dto.Recipients[i]))
                {
                    errors.Add(new($"{field}.recipients[{i}]", "A recipient is a source user id: 1-256 characters without control characters."));
                }
            }

            if (dto.SizeBytes < 0)
            {
                errors.Add(new($"{field}.sizeBytes", "sizeBytes is 0 or more."));
            }

            if (dto.Timestamp.Year is < 1970 or > 2200)
            {
                errors.Add(new($"{field}.timestamp", "timestamp is an ISO 8601 date-time between 1970 and 2200."));
            }

            var attachments = dto.Attachments ?? [];
            if (attachments.Count > ConnectorRules.MaxAttachments)
            {
                errors.Add(new($"{field}.attachments", $"An item has at most {ConnectorRules.MaxAttachments} attachments."));
            }

            for (var i = 0; i < attachments.Count; i++)
            {
                if (attachments[i] is null)
                {
                    errors.Add(new($"{field}.attachments[{i}]", "An attachment is an object {name, sizeBytes}."));
                    continue;
                }

                if (!ConnectorRules.IsValidText(attachments[i].Name))
                {
                    errors.Add(new($"{field}.attachments[{i}].name", "name is 1-256 characters without control characters."));
                }

                if (attachments[i].SizeBytes < 0)
                {
                    errors.Add(new($"{field}.attachments[{i}].sizeBytes", "sizeBytes is 0 or more."));
                }
            }

            return errors;
        }

        private static string FieldOf(string field, JsonException ex)
        {
            if (UnmappedProperty().Match(ex.Message) is { Success: true } unmapped)
            {
                return $"{field}.{unmapped.Groups[1].Value}";
            }

            if (MissingRequired().Match(ex.Message) is { Success: true } missing)
            {
                return $"{field}.{missing.Groups[1].Value.Split(',')[0].Trim().Trim('\'')}";
            }

            var path = ex.Path is { Length: > 1 } p && p.StartsWith('$') ? p[1..] : string.Empty;
            return field + path;
        }
    }

    [GeneratedRegex("The JSON property '([^']+)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("missing required properties including: (.+)\\.", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRequired();
}
