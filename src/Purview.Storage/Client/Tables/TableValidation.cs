namespace Purview.Storage.Client.Tables;

/// <summary>
/// The service's naming rules, checked before a request is sent so that a bad key fails with a message naming
/// the key instead of an opaque 400 (or, for '/', a request to the wrong resource).
/// </summary>
public static class TableValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="value"/> can be a PartitionKey or RowKey.</summary>
    public static void ValidateKey(string? value, string keyName)
    {
        if (value is null)
        {
            throw new ArgumentException($"{keyName} must not be null.", keyName);
        }

        if (GetKeyProblem(value) is { } problem)
        {
            throw new ArgumentException($"{keyName} '{Shorten(value)}' is invalid: {problem}.", keyName);
        }
    }

    /// <summary>Why <paramref name="value"/> cannot be a key, or null when it can.</summary>
    public static string? GetKeyProblem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
        {
            switch (c)
            {
                case '/':
                case '\\':
                case '#':
                case '?':
                    return $"it contains '{c}'";
                case <= '\u001F':
                case >= '\u007F' and <= '\u009F':
                    return $"it contains the control character U+{(int)c:X4}";
            }
        }

        // Cheap bound first: UTF-8 needs at most 3 bytes per UTF-16 unit.
        if (value.Length * 3 > TableConstants.MaxKeyBytes && Encoding.UTF8.GetByteCount(value) > TableConstants.MaxKeyBytes)
        {
            return $"it is longer than {TableConstants.MaxKeyBytes} bytes";
        }

        return null;
    }

    /// <summary>Table names: 3-63 ASCII letters and digits, starting with a letter; "tables" is reserved.</summary>
    public static void ValidateTableName(string? name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var valid = name.Length is >= 3 and <= 63 && char.IsAsciiLetter(name[0]);
        for (var i = 1; valid && i < name.Length; i++)
        {
            valid = char.IsAsciiLetterOrDigit(name[i]);
        }

        if (!valid)
        {
            throw new ArgumentException($"'{Shorten(name)}' is not a valid table name: 3-63 letters and digits, starting with a letter.", nameof(name));
        }

        if (string.Equals(name, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("'tables' is a reserved table name.", nameof(name));
        }
    }

    /// <summary>
    /// Property names follow C# identifier rules, at most 255 characters, and must not be a system property or an
    /// OData annotation (which would corrupt the JSON payload's meaning).
    /// </summary>
    public static void ValidatePropertyName(string? name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 255)
        {
            throw new ArgumentException($"Property name '{Shorten(name)}' must be 1-255 characters.", nameof(name));
        }

        if (name is TableConstants.PartitionKey or TableConstants.RowKey or TableConstants.Timestamp or "ETag"
            || name.StartsWith("odata.", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Property name '{name}' is reserved.", nameof(name));
        }

        if (!(char.IsLetter(name[0]) || name[0] == '_'))
        {
            throw new ArgumentException($"Property name '{Shorten(name)}' must start with a letter or '_'.", nameof(name));
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"Property name '{Shorten(name)}' may contain only letters, digits and '_'.", nameof(name));
            }
        }
    }

    internal static void ValidatePropertyValue(string name, object? value)
    {
        switch (value)
        {
            case null or string or int or long or double or bool or DateTimeOffset or DateTime or Guid or byte[] or BinaryData:
                return;
            default:
                throw new ArgumentException(
                    $"Property '{name}' has a {value.GetType().Name}; tables store string, int, long, double, bool, DateTimeOffset, DateTime, Guid, byte[] and BinaryData.",
                    nameof(value));
        }
    }

    internal static void ValidateEntityKeys(ITableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidateKey(entity.PartitionKey, TableConstants.PartitionKey);
        ValidateKey(entity.RowKey, TableConstants.RowKey);
    }

    /// <summary>Keys, property names and property types, checked before anything is sent.</summary>
    internal static void ValidateEntity(TableEntity entity)
    {
        ValidateEntityKeys(entity);
        foreach (var (name, value) in entity)
        {
            if (name is TableConstants.PartitionKey or TableConstants.RowKey or TableConstants.Timestamp or TableConstants.OdataEtag)
            {
                continue;
            }

            ValidatePropertyName(name);
            ValidatePropertyValue(name, value);
        }
    }

    /// <summary>
    /// The entity as sent (a copy, only when it differs): a null value means "no property", so it is left out; a NaN or
    /// infinite double, which the SDK's JSON writer refuses, goes as the service's string form with its Edm.Double
    /// annotation, as the service itself returns it.
    /// </summary>
    internal static TableEntity AsSent(TableEntity entity)
    {
        var changes = false;
        foreach (var (_, value) in entity)
        {
            changes |= value is null || (value is double d && !double.IsFinite(d));
        }

        if (!changes)
        {
            return entity;
        }

        var copy = new TableEntity(entity.PartitionKey, entity.RowKey) { ETag = entity.ETag };
        foreach (var (name, value) in entity)
        {
            if (value is null || name is TableConstants.PartitionKey or TableConstants.RowKey or TableConstants.Timestamp or TableConstants.OdataEtag)
            {
                continue;
            }

            if (value is double d && !double.IsFinite(d))
            {
                copy[name] = double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
                copy[name + "@odata.type"] = "Edm.Double";
            }
            else
            {
                copy[name] = value;
            }
        }

        return copy;
    }

    /// <summary>
    /// An entity-group transaction as sent: 1-100 operations on distinct RowKeys of one PartitionKey, each entity valid,
    /// the estimated payload within 4 MiB. Returns the actions with null properties left out.
    /// </summary>
    internal static IReadOnlyList<TableTransactionAction> ValidateTransaction(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > TableConstants.MaxTransactionOperations)
        {
            throw new ArgumentException(
                $"A transaction holds 1 to {TableConstants.MaxTransactionOperations} operations, not {actions.Count}.", nameof(actions));
        }

        var partitionKey = actions[0]?.Entity?.PartitionKey;
        var rowKeys = new HashSet<string>(actions.Count, StringComparer.Ordinal);
        TableTransactionAction[]? copy = null;
        long payload = 0;
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

            if (action.Entity is TableEntity entity)
            {
                ValidateEntity(entity);
                payload += EstimatePayload(entity);
                var sent = AsSent(entity);
                if (!ReferenceEquals(sent, entity))
                {
                    copy ??= [.. actions];
                    copy[i] = new TableTransactionAction(action.ActionType, sent, action.ETag);
                }
            }
            else
            {
                ValidateEntityKeys(action.Entity);
            }

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

        if (payload > TableConstants.MaxTransactionPayloadBytes)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The transaction's payload is about {payload:N0} bytes; the service accepts at most {TableConstants.MaxTransactionPayloadBytes:N0}."), nameof(actions));
        }

        return copy ?? actions;
    }

    /// <summary>
    /// An upper estimate of one operation's share of a $batch body: its part headers and request line (the keys
    /// percent-encoded in the URL, quotes doubled), then each property as JSON: its name twice (the value and its type
    /// annotation) and its value. The SDK's JSON writer escapes every character outside printable ASCII, and the
    /// HTML-sensitive ones, as a six-byte \uXXXX, so those count six.
    /// </summary>
    internal static long EstimatePayload(TableEntity entity)
    {
        const int PartOverhead = 600;
        const int PropertyOverhead = 48;
        long size = PartOverhead + UrlLength(entity.PartitionKey) + UrlLength(entity.RowKey);
        foreach (var (name, value) in entity)
        {
            size += PropertyOverhead + (2 * JsonLength(name)) + value switch
            {
                null => 0,
                string s => JsonLength(s),
                byte[] bytes => Base64JsonLength(bytes),
                BinaryData data => Base64JsonLength(data.ToMemory().Span),
                _ => 40,
            };
        }

        return size;
    }

    private static long JsonLength(string s)
    {
        long length = 2;
        foreach (var c in s)
        {
            length += c is >= ' ' and < '\u007F' and not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`') ? 1 : 6;
        }

        return length;
    }

    /// <summary>Binary goes as base64, in which the writer escapes each '+' (a sextet of 62) as \u002B.</summary>
    private static long Base64JsonLength(ReadOnlySpan<byte> bytes)
    {
        long length = 2 + ((bytes.Length + 2L) / 3 * 4);
        for (var i = 0; i < bytes.Length; i += 3)
        {
            int b0 = bytes[i], b1 = i + 1 < bytes.Length ? bytes[i + 1] : 0, b2 = i + 2 < bytes.Length ? bytes[i + 2] : 0;
            var group = (b0 << 16) | (b1 << 8) | b2;
            for (var shift = 18; shift >= 0; shift -= 6)
            {
                if (((group >> shift) & 63) == 62)
                {
                    length += 5;
                }
            }
        }

        return length;
    }

    /// <summary>A key in the part's URL: quotes doubled, then everything but unreserved ASCII percent-encoded (a UTF-16 unit is at most 3 UTF-8 bytes, 9 characters).</summary>
    private static long UrlLength(string key)
    {
        long length = 0;
        foreach (var c in key)
        {
            length += c switch
            {
                '\'' => 6,
                _ when char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' => 1,
                < '\u0080' => 3,
                _ => 9,
            };
        }

        return length;
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "..." : value;
}
