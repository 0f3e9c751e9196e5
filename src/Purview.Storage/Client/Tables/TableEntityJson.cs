using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Purview.Storage.Client.Tables;

/// <summary>
/// Entity (de)serialization in the Table service's OData JSON dialect. Hand-written over Utf8JsonWriter/Utf8JsonReader
/// because it is on every request's hot path and the typing rules (annotations, Int64 as strings, NaN as strings)
/// do not map onto System.Text.Json's serializer.
/// </summary>
internal static class TableEntityJson
{
    private const string OdataTypeSuffix = "@odata.type";
    private static readonly JsonEncodedText PartitionKeyName = JsonEncodedText.Encode(TableConstants.PartitionKey);
    private static readonly JsonEncodedText RowKeyName = JsonEncodedText.Encode(TableConstants.RowKey);
    private static readonly JsonEncodedText EdmInt64 = JsonEncodedText.Encode("Edm.Int64");
    private static readonly JsonEncodedText EdmDouble = JsonEncodedText.Encode("Edm.Double");
    private static readonly JsonEncodedText EdmDateTime = JsonEncodedText.Encode("Edm.DateTime");
    private static readonly JsonEncodedText EdmGuid = JsonEncodedText.Encode("Edm.Guid");
    private static readonly JsonEncodedText EdmBinary = JsonEncodedText.Encode("Edm.Binary");

    // Property names repeat across entities; caching their encoded forms (and the annotation names) avoids
    // re-escaping and string concatenation per property per request. Bounded so arbitrary names cannot grow it forever.
    private static readonly ConcurrentDictionary<string, (JsonEncodedText Name, JsonEncodedText Annotation)> NameCache = new(StringComparer.Ordinal);
    private const int NameCacheLimit = 4096;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes the entity (keys and custom properties, never Timestamp/ETag) to a new byte array.</summary>
    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer;
        if (writer is null)
        {
            t_writer = writer = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            writer.Reset(buffer);
        }

        Write(writer, entity);
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1024 * 1024)
        {
            // Do not pin a large buffer to the thread after one big entity.
            t_buffer = null;
            t_writer = null;
        }

        return bytes;
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString(PartitionKeyName, entity.PartitionKey);
        writer.WriteString(RowKeyName, entity.RowKey);
        Span<byte> scratch = stackalloc byte[40];
        foreach (var (key, value) in entity.Properties)
        {
            if (value is null)
            {
                continue;
            }

            var (name, annotation) = Names(key);
            switch (value)
            {
                case string s:
                    writer.WriteString(name, s);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case long l:
                    writer.WriteString(annotation, EdmInt64);
                    l.TryFormat(scratch, out var written, default, CultureInfo.InvariantCulture);
                    writer.WriteString(name, scratch[..written]);
                    break;
                case double d:
                    // Always annotated: 1.0 would otherwise be written "1" and read back as an Int32.
                    writer.WriteString(annotation, EdmDouble);
                    if (double.IsFinite(d))
                    {
                        writer.WriteNumber(name, d);
                    }
                    else
                    {
                        writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                    }

                    break;
                case DateTimeOffset dto:
                    writer.WriteString(annotation, EdmDateTime);
                    WriteDate(writer, name, dto.UtcDateTime, scratch);
                    break;
                case DateTime dt:
                    writer.WriteString(annotation, EdmDateTime);
                    WriteDate(writer, name, dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc), scratch);
                    break;
                case Guid g:
                    writer.WriteString(annotation, EdmGuid);
                    writer.WriteString(name, g);
                    break;
                case byte[] bytes:
                    writer.WriteString(annotation, EdmBinary);
                    writer.WriteBase64String(name, bytes);
                    break;
                case BinaryData data:
                    writer.WriteString(annotation, EdmBinary);
                    writer.WriteBase64String(name, data.ToMemory().Span);
                    break;
                default:
                    TableValidation.ValidatePropertyValue(key, value);
                    break;
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteDate(Utf8JsonWriter writer, JsonEncodedText name, DateTime utc, Span<byte> scratch)
    {
        // "O" on a UTC DateTime is always yyyy-MM-ddTHH:mm:ss.fffffffZ: seven digits, as the service writes them.
        utc.TryFormat(scratch, out var written, "O", CultureInfo.InvariantCulture);
        writer.WriteString(name, scratch[..written]);
    }

    private static (JsonEncodedText Name, JsonEncodedText Annotation) Names(string key)
    {
        if (NameCache.TryGetValue(key, out var names))
        {
            return names;
        }

        names = (JsonEncodedText.Encode(key), JsonEncodedText.Encode(key + OdataTypeSuffix));
        if (NameCache.Count < NameCacheLimit)
        {
            NameCache.TryAdd(key, names);
        }

        return names;
    }

    /// <summary>Reads one entity object; the reader is on its StartObject and ends on its EndObject.</summary>
    public static TableEntity ReadEntity(ref Utf8JsonReader reader)
    {
        var entity = new TableEntity(capacity: 12);
        Dictionary<string, string>? pendingTypes = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("PartitionKey"u8))
            {
                reader.Read();
                entity.PartitionKey = reader.GetString() ?? string.Empty;
                continue;
            }

            if (reader.ValueTextEquals("RowKey"u8))
            {
                reader.Read();
                entity.RowKey = reader.GetString() ?? string.Empty;
                continue;
            }

            if (reader.ValueTextEquals("odata.etag"u8))
            {
                reader.Read();
                entity.ETag = new ETag(reader.GetString()!);
                continue;
            }

            if (reader.ValueTextEquals("Timestamp"u8))
            {
                reader.Read();
                entity.Timestamp = ParseDate(reader.GetString()!);
                continue;
            }

            var name = reader.GetString()!;
            reader.Read();
            if (name.EndsWith(OdataTypeSuffix, StringComparison.Ordinal))
            {
                var target = name[..^OdataTypeSuffix.Length];
                var type = reader.GetString()!;
                if (target == TableConstants.Timestamp)
                {
                    continue;
                }

                // Azure writes the annotation before its value; if a value came first, retype it now.
                if (entity.Properties.TryGetValue(target, out var existing))
                {
                    entity.SetUnchecked(target, Retype(existing, type, target));
                }
                else
                {
                    (pendingTypes ??= new Dictionary<string, string>(StringComparer.Ordinal))[target] = type;
                }

                continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal))
            {
                reader.Skip();
                continue;
            }

            string? edmType = null;
            pendingTypes?.TryGetValue(name, out edmType);
            object? value = reader.TokenType switch
            {
                JsonTokenType.String => edmType is null or "Edm.String" ? reader.GetString() : ConvertString(reader.GetString()!, edmType, name),
                JsonTokenType.Number => ReadNumber(ref reader, edmType),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Null => null,
                _ => throw new FormatException($"Property '{name}' has an unsupported JSON {reader.TokenType}."),
            };
            if (value is not null)
            {
                entity.SetUnchecked(name, value);
            }
        }

        return entity;
    }

    private static object ReadNumber(ref Utf8JsonReader reader, string? edmType)
    {
        switch (edmType)
        {
            case "Edm.Double":
                return reader.GetDouble();
            case "Edm.Int64":
                return reader.GetInt64();
            case "Edm.Int32":
                return reader.GetInt32();
        }

        // Unannotated: a literal with a fraction or exponent is a Double even when whole (Azure writes 1.0).
        var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && Utf8Parser.TryParse(raw, out int i, out var consumed) && consumed == raw.Length)
        {
            return i;
        }

        return reader.GetDouble();
    }

    private static object Retype(object? value, string edmType, string name) => value switch
    {
        string s => ConvertString(s, edmType, name),
        int i when edmType == "Edm.Double" => (double)i,
        int i when edmType == "Edm.Int64" => (long)i,
        _ => value!,
    };

    private static object ConvertString(string s, string edmType, string name)
    {
        try
        {
            return edmType switch
            {
                "Edm.Int64" => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                "Edm.Double" => s switch
                {
                    "NaN" => double.NaN,
                    "Infinity" or "INF" => double.PositiveInfinity,
                    "-Infinity" or "-INF" => double.NegativeInfinity,
                    _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                },
                "Edm.DateTime" => ParseDate(s),
                "Edm.Guid" => Guid.Parse(s),
                "Edm.Binary" => Convert.FromBase64String(s),
                "Edm.Int32" => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                "Edm.Boolean" => bool.Parse(s),
                _ => s,
            };
        }
        catch (FormatException ex)
        {
            throw new FormatException($"Property '{name}' is annotated {edmType} but holds '{s}'.", ex);
        }
    }

    internal static DateTimeOffset ParseDate(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Reads a single-entity response body.</summary>
    public static TableEntity ParseEntity(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadEntity(ref reader);
    }

    /// <summary>Reads the "value" array of a query response body.</summary>
    public static List<TableEntity> ParseEntities(ReadOnlySpan<byte> json)
    {
        var result = new List<TableEntity>();
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                result.Add(ReadEntity(ref reader));
            }
        }

        return result;
    }
}
