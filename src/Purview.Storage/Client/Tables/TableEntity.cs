using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace Purview.Storage.Client.Tables;

/// <summary>
/// One table entity: the keys, the service-managed <see cref="ETag"/> and <see cref="Timestamp"/>, and a bag of
/// custom properties. Values are <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, <see cref="DateTimeOffset"/> (or a UTC/unspecified <see cref="DateTime"/>), <see cref="Guid"/>,
/// <c>byte[]</c> or <see cref="BinaryData"/>; <c>null</c> means "no property" and is not sent.
/// </summary>
/// <remarks>
/// The dictionary view holds only the custom properties: the keys, ETag and Timestamp live in their own members,
/// though the indexer also accepts "PartitionKey" and "RowKey" for convenience.
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "An entity is the domain term; it merely exposes its properties as a dictionary.")]
public sealed class TableEntity : IDictionary<string, object?>, IReadOnlyDictionary<string, object?>
{
    private readonly Dictionary<string, object?> _properties;

    public TableEntity()
        : this(string.Empty, string.Empty)
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
        _properties = new Dictionary<string, object?>(StringComparer.Ordinal);
    }

    internal TableEntity(int capacity)
    {
        PartitionKey = string.Empty;
        RowKey = string.Empty;
        _properties = new Dictionary<string, object?>(capacity, StringComparer.Ordinal);
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    /// <summary>The entity's version as last read or written; <c>default</c> for an entity never stored.</summary>
    public ETag ETag { get; set; }

    /// <summary>When the service last modified the entity; never sent on writes (the service owns it).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public int Count => _properties.Count;

    public bool IsReadOnly => false;

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object?> Values => _properties.Values;

    IEnumerable<string> IReadOnlyDictionary<string, object?>.Keys => _properties.Keys;

    IEnumerable<object?> IReadOnlyDictionary<string, object?>.Values => _properties.Values;

    public object? this[string key]
    {
        get => key switch
        {
            TableConstants.PartitionKey => PartitionKey,
            TableConstants.RowKey => RowKey,
            _ => _properties.TryGetValue(key, out var value) ? value : null,
        };
        set
        {
            switch (key)
            {
                case TableConstants.PartitionKey:
                    PartitionKey = value as string ?? throw new ArgumentException("PartitionKey must be a string.", nameof(value));
                    break;
                case TableConstants.RowKey:
                    RowKey = value as string ?? throw new ArgumentException("RowKey must be a string.", nameof(value));
                    break;
                default:
                    TableValidation.ValidatePropertyName(key);
                    TableValidation.ValidatePropertyValue(key, value);
                    _properties[key] = value;
                    break;
            }
        }
    }

    public void Add(string key, object? value)
    {
        TableValidation.ValidatePropertyName(key);
        TableValidation.ValidatePropertyValue(key, value);
        _properties.Add(key, value);
    }

    public void Add(KeyValuePair<string, object?> item) => Add(item.Key, item.Value);

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Remove(string key) => _properties.Remove(key);

    public bool TryGetValue(string key, out object? value) => _properties.TryGetValue(key, out value);

    public void Clear() => _properties.Clear();

    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);

    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);

    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);

    public Dictionary<string, object?>.Enumerator GetEnumerator() => _properties.GetEnumerator();

    IEnumerator<KeyValuePair<string, object?>> IEnumerable<KeyValuePair<string, object?>>.GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _properties.GetEnumerator();

    public string? GetString(string key) => Get<string>(key);

    public int? GetInt32(string key) => GetStruct<int>(key);

    /// <summary>Also widens an Int32 value (a property written without the Int64 annotation reads back as Int32).</summary>
    public long? GetInt64(string key) => _properties.TryGetValue(key, out var v) && v is int i ? i : GetStruct<long>(key);

    /// <summary>Also widens Int32 and Int64 values.</summary>
    public double? GetDouble(string key) => _properties.TryGetValue(key, out var v) ? v switch
    {
        int i => i,
        long l => l,
        _ => GetStruct<double>(key),
    } : null;

    public bool? GetBoolean(string key) => GetStruct<bool>(key);

    public DateTimeOffset? GetDateTimeOffset(string key) => _properties.TryGetValue(key, out var v) && v is DateTime dt
        ? new DateTimeOffset(DateTime.SpecifyKind(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt, DateTimeKind.Utc))
        : GetStruct<DateTimeOffset>(key);

    public Guid? GetGuid(string key) => GetStruct<Guid>(key);

    public byte[]? GetBinary(string key) => _properties.TryGetValue(key, out var v) && v is BinaryData data ? data.ToArray() : Get<byte[]>(key);

    internal void SetUnchecked(string key, object? value) => _properties[key] = value;

    internal Dictionary<string, object?> Properties => _properties;

    private T? Get<T>(string key)
        where T : class => _properties.TryGetValue(key, out var value) ? value switch
        {
            null => null,
            T t => t,
            _ => throw Mismatch(key, typeof(T), value),
        } : null;

    private T? GetStruct<T>(string key)
        where T : struct => _properties.TryGetValue(key, out var value) ? value switch
        {
            null => null,
            T t => t,
            _ => throw Mismatch(key, typeof(T), value),
        } : null;

    private static InvalidOperationException Mismatch(string key, Type wanted, object value) =>
        new($"Property '{key}' holds a {value.GetType().Name}, not a {wanted.Name}.");
}
