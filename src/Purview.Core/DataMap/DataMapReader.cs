// Atlas calls an entity's id "guid"; the reads keep that name.
#pragma warning disable CA1720
using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.DataMap;

/// <summary>
/// The Atlas reads of the data map, for one caller: an entity is readable by the Data readers of its collection (roles
/// inherited from ancestors); any other entity is reported as not found, and lineage and search leave it out. An
/// entity without a collection belongs to the root collection.
/// </summary>
public sealed class DataMapReader(IDataMap dataMap, IRollupStore rollups, AccessService access)
{
    public const int MaxDepth = 10;
    public const int MaxSearchLimit = 1000;

    public async Task<Result<DataMapEntity>> GetByGuidAsync(Principal caller, string guid, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(guid, out _))
        {
            return Error.Validation("guid", "guid must be an entity GUID.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        var entity = await dataMap.GetEntityByGuidAsync(guid, cancellationToken);
        return entity is not null && visible(entity) ? await WithRollupAsync(entity, cancellationToken) : Error.NotFound($"No entity with guid '{guid}'.");
    }

    public async Task<Result<DataMapEntity>> GetByUniqueAttributeAsync(Principal caller, string typeName, string? qualifiedName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(typeName) || typeName.Length > 256 || typeName.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
        {
            return Error.Validation("typeName", "typeName is 1-256 characters without control characters.");
        }

        if (string.IsNullOrEmpty(qualifiedName))
        {
            return Error.Validation("attr:qualifiedName", "The query parameter attr:qualifiedName (the entity's qualified name) is required.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        var entity = await dataMap.GetEntityByGuidAsync(DataMapIds.EntityGuid(typeName, qualifiedName), cancellationToken);
        return entity is not null && visible(entity) ? await WithRollupAsync(entity, cancellationToken) : Error.NotFound($"No {typeName} entity with qualifiedName '{qualifiedName}'.");
    }

    public async Task<Result<LineageGraph>> GetLineageAsync(Principal caller, string guid, LineageDirection direction, int depth, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(guid, out _))
        {
            return Error.Validation("guid", "guid must be an entity GUID.");
        }

        if (depth is < 0 or > MaxDepth)
        {
            return Error.Validation("depth", $"depth is a number of lineage hops from 0 to {MaxDepth}.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        var graph = await LineageWalk.RunAsync(dataMap, guid, direction, depth, visible, cancellationToken);
        if (graph is null)
        {
            return Error.NotFound($"No entity with guid '{guid}'.");
        }

        var summaries = await rollups.GetAsync(graph.Entities.Values.Where(MayRollUp).Select(e => e.Guid).ToList(), cancellationToken);
        return summaries.Count == 0 ? graph : graph with
        {
            Entities = graph.Entities.ToDictionary(kv => kv.Key, kv => summaries.TryGetValue(kv.Key, out var r) ? kv.Value with { Rollup = r } : kv.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>Processes (their runs) and rolled-up names (a pattern's placeholders: their raw paths) are the entities that have a rollup.</summary>
    private static bool MayRollUp(DataMapEntity e) => e.IsProcess || e.QualifiedName.Contains('{', StringComparison.Ordinal);

    private async Task<DataMapEntity> WithRollupAsync(DataMapEntity entity, CancellationToken cancellationToken)
    {
        if (!MayRollUp(entity))
        {
            return entity;
        }

        var summaries = await rollups.GetAsync([entity.Guid], cancellationToken);
        return summaries.TryGetValue(entity.Guid, out var r) ? entity with { Rollup = r } : entity;
    }

    public async Task<Result<DataMapSearchPage>> SearchAsync(Principal caller, DataMapQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > MaxSearchLimit)
        {
            return Error.Validation("limit", $"limit is 1 to {MaxSearchLimit}.");
        }

        var visible = await VisibilityAsync(caller, cancellationToken);
        try
        {
            return query.NeedsAllMatches ? await SearchAllAsync(query, visible, cancellationToken) : await dataMap.SearchAsync(query, visible, cancellationToken);
        }
        catch (FormatException)
        {
            return Error.Validation("continuationToken", "continuationToken is not one this service returned: pass the previous page's token as it was.");
        }
    }

    /// <summary>The most matches an ordered or faceted search reads (the data map has no index to sort or count with).</summary>
    public const int MaxOrderedMatches = 10_000;

    private const string OffsetTokenPrefix = "offset:";

    /// <summary>
    /// An ordered or faceted search: every match is read (bounded by <see cref="MaxOrderedMatches"/>), counted, faceted,
    /// sorted, and the page at the token's offset returned. Pages of one search are consistent only while the data map
    /// does not change between them (an offset, not a position).
    /// </summary>
    private async Task<Result<DataMapSearchPage>> SearchAllAsync(DataMapQuery query, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken)
    {
        var offset = 0;
        if (!string.IsNullOrEmpty(query.ContinuationToken))
        {
            var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(query.ContinuationToken));
            if (!text.StartsWith(OffsetTokenPrefix, StringComparison.Ordinal) ||
                !int.TryParse(text.AsSpan(OffsetTokenPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset))
            {
                throw new FormatException("Not an offset token.");
            }
        }

        var all = new List<DataMapEntity>();
        string? token = null;
        do
        {
            var page = await dataMap.SearchAsync(query with { Limit = MaxSearchLimit, ContinuationToken = token, OrderBy = null, Facets = null }, visible, cancellationToken);
            all.AddRange(page.Entities);
            token = page.ContinuationToken;
            if (all.Count > MaxOrderedMatches)
            {
                return Error.Validation(query.OrderBy is { Count: > 0 } ? "orderby" : "facets",
                    $"Ordering and facets read every match, and more than {MaxOrderedMatches:N0} entities match: narrow the filter or keywords, or search without orderby and facets.");
            }
        }
        while (token is not null);

        var facets = (query.Facets ?? []).ToDictionary(f => f.Facet, f => f.Compute(all), StringComparer.Ordinal);
        if (query.OrderBy is { Count: > 0 } order)
        {
            all.Sort(SearchOrder.Comparer(order));
        }

        var slice = all.Skip(offset).Take(query.Limit).ToList();
        var next = offset + slice.Count < all.Count
            ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(OffsetTokenPrefix + (offset + slice.Count).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            : null;
        return new DataMapSearchPage(slice, next, all.Count, facets.Count == 0 ? null : facets);
    }

    private async Task<Func<DataMapEntity, bool>> VisibilityAsync(Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var readable = snapshot.CollectionsWhere(caller, Role.DataReader);
        return e => readable.Contains(e.Collection ?? snapshot.RootName);
    }
}
