using Purview.Core.Access;

namespace Purview.Storage.Access;

/// <summary>
/// Audit entries partitioned by UTC day, newest day first, and newest first inside a day (reverse ticks).
/// </summary>
public sealed class TableAuditLog(StorageLayout layout) : IAuditLog, IStorageUser
{
    private readonly EntityTable _table = layout.Table("audit");

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = new TableEntity(Day(entry.At), TableKeys.ReverseTicks(entry.At) + "-" + Guid.NewGuid().ToString("N"))
        {
            ["At"] = entry.At,
            ["Principal"] = entry.Principal,
            ["Action"] = entry.Action,
            ["Target"] = entry.Target,
            ["Collection"] = entry.Collection,
            ["Details"] = entry.Details,
        };
        return _table.AddEntityAsync(entity, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        // Partitions sort newest day first and rows newest first within a day, so one range query reads the
        // entries newest first and stops as soon as it has enough.
        var filter = TableFilter.And(
            TableFilter.Compare("PartitionKey", "ge", Day(to)),
            TableFilter.Compare("PartitionKey", "le", Day(from)),
            TableFilter.Compare("At", "ge", from),
            TableFilter.Compare("At", "lt", to));
        var result = new List<AuditEntry>();
        await foreach (var e in _table.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            result.Add(new AuditEntry(e.GetDateTimeOffset("At") ?? default, e.GetString("Principal") ?? string.Empty, e.GetString("Action") ?? string.Empty,
                e.GetString("Target") ?? string.Empty, e.GetString("Collection"), e.GetString("Details")));
            if (result.Count >= limit)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>The UTC day, counted down (99999999 - yyyyMMdd) so that later days sort first.</summary>
    private static string Day(DateTimeOffset at) =>
        (99_999_999 - int.Parse(at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)).ToString("D8", CultureInfo.InvariantCulture);
}
