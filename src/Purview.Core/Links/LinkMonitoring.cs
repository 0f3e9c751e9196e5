using System.Globalization;
using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Links;

/// <summary>The filters every link monitoring view takes (all times UTC).</summary>
public sealed record LinkMonitoringQuery(string? SourceType, string? SourceName, string? Period, string? From, string? To);

public sealed record TrendPoint(DateTimeOffset Time, long Assets, long Relationships, long ActivityRuns);

public sealed record LinkSummary(DateTimeOffset From, DateTimeOffset To, string Granularity, int Sources, long Assets, long Relationships, long ActivityRuns,
    IReadOnlyList<TrendPoint> Trend, DateTimeOffset? ReportedTill);

public sealed record LinkSourceStatus(string SourceName, string SourceType, string Collection, long AssetsIngested, long RelationshipsIngested, long ActivityRuns, DateTimeOffset? LastRunTime);

public sealed record LinkSubArtifactStatus(string Name, long AssetsIngested, long RelationshipsIngested, long ActivityRuns, DateTimeOffset? LastRunTime);

public sealed record LinkPage<T>(DateTimeOffset From, DateTimeOffset To, DateTimeOffset? ReportedTill, IReadOnlyList<T> Value, int Count, int Total);

/// <summary>
/// Link monitoring. Data Factory and Synapse links are visible to Data source admins and Collection admins of the root;
/// an OpenLineage link is visible to Data source admins of its collection (inherited from above). A caller who can see
/// no kind of link gets 403.
/// </summary>
public sealed class LinkMonitoringService(ILinkRepository links, ILinkAggregateStore aggregates, LinkAggregator aggregator, AccessService access, TimeProvider time)
{
    public static readonly IReadOnlyList<string> OrderByFields = ["sourceName", "sourceType", "assetsIngested", "relationshipsIngested", "lastRunTime"];

    public async Task<Result<LinkSummary>> SummaryAsync(Principal caller, LinkMonitoringQuery query, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(caller, query, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }

        var (from, to, visible) = scope.Value;
        var daily = to - from > TimeSpan.FromDays(7);
        var rows = await VisibleRowsAsync(from, to, null, daily, visible, cancellationToken);
        var step = daily ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1);
        var start = daily ? new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero) : LinkHours.Floor(from);
        var buckets = new SortedDictionary<DateTimeOffset, (long A, long R, long Runs)>();
        for (var t = start; t < to; t += step)
        {
            buckets[t] = default;
        }

        foreach (var r in rows)
        {
            var key = daily ? new DateTimeOffset(r.Hour.UtcDateTime.Date, TimeSpan.Zero) : r.Hour;
            var b = buckets.GetValueOrDefault(key);
            buckets[key] = (b.A + r.Assets, b.R + r.Relationships, b.Runs + r.ActivityRuns);
        }

        return new LinkSummary(from, to, daily ? "daily" : "hourly", visible.Count, rows.Sum(r => r.Assets), rows.Sum(r => r.Relationships), rows.Sum(r => r.ActivityRuns),
            buckets.Select(kv => new TrendPoint(kv.Key, kv.Value.A, kv.Value.R, kv.Value.Runs)).ToList(), await aggregates.GetReportedTillAsync(cancellationToken));
    }

    public async Task<Result<LinkPage<LinkSourceStatus>>> ListSourcesAsync(Principal caller, LinkMonitoringQuery query, string? orderBy, int? top, int? skip, CancellationToken cancellationToken)
    {
        if (Paging(top, skip) is { } pagingError)
        {
            return pagingError;
        }

        var scope = await ScopeAsync(caller, query, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }

        var (from, to, visible) = scope.Value;
        var rows = await VisibleRowsAsync(from, to, null, wholeDays: true, visible, cancellationToken);
        var byKey = rows.GroupBy(r => LinkNames.Key(r.SourceType, r.SourceName), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var items = visible.Select(l =>
        {
            var list = byKey.GetValueOrDefault(l.Key) ?? [];
            return new LinkSourceStatus(l.Name, l.SourceType.ToString(), l.Collection, list.Sum(r => r.Assets), list.Sum(r => r.Relationships), list.Sum(r => r.ActivityRuns),
                list.Max(r => r.LastRunTime));
        }).ToList();
        var ordered = Order(items, orderBy, x => x.SourceName, x => x.SourceType, x => x.AssetsIngested, x => x.RelationshipsIngested, x => x.LastRunTime);
        if (!ordered.IsSuccess)
        {
            return ordered.Error!;
        }

        var page = ordered.Value!.Skip(skip ?? 0).Take(top ?? 100).ToList();
        return new LinkPage<LinkSourceStatus>(from, to, await aggregates.GetReportedTillAsync(cancellationToken), page, page.Count, items.Count);
    }

    public async Task<Result<LinkPage<LinkSubArtifactStatus>>> ListSubArtifactsAsync(
        Principal caller, string sourceType, string sourceName, LinkMonitoringQuery query, string? orderBy, int? top, int? skip, CancellationToken cancellationToken)
    {
        if (Paging(top, skip) is { } pagingError)
        {
            return pagingError;
        }

        if (!LinkNames.TryParseType(sourceType, out var type))
        {
            return Error.Validation("sourceType", $"'{sourceType}' is not a link source type: use one of {string.Join(", ", Enum.GetNames<LinkSourceType>())}.");
        }

        var scope = await ScopeAsync(caller, query with { SourceType = type.ToString(), SourceName = sourceName }, cancellationToken);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }

        var (from, to, visible) = scope.Value;
        if (visible.Count == 0)
        {
            return Error.NotFound($"No {type} link named '{sourceName}' is visible to the caller.");
        }

        var link = visible[0];
        var rows = await aggregates.QueryAsync(from, to, link.Key, wholeDays: true, cancellationToken);
        var items = rows.GroupBy(r => r.SubArtifact!, StringComparer.Ordinal)
            .Select(g => new LinkSubArtifactStatus(g.Key, g.Sum(r => r.Assets), g.Sum(r => r.Relationships), g.Sum(r => r.ActivityRuns), g.Max(r => r.LastRunTime)))
            .ToList();
        var ordered = Order(items, orderBy, x => x.Name, x => x.Name, x => x.AssetsIngested, x => x.RelationshipsIngested, x => x.LastRunTime);
        if (!ordered.IsSuccess)
        {
            return ordered.Error!;
        }

        var page = ordered.Value!.Skip(skip ?? 0).Take(top ?? 100).ToList();
        return new LinkPage<LinkSubArtifactStatus>(from, to, await aggregates.GetReportedTillAsync(cancellationToken), page, page.Count, items.Count);
    }

    /// <summary>Admin backfill: re-aggregates one closed hour within the retention.</summary>
    public async Task<Result<IReadOnlyList<LinkAggregate>>> RunHourAsync(string? hourText, CancellationToken cancellationToken)
    {
        if (!TryParseTime(hourText, out var hour) || hour != LinkHours.Floor(hour))
        {
            return Error.Validation("hour", "hour is a whole UTC hour, e.g. 2026-11-21T10:00:00Z.");
        }

        var now = time.GetUtcNow();
        if (hour < LinkHours.Floor(now - LinkService.Retention))
        {
            return Error.Validation("hour", $"hour is beyond the {LinkService.Retention.TotalDays:0}-day retention: its events are deleted.");
        }

        if (hour.AddHours(1) > now)
        {
            return Error.Validation("hour", "hour has not closed yet.");
        }

        return Result<IReadOnlyList<LinkAggregate>>.Success(await aggregator.AggregateHourAsync(hour, cancellationToken));
    }

    private async Task<List<LinkAggregate>> VisibleRowsAsync(DateTimeOffset from, DateTimeOffset to, string? sourceKey, bool wholeDays, IReadOnlyList<Link> visible, CancellationToken cancellationToken)
    {
        var keys = visible.Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        return (await aggregates.QueryAsync(from, to, sourceKey, wholeDays, cancellationToken)).Where(r => keys.Contains(LinkNames.Key(r.SourceType, r.SourceName))).ToList();
    }

    private async Task<Result<(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<Link> Visible)>> ScopeAsync(Principal caller, LinkMonitoringQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        DateTimeOffset from, to;
        if (query.From is not null || query.To is not null)
        {
            if (query.Period is not null)
            {
                return Error.Validation("period", "Give either period or from/to, not both.");
            }

            if (!TryParseTime(query.From, out from))
            {
                return Error.Validation("from", "from is required with to: an ISO 8601 UTC date-time, e.g. 2026-11-01T00:00:00Z.");
            }

            to = now;
            if (query.To is not null && !TryParseTime(query.To, out to))
            {
                return Error.Validation("to", "to must be an ISO 8601 UTC date-time, e.g. 2026-11-02T00:00:00Z.");
            }

            if (from < now - LinkService.Retention)
            {
                return Error.Validation("from", $"from ({from:yyyy-MM-ddTHH:mm:ssZ}) is beyond the {LinkService.Retention.TotalDays:0}-day retention: the earliest is {now - LinkService.Retention:yyyy-MM-ddTHH:mm:ssZ}.");
            }

            if (to <= from)
            {
                return Error.Validation("to", "to must be after from.");
            }

            to = to > now ? now : to;
        }
        else
        {
            var days = query.Period switch
            {
                null or "30d" => 30,
                "7d" => 7,
                _ => -1,
            };
            if (days < 0)
            {
                return Error.Validation("period", "period is 7d or 30d (or give from and to).");
            }

            to = now;
            from = now.AddDays(-days);
        }

        LinkSourceType? type = null;
        if (query.SourceType is not null)
        {
            if (!LinkNames.TryParseType(query.SourceType, out var t))
            {
                return Error.Validation("sourceType", $"'{query.SourceType}' is not a link source type: use one of {string.Join(", ", Enum.GetNames<LinkSourceType>())}.");
            }

            type = t;
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var root = snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName) || snapshot.HasRole(caller, Role.CollectionAdmin, snapshot.RootName);
        if (!root && !snapshot.HasRoleAnywhere(caller, Role.DataSourceAdmin))
        {
            return Error.Forbidden("Link monitoring needs Data source admin on a collection (Data Factory and Synapse links: Data source admin or Collection admin on the root collection).");
        }

        var visible = (await links.ListAsync(cancellationToken))
            .Where(l => l.SourceType == LinkSourceType.OpenLineage ? snapshot.HasRole(caller, Role.DataSourceAdmin, l.Collection) : root)
            .Where(l => type is null || l.SourceType == type)
            .Where(l => query.SourceName is null || (l.SourceType == LinkSourceType.OpenLineage
                ? string.Equals(l.Name, query.SourceName, StringComparison.Ordinal)
                : string.Equals(l.Name, query.SourceName, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(l => l.SourceType).ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return (from, to, (IReadOnlyList<Link>)visible);
    }

    private static Error? Paging(int? top, int? skip) =>
        top is < 1 or > 1000 ? Error.Validation("top", "top is between 1 and 1000.")
        : skip is < 0 ? Error.Validation("skip", "skip is 0 or more.")
        : null;

    private static Result<IReadOnlyList<T>> Order<T>(IReadOnlyList<T> items, string? orderBy, Func<T, string> name, Func<T, string> type, Func<T, long> assets, Func<T, long> relationships, Func<T, DateTimeOffset?> last)
    {
        var text = (orderBy ?? "sourceName").Trim();
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var desc = parts.Length == 2 && string.Equals(parts[1], "desc", StringComparison.OrdinalIgnoreCase);
        if (parts.Length is 0 or > 2 || (parts.Length == 2 && !desc && !string.Equals(parts[1], "asc", StringComparison.OrdinalIgnoreCase)))
        {
            return Error.Validation("orderBy", $"orderBy is one of {string.Join(", ", OrderByFields)}, optionally followed by asc or desc.");
        }

        IOrderedEnumerable<T>? sorted = parts[0].ToUpperInvariant() switch
        {
            "SOURCENAME" or "NAME" => desc ? items.OrderByDescending(name, StringComparer.OrdinalIgnoreCase) : items.OrderBy(name, StringComparer.OrdinalIgnoreCase),
            "SOURCETYPE" => desc ? items.OrderByDescending(type, StringComparer.Ordinal) : items.OrderBy(type, StringComparer.Ordinal),
            "ASSETSINGESTED" or "ASSETS" => desc ? items.OrderByDescending(assets) : items.OrderBy(assets),
            "RELATIONSHIPSINGESTED" or "RELATIONSHIPS" => desc ? items.OrderByDescending(relationships) : items.OrderBy(relationships),
            "LASTRUNTIME" => desc ? items.OrderByDescending(last) : items.OrderBy(last),
            _ => null,
        };
        return sorted is null
            ? Error.Validation("orderBy", $"orderBy is one of {string.Join(", ", OrderByFields)}, optionally followed by asc or desc.")
            : Result<IReadOnlyList<T>>.Success(sorted.ThenBy(name, StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static bool TryParseTime(string? text, out DateTimeOffset value)
    {
        if (!string.IsNullOrEmpty(text) && text.Contains('T', StringComparison.Ordinal) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value) && value.Year is >= 2000 and <= 2200)
        {
            return true;
        }

        value = default;
        return false;
    }
}
