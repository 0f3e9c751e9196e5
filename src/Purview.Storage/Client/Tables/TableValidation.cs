using System.Text;
using Azure.Data.Tables;

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

    /// <summary>The entity as sent: a null value means "no property", so it is left out (a copy, only when there is one).</summary>
    internal static TableEntity WithoutNulls(TableEntity entity)
    {
        var hasNull = false;
        foreach (var (_, value) in entity)
        {
            hasNull |= value is null;
        }

        if (!hasNull)
        {
            return entity;
        }

        var copy = new TableEntity(entity.PartitionKey, entity.RowKey) { ETag = entity.ETag };
        foreach (var (name, value) in entity)
        {
            if (value is not null && name is not (TableConstants.PartitionKey or TableConstants.RowKey or TableConstants.Timestamp or TableConstants.OdataEtag))
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
                var sent = WithoutNulls(entity);
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
            throw new ArgumentException(
                $"The transaction's payload is about {payload:N0} bytes; the service accepts at most {TableConstants.MaxTransactionPayloadBytes:N0}.", nameof(actions));
        }

        return copy ?? actions;
    }

    /// <summary>
    /// An upper estimate of one operation's share of a $batch body: its part headers, then each property's name, type
    /// annotation and value as JSON. Strings count as if every character needed a six-byte escape only when it would.
    /// </summary>
    internal static long EstimatePayload(TableEntity entity)
    {
        const int PartOverhead = 400;
        const int PropertyOverhead = 48;
        long size = PartOverhead + Encoding.UTF8.GetByteCount(entity.PartitionKey) * 3 + Encoding.UTF8.GetByteCount(entity.RowKey) * 3;
        foreach (var (name, value) in entity)
        {
            size += PropertyOverhead + name.Length + value switch
            {
                null => 0,
                string s => JsonLength(s),
                byte[] bytes => (bytes.Length + 2) / 3 * 4,
                BinaryData data => (data.ToMemory().Length + 2) / 3 * 4,
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
            length += c switch
            {
                < ' ' or '"' or '\\' => 6,
                < '\u0080' => 1,
                < '\u0800' => 2,
                _ => 3,
            };
        }

        return length;
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "..." : value;
}
