using System.Globalization;
using Purview.Core.Access;
using Purview.Storage.Client.Tables;

namespace Purview.Storage.Access;

/// <summary>
/// Audit entries partitioned by UTC day, newest first inside a day (reverse ticks), so a time-range read touches
/// only the days in the range and stops as soon as it has enough.
/// </summary>
public sealed class TableAuditLog(StorageLayout layout) : IAuditLog, IStorageUser
{
    private readonly TableClient _table = layout.Table("audit");

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
        var result = new List<AuditEntry>();
        // Newest day first; at most 400 days, beyond which audit reads make no sense.
        for (var day = to.UtcDateTime.Date; day >= from.UtcDateTime.Date && result.Count < limit && (to.UtcDateTime.Date - day).TotalDays <= 400; day = day.AddDays(-1))
        {
            // RowKeys are reverse ticks: [to, from) in time is [ReverseTicks(to)+, ReverseTicks(from)] in keys.
            var filter = TableFilter.And(
                TableFilter.PartitionKeyEquals(day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)),
                TableFilter.Compare("RowKey", "gt", TableKeys.ReverseTicks(to)),
                TableFilter.Compare("RowKey", "le", TableKeys.ReverseTicks(from) + "~"));
            await foreach (var e in _table.QueryAsync(filter, cancellationToken: cancellationToken))
            {
                result.Add(new AuditEntry(e.GetDateTimeOffset("At") ?? default, e.GetString("Principal") ?? string.Empty, e.GetString("Action") ?? string.Empty,
                    e.GetString("Target") ?? string.Empty, e.GetString("Collection"), e.GetString("Details")));
                if (result.Count >= limit)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
