using System.Text;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// The data map's assets, keyed by qualified name: PK = "{ds}|{bucket}" with 16 buckets per data source (a stable hash
/// of the qualified name) so that one data source's assets spread over small partitions and a page of 1,000 is
/// written as about 16 transactions of up to 100 upserts. Upserts make a repeated page harmless.
/// </summary>
public sealed class TableAssetSink(StorageLayout layout, TimeProvider time) : IStorageUser
{
    public const int Buckets = 16;
    private readonly TableClient _table = layout.Table("datamapassets");

    public async Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var now = time.GetUtcNow();
        var batches = assets
            .GroupBy(a => a.QualifiedName, StringComparer.Ordinal).Select(g => g.Last())
            .GroupBy(a => Partition(dataSourceName, a.QualifiedName))
            .SelectMany(g => g.Chunk(100).Select(chunk => (Partition: g.Key, Assets: chunk)))
            .ToList();
        long succeeded = 0;
        long failed = 0;
        var exceptions = new List<ScanRunException>();
        // A name listed twice in one page is one asset written once; it still counts as ingested.
        var duplicates = assets.Count - batches.Sum(b => b.Assets.Length);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var actions = batch.Assets.Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(batch.Partition, RowKey(a.QualifiedName))
            {
                ["QualifiedName"] = a.QualifiedName,
                ["Name"] = a.Name,
                ["Type"] = a.Type,
                ["Size"] = a.Size,
                ["LastModified"] = a.LastModified,
                ["Path"] = a.Path,
                ["DataSource"] = dataSourceName,
                ["Collection"] = collectionName,
                ["LastRunId"] = runId.ToString(),
                ["UpdatedAt"] = now,
            })).ToList();
            try
            {
                await _table.SubmitTransactionAsync(actions, ct);
                Interlocked.Add(ref succeeded, actions.Count);
            }
            catch (StorageException ex) when (ex.Status is >= 400 and < 500 and not 408 and not 429)
            {
                // The service refused the items (too large, invalid): they fail, the rest of the run goes on.
                Interlocked.Add(ref failed, actions.Count);
                lock (exceptions)
                {
                    exceptions.AddRange(batch.Assets.Select(a => new ScanRunException(now, ex.ErrorCode ?? "IngestionRejected", a.QualifiedName, ex.ServiceMessage ?? ex.Message)));
                }
            }
        });
        return new IngestResult(succeeded + duplicates, failed, exceptions);
    }

    internal static string Partition(string dataSourceName, string qualifiedName) =>
        TableKeys.Escape(dataSourceName.ToLowerInvariant()) + "|" + (Fnv1a(qualifiedName) % Buckets).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    internal static string RowKey(string qualifiedName)
    {
        var key = TableKeys.Escape(qualifiedName);
        // Keys are at most 1 KiB: very long names keep a readable head and a hash of the whole.
        return key.Length <= 900 ? key : key[..800] + "~" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(qualifiedName)));
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }
}
