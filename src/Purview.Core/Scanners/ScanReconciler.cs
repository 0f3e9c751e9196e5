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

/// <summary>The data map's side of reconciliation (implemented next to <see cref="IAssetSink"/>).</summary>
public interface IAssetCatalog
{
    /// <summary>Every asset row of a data source (raw assets and resource sets, deleted ones included).</summary>
    IAsyncEnumerable<CatalogEntry> ListAsync(string dataSourceName, CancellationToken cancellationToken);

    /// <summary>Marks the assets deleted (idempotent); an asset that cannot be written fails alone.</summary>
    Task<IngestResult> MarkDeletedAsync(string dataSourceName, ScanRunId runId, IReadOnlyList<string> qualifiedNames, CancellationToken cancellationToken);

    /// <summary>Upserts resource-set assets (idempotent); columns are replaced only when the set has some (an incremental run may sample none).</summary>
    Task<IngestResult> UpsertResourceSetsAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<ResourceSetAsset> sets, CancellationToken cancellationToken);
}

/// <summary>
/// The end of a run's ingestion: resource sets are written from the contributions of every staged page (exact: each
/// page counted its files once, whatever the retries), and assets of the scan's scope that the run did not see are
/// marked deleted. Runs from the staged pages and the data map only, so a repeat after a crash writes the same rows.
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
        await Parallel.ForEachAsync(Enumerable.Range(0, summaries.Length), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (page, ct) => summaries[page] = (await staging.ReadPageAsync(run.Id, page, ct)).Summary);
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
                sets[c.QualifiedName] = sets.TryGetValue(c.QualifiedName, out var known) ? Merge(known, c) : ToAsset(c);
            }
        }

        var filter = await registry.GetFilterAsync(run.DataSourceName, run.ScanName, cancellationToken);
        var deleted = new List<string>();
        await foreach (var entry in catalog.ListAsync(run.DataSourceName, cancellationToken))
        {
            if (entry.Deleted || !filter.Includes(entry.QualifiedName))
            {
                continue;
            }

            var present = entry.IsResourceSet ? sets.ContainsKey(entry.QualifiedName) : seen.Contains(ScanPageProcessor.Hash(entry.QualifiedName));
            if (!present)
            {
                deleted.Add(entry.QualifiedName);
            }
        }

        var marked = deleted.Count == 0 ? new IngestResult(0, 0, []) : await catalog.MarkDeletedAsync(run.DataSourceName, run.Id, deleted, cancellationToken);
        var written = sets.Count == 0 ? new IngestResult(0, 0, []) : await catalog.UpsertResourceSetsAsync(run.DataSourceName, run.CollectionName, run.Id, sets.Values.ToList(), cancellationToken);
        return new IngestResult(0, marked.Failed + written.Failed, [.. marked.Exceptions, .. written.Exceptions]);
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
