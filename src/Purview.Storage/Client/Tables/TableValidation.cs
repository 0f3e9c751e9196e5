using System.Text;

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

    internal static void ValidateEntityKeys(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ValidateKey(entity.PartitionKey, TableConstants.PartitionKey);
        ValidateKey(entity.RowKey, TableConstants.RowKey);
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "..." : value;
}
