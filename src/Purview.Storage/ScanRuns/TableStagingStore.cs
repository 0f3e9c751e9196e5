using System.Globalization;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage.Client.Tables;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// Staged pages: PK = "{runId}|{page}" (one page of at most 1,000 assets per partition, so partitions stay small),
/// RK = the asset's index in the page. Written as upserts in transactions of 100: repeating a page overwrites it.
/// </summary>
public sealed class TableStagingStore(StorageLayout layout) : IStagingStore, IStorageUser
{
    private readonly TableClient _table = layout.Table("scanstaging");

    public async Task WritePageAsync(ScanRunId runId, int page, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var pk = Partition(runId, page);
        var batches = assets.Select((a, i) => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(pk, i.ToString("D5", CultureInfo.InvariantCulture))
        {
            ["Q"] = a.QualifiedName,
            ["N"] = a.Name,
            ["T"] = a.Type,
            ["S"] = a.Size,
            ["L"] = a.LastModified,
            ["P"] = a.Path,
        })).Chunk(100);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, ct) => await _table.SubmitTransactionAsync(batch, ct));
    }

    public async Task<IReadOnlyList<DiscoveredAsset>> ReadPageAsync(ScanRunId runId, int page, CancellationToken cancellationToken)
    {
        var list = new List<DiscoveredAsset>();
        await foreach (var e in _table.QueryAsync(TableFilter.PartitionKeyEquals(Partition(runId, page)), cancellationToken: cancellationToken))
        {
            list.Add(new DiscoveredAsset(e.GetString("Q")!, e.GetString("N") ?? string.Empty, e.GetString("T") ?? string.Empty, e.GetInt64("S") ?? 0, e.GetDateTimeOffset("L"), e.GetString("P") ?? string.Empty));
        }

        return list;
    }

    public async Task DeletePagesAsync(ScanRunId runId, int pageCount, CancellationToken cancellationToken)
    {
        for (var page = 0; page < pageCount; page++)
        {
            var keys = new List<TableEntity>();
            await foreach (var e in _table.QueryAsync(TableFilter.PartitionKeyEquals(Partition(runId, page)), [TableConstants.RowKey], cancellationToken: cancellationToken))
            {
                keys.Add(new TableEntity(e.PartitionKey, e.RowKey));
            }

            await Parallel.ForEachAsync(keys.Chunk(100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (batch, ct) =>
            {
                try
                {
                    await _table.SubmitTransactionAsync(batch.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, k)).ToList(), ct);
                }
                catch (Client.StorageException ex) when (ex.IsNotFound)
                {
                    // Another host cleaned up the same page first.
                }
            });
        }
    }

    private static string Partition(ScanRunId runId, int page) => runId + "|" + page.ToString("D6", CultureInfo.InvariantCulture);
}
