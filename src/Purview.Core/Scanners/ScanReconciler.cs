using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Core.Scanners;

/// <summary>An asset row of the data map as the reconciler needs it.</summary>
public sealed record CatalogEntry(string QualifiedName, bool IsResourceSet, bool Deleted);

/// <summary>A resource set as written to the data map: its pattern, its file count and size, the schema its sampled files showed.</summary>
public sealed record ResourceSetAsset(
    string QualifiedName,
    string Name,
    string Path,
    long FileCount,
    long Size,
    DateTimeOffset? LastModified,
    IReadOnlyList<AssetColumn> Columns,
    IReadOnlyList<string> Classifications);

/// <summary>
/// The scan engine's view of a data source's assets (implemented next to <see cref="IAssetSink"/>): the raw assets its
/// runs have seen (its inventory), its resource sets, and the assets marked deleted. Kept apart from the data map's
/// entities, so that ingestion writes each asset once and a run's end reads one data source, not the whole data map.
/// </summary>
public interface IAssetCatalog
{
    /// <summary>
    /// Every asset of a data source: the raw assets of its inventory, its resource sets, and the assets marked deleted
    /// (raw assets and resource sets). After an interrupted reconciliation a raw asset may come twice, live in the
    /// inventory and marked deleted: the reconciler settles it on its next pass.
    /// </summary>
    IAsyncEnumerable<CatalogEntry> ListAsync(string dataSourceName, CancellationToken cancellationToken);

    /// <summary>Marks the assets deleted (idempotent); an asset that cannot be written fails alone.</summary>
    Task<IngestResult> MarkDeletedAsync(string dataSourceName, ScanRunId runId, IReadOnlyList<string> qualifiedNames, CancellationToken cancellationToken);

    /// <summary>Upserts resource-set assets (idempotent); columns are replaced only when the set has some (an incremental run may sample none).</summary>
    Task<IngestResult> UpsertResourceSetsAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<ResourceSetAsset> sets, CancellationToken cancellationToken);

    /// <summary>
    /// Brings the data source's inventory of raw assets up to date after a run: adds <paramref name="present"/>, removes
    /// <paramref name="gone"/>, then clears the deletion marks of <paramref name="revived"/> (assets seen again; they are
    /// in <paramref name="present"/> too). Idempotent, and safe against another run of the same source updating it at once.
    /// </summary>
    Task UpdateInventoryAsync(string dataSourceName, IReadOnlyCollection<string> present, IReadOnlyCollection<string> revived, IReadOnlyCollection<string> gone, CancellationToken cancellationToken);
}

/// <summary>
/// The end of a run's ingestion: resource sets are written from the contributions of every staged page (exact: each
/// page counted its files once, whatever the retries), and assets of the scan's scope that the run did not see are
/// marked deleted, and the data source's inventory gets the raw assets the run staged. Runs from the staged pages and
/// the catalog only, so a repeat after a crash writes the same rows (the inventory is updated after the deletion marks,
/// and a mark is cleared after its asset is back in the inventory: an interruption anywhere leaves what the repeat needs).
/// Resource-set rows and deletions are not "assets ingested" (that counts raw files); their failures count as failed.
/// </summary>
public sealed class ScanReconciler(IStagingStore staging, IAssetCatalog catalog, IScanRegistry registry)
{
    public async Task<IngestResult> ReconcileAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var run = stored.Run;
        var seen = new HashSet<ulong>();
        var sets = new Dictionary<string, ResourceSetAsset>(StringComparer.Ordinal);
        var summaries = new ScanPageSummary?[stored.Checkpoint.PagesStaged];
        var staged = new string[]?[summaries.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, summaries.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (page, ct) =>
            {
                var content = await staging.ReadPageAsync(run.Id, page, ct);
                summaries[page] = content.Summary;
                staged[page] = content.Assets.Select(a => a.QualifiedName).ToArray();
            });
        if (summaries.Any(s => s is null))
        {
            // Pages staged without summaries (a run started before this step existed): nothing is known to reconcile.
            return new IngestResult(0, 0, []);
        }

        foreach (var summary in summaries)
        {
            seen.UnionWith(summary!.Seen);
            foreach (var c in summary.ResourceSets)
            {
                sets[c.QualifiedName] = sets.TryGetValue(c.QualifiedName, out var set) ? Merge(set, c) : ToAsset(c);
            }
        }

        var filter = await registry.GetFilterAsync(run.DataSourceName, run.ScanName, cancellationToken);
        var known = new Dictionary<string, KnownAsset>(StringComparer.Ordinal);
        await foreach (var entry in catalog.ListAsync(run.DataSourceName, cancellationToken))
        {
            known[entry.QualifiedName] = known.GetValueOrDefault(entry.QualifiedName).With(entry);
        }

        var deleted = new List<string>();
        var revived = new List<string>();
        foreach (var (name, asset) in known)
        {
            if (!filter.Includes(name))
            {
                continue;
            }

            var isSeen = asset.IsResourceSet ? sets.ContainsKey(name) : seen.Contains(ScanPageProcessor.Hash(name));
            if (!isSeen && asset.Live)
            {
                deleted.Add(name);
            }
            else if (isSeen && asset.Marked && !asset.IsResourceSet)
            {
                // Seen again after it was marked deleted (a resource set's mark is cleared by its upsert below).
                revived.Add(name);
            }
        }

        var marked = deleted.Count == 0 ? new IngestResult(0, 0, []) : await catalog.MarkDeletedAsync(run.DataSourceName, run.Id, deleted, cancellationToken);
        var written = sets.Count == 0 ? new IngestResult(0, 0, []) : await catalog.UpsertResourceSetsAsync(run.DataSourceName, run.CollectionName, run.Id, sets.Values.ToList(), cancellationToken);

        // An asset whose mark failed stays in the inventory, so that the next run marks it again.
        var unmarked = marked.Exceptions.Select(e => e.OperationItem).ToHashSet(StringComparer.Ordinal);
        var gone = deleted.Where(name => !known[name].IsResourceSet && !unmarked.Contains(name)).ToList();
        var present = staged.SelectMany(names => names!).Concat(revived).ToHashSet(StringComparer.Ordinal);
        await catalog.UpdateInventoryAsync(run.DataSourceName, present, revived, gone, cancellationToken);
        return new IngestResult(0, marked.Failed + written.Failed, [.. marked.Exceptions, .. written.Exceptions]);
    }

    /// <summary>What the catalog says of one name, over all its entries: live somewhere, marked deleted somewhere.</summary>
    private readonly record struct KnownAsset(bool Live, bool Marked, bool IsResourceSet)
    {
        public KnownAsset With(CatalogEntry entry) =>
            new(Live || !entry.Deleted, Marked || entry.Deleted, IsResourceSet || entry.IsResourceSet);
    }

    private static ResourceSetAsset ToAsset(ResourceSetContribution c) =>
        new(c.QualifiedName, c.Name, c.Path, c.Files, c.Size, c.LastModified, c.Columns, c.Classifications);

    private static ResourceSetAsset Merge(ResourceSetAsset a, ResourceSetContribution c)
    {
        var columns = a.Columns.ToDictionary(x => x.Name, StringComparer.Ordinal);
        foreach (var column in c.Columns)
        {
            columns[column.Name] = columns.TryGetValue(column.Name, out var known)
                ? known with { Classifications = known.Classifications.Union(column.Classifications, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() }
                : column;
        }

        return a with
        {
            FileCount = a.FileCount + c.Files,
            Size = a.Size + c.Size,
            LastModified = c.LastModified > a.LastModified || a.LastModified is null ? c.LastModified : a.LastModified,
            Columns = columns.Values.OrderBy(x => x.Name, StringComparer.Ordinal).ToList(),
            Classifications = a.Classifications.Union(c.Classifications, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
    }
}
