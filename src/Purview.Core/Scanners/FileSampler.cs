using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Purview.Core.Classification;

namespace Purview.Core.Scanners;

/// <summary>How much of a file the sampler reads: the first <see cref="MaxRows"/> records within the first <see cref="MaxBytes"/>.</summary>
public sealed record SamplingLimits(int MaxRows = SamplingLimits.DefaultMaxRows, int MaxBytes = SamplingLimits.DefaultMaxBytes, int FilesPerResourceSet = SamplingLimits.DefaultFilesPerResourceSet)
{
    public const int DefaultMaxRows = 128;
    public const int DefaultMaxBytes = 1024 * 1024;
    public const int DefaultFilesPerResourceSet = 5;

    public static SamplingLimits Default { get; } = new();
}

/// <summary>
/// Reads a file's schema and a bounded sample: CSV/TSV/any delimiter (RFC 4180 quoting, header detection), JSON (an
/// array of objects, or one object), JSON Lines, and plain text. It never reads more than
/// <see cref="SamplingLimits.MaxBytes"/> from the stream (the caller should also ask the source for that range only);
/// a record cut by the byte limit is dropped. Memory is bounded by the limits, not by the file. Pure: no I/O of its own.
/// </summary>
public static class FileSampler
{
    public const int MaxColumns = 500;

    public static async Task<AssetSample> SampleAsync(Stream content, SampleFormat format, char delimiter, SamplingLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);
        var buffer = ArrayPool<byte>.Shared.Rent(limits.MaxBytes + 1);
        try
        {
            var read = 0;
            while (read < limits.MaxBytes + 1)
            {
                var n = await content.ReadAsync(buffer.AsMemory(read, limits.MaxBytes + 1 - read), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            var complete = read <= limits.MaxBytes;
            var length = Math.Min(read, limits.MaxBytes);
            return Sample(buffer.AsSpan(0, length), complete, format, delimiter, limits);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Samples bytes already read; <paramref name="complete"/> says whether they are the whole file.</summary>
    public static AssetSample Sample(ReadOnlySpan<byte> bytes, bool complete, SampleFormat format, char delimiter, SamplingLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        var columns = format switch
        {
            SampleFormat.Delimited => Delimited(Decode(bytes), complete, delimiter, limits.MaxRows),
            SampleFormat.Json => Json(bytes, complete, limits.MaxRows),
            SampleFormat.JsonLines => JsonLines(Decode(bytes), complete, limits.MaxRows),
            _ => Text(Decode(bytes), complete, limits.MaxRows),
        };
        return new AssetSample(columns, bytes.Length);
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    // ---- Delimited ----

    private static List<SampledColumn> Delimited(string text, bool complete, char delimiter, int maxRows)
    {
        var records = new List<List<string>>();
        var position = 0;
        while (records.Count < maxRows + 1 && position < text.Length)
        {
            var record = ReadRecord(text, ref position, delimiter, out var terminated);
            if (!terminated && !complete)
            {
                break; // cut by the byte limit
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // blank line
            }

            records.Add(record.Count > MaxColumns ? record.GetRange(0, MaxColumns) : record);
        }

        if (records.Count == 0)
        {
            return [];
        }

        var hasHeader = LooksLikeHeader(records);
        var width = records.Max(r => r.Count);
        var names = new List<string>(width);
        for (var i = 0; i < width; i++)
        {
            var name = hasHeader && i < records[0].Count && records[0][i].Trim().Length > 0 ? records[0][i].Trim() : "_col" + i.ToString(CultureInfo.InvariantCulture);
            names.Add(names.Contains(name, StringComparer.Ordinal) ? name + "_" + i.ToString(CultureInfo.InvariantCulture) : name);
        }

        var rows = records.Skip(hasHeader ? 1 : 0).Take(maxRows).ToList();
        var result = new List<SampledColumn>(width);
        for (var i = 0; i < width; i++)
        {
            var values = rows.Select(r => i < r.Count ? r[i] : null).ToList();
            result.Add(new SampledColumn(names[i], InferType(values), values));
        }

        return result;
    }

    /// <summary>One RFC 4180 record: quoted fields may hold delimiters, doubled quotes and line breaks.</summary>
    private static List<string> ReadRecord(string text, ref int position, char delimiter, out bool terminated)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var atFieldStart = true;
        terminated = false;
        while (position < text.Length)
        {
            var c = text[position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append(c);
                }

                continue;
            }

            if (c == '"' && atFieldStart)
            {
                quoted = true;
                atFieldStart = false;
            }
            else if (c == delimiter)
            {
                fields.Add(field.ToString());
                field.Clear();
                atFieldStart = true;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && position < text.Length && text[position] == '\n')
                {
                    position++;
                }

                terminated = true;
                break;
            }
            else
            {
                field.Append(c);
                atFieldStart = false;
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// The first record is a header when its fields are distinct non-empty labels that are not values (numbers, dates,
    /// booleans, nor anything a system classification recognizes), and either it is the only record or some column
    /// below it holds typed values, or its labels look like identifiers while the rows below do not repeat them.
    /// </summary>
    private static bool LooksLikeHeader(List<List<string>> records)
    {
        var first = records[0].Select(f => f.Trim()).ToList();
        if (first.Any(f => f.Length == 0 || f.Length > 128) || first.Distinct(StringComparer.OrdinalIgnoreCase).Count() != first.Count)
        {
            return false;
        }

        if (first.Any(f => TypeOf(f) != "string" || SystemClassifications.LooksLikeValue(f)))
        {
            return false;
        }

        if (records.Count == 1)
        {
            return true;
        }

        for (var i = 0; i < first.Count; i++)
        {
            var below = records.Skip(1).Select(r => i < r.Count ? r[i] : null).ToList();
            if (InferType(below) != "string")
            {
                return true;
            }
        }

        return first.All(f => f.Length <= 64 && f.All(ch => char.IsLetterOrDigit(ch) || ch is '_' or ' ' or '-' or '.'))
            && records.Skip(1).All(r => !r.Select(f => f.Trim()).SequenceEqual(first));
    }

    private static string InferType(IReadOnlyList<string?> values)
    {
        string? type = null;
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var t = TypeOf(value.Trim());
            type = type is null || type == t ? t : (type, t) is ("long", "double") or ("double", "long") ? "double" : "string";
            if (type == "string")
            {
                return type;
            }
        }

        return type ?? "string";
    }

    private static string TypeOf(string value)
    {
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) && !(value.Length > 1 && value[0] == '0'))
        {
            return "long";
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && value.Contains('.', StringComparison.Ordinal))
        {
            return "double";
        }

        if (bool.TryParse(value, out _))
        {
            return "boolean";
        }

        return value.Length >= 8 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) && char.IsAsciiDigit(value[0])
            ? "datetime"
            : "string";
    }

    // ---- JSON ----

    private static List<SampledColumn> Json(ReadOnlySpan<byte> bytes, bool complete, int maxRows)
    {
        var rows = new List<Dictionary<string, string?>>();
        var reader = new Utf8JsonReader(bytes, isFinalBlock: complete, new JsonReaderState(new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 }));
        try
        {
            if (!reader.Read())
            {
                return [];
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                if (TryReadValue(ref reader, bytes, out var element))
                {
                    rows.Add(Flatten(element));
                }
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (rows.Count < maxRows && reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (!TryReadValue(ref reader, bytes, out var element))
                    {
                        break; // cut by the byte limit
                    }

                    rows.Add(element.ValueKind == JsonValueKind.Object ? Flatten(element) : new Dictionary<string, string?> { ["value"] = Scalar(element) });
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON after all, or broken past some point: keep the rows read so far.
        }

        return Columns(rows);
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> bytes, out JsonElement element)
    {
        element = default;
        var start = (int)reader.TokenStartIndex;
        if (!reader.TrySkip())
        {
            return false;
        }

        var end = (int)reader.BytesConsumed;
        using var document = JsonDocument.Parse(bytes[start..end].ToArray());
        element = document.RootElement.Clone();
        return true;
    }

    private static List<SampledColumn> JsonLines(string text, bool complete, int maxRows)
    {
        var rows = new List<Dictionary<string, string?>>();
        var lines = text.Split('\n');
        var usable = complete ? lines.Length : lines.Length - 1;
        for (var i = 0; i < usable && rows.Count < maxRows; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                rows.Add(document.RootElement.ValueKind == JsonValueKind.Object ? Flatten(document.RootElement) : new Dictionary<string, string?> { ["value"] = Scalar(document.RootElement) });
            }
            catch (JsonException)
            {
                // A line that is not JSON is skipped; the others still describe the file.
            }
        }

        return Columns(rows);
    }

    /// <summary>Nested objects become dotted column names (a.b.c), up to 4 levels; arrays are kept as their JSON text.</summary>
    private static Dictionary<string, string?> Flatten(JsonElement element)
    {
        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
        void Walk(JsonElement e, string prefix, int depth)
        {
            foreach (var property in e.EnumerateObject())
            {
                if (row.Count >= MaxColumns)
                {
                    return;
                }

                var name = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
                if (property.Value.ValueKind == JsonValueKind.Object && depth < 4)
                {
                    Walk(property.Value, name, depth + 1);
                }
                else
                {
                    row[name] = Scalar(property.Value);
                }
            }
        }

        Walk(element, string.Empty, 1);
        return row;
    }

    private static string? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };

    private static List<SampledColumn> Columns(List<Dictionary<string, string?>> rows)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in rows.SelectMany(r => r.Keys))
        {
            if (names.Count < MaxColumns && seen.Add(name))
            {
                names.Add(name);
            }
        }

        return names.Select(n =>
        {
            var values = rows.Select(r => r.GetValueOrDefault(n)).ToList();
            return new SampledColumn(n, InferType(values), values);
        }).ToList();
    }

    // ---- Text ----

    private static List<SampledColumn> Text(string text, bool complete, int maxRows)
    {
        var lines = text.Split('\n');
        var usable = complete ? lines.Length : lines.Length - 1;
        var sample = lines.Take(Math.Min(usable, maxRows)).Select(l => (string?)l.TrimEnd('\r')).ToList();
        return sample.Count == 0 ? [] : [new SampledColumn("content", SampleDataTypes.Unstructured, sample)];
    }
}
