using System.IO.Compression;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Purview.Core.Scanners;
using Purview.Storage.DataMap;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// The scan engine's view of each data source (<see cref="IAssetCatalog"/>), apart from the data map's entities
/// (<c>dmscanned</c>, which ingestion writes once per asset):
/// <list type="bullet">
/// <item>the <b>inventory</b>: the qualified names of the raw assets runs have seen, as gzipped JSON blobs
/// <c>{ds}/{bucket}.json.gz</c> (16 buckets per data source, a stable hash of the name), updated once per run at its end
/// under the blob's ETag. 50,000 names are 16 blob reads and writes, where a row per asset cost 50,000 entity writes on
/// every Full scan;</item>
/// <item>table rows, PK = "{ds}|{bucket}", RK = the name: resource sets (<c>IsResourceSet</c>, <c>FileCount</c>, schema),
/// and deletion marks (<c>Deleted</c>, <c>DeletedAt</c>) of assets a later run no longer saw. Rows a version before the
/// inventory wrote for raw assets are still read as entries, and marked or dropped like any other.</item>
/// </list>
/// An asset that cannot be written fails alone: rows are checked against the service's limits before they are sent,
/// and a batch the service still refuses is retried one row at a time.
/// </summary>
public sealed class TableAssetCatalog(StorageLayout layout, TimeProvider time) : IAssetCatalog, IStorageUser
{
    public const int Buckets = 16;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EntityTable _table = layout.Table("datamapassets");
    private readonly BlobContainerClient _inventory = layout.Container("scaninventory");

    public async IAsyncEnumerable<CatalogEntry> ListAsync(string dataSourceName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            var (names, _) = await ReadInventoryAsync(dataSourceName, bucket, cancellationToken);
            foreach (var name in names)
            {
                yield return new CatalogEntry(name, IsResourceSet: false, Deleted: false);
            }

            var partition = TableKeys.Escape(dataSourceName.ToLowerInvariant()) + "|" + bucket.ToString("D2", CultureInfo.InvariantCulture);
            await foreach (var e in _table.QueryAsync(TableFilter.PartitionKeyEquals(partition), select: ["QualifiedName", "IsResourceSet", "Deleted"], cancellationToken: cancellationToken))
            {
                yield return new CatalogEntry(e.GetString("QualifiedName") ?? string.Empty, e.GetBoolean("IsResourceSet") ?? false, e.GetBoolean("Deleted") ?? false);
            }
        }
    }

    public Task<IngestResult> MarkDeletedAsync(string dataSourceName, ScanRunId runId, IReadOnlyList<string> qualifiedNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(qualifiedNames);
        var now = time.GetUtcNow();
        var rows = qualifiedNames.Distinct(StringComparer.Ordinal).Select(q => (q, new TableEntity(Partition(dataSourceName, q), RowKey(q))
        {
            // A raw asset of the inventory has no row yet: the mark names it.
            ["QualifiedName"] = q,
            ["DataSource"] = dataSourceName,
            ["Deleted"] = true,
            ["DeletedAt"] = now,
            ["LastRunId"] = runId.ToString(),
            ["UpdatedAt"] = now,
        })).ToList();
        return WriteAsync(rows, TableTransactionActionType.UpsertMerge, now, cancellationToken);
    }

    public Task<IngestResult> UpsertResourceSetsAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<ResourceSetAsset> sets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var now = time.GetUtcNow();
        var rows = sets.Select(s =>
        {
            var entity = new TableEntity(Partition(dataSourceName, s.QualifiedName), RowKey(s.QualifiedName))
            {
                ["QualifiedName"] = s.QualifiedName,
                ["Name"] = s.Name,
                ["Type"] = ResourceSetPattern.ResourceSetType,
                ["Size"] = s.Size,
                ["LastModified"] = s.LastModified,
                ["Path"] = s.Path,
                ["DataSource"] = dataSourceName,
                ["Collection"] = collectionName,
                ["IsResourceSet"] = true,
                ["FileCount"] = s.FileCount,
                ["Deleted"] = false,
                ["LastRunId"] = runId.ToString(),
                ["UpdatedAt"] = now,
            };
            if (s.Columns.Count > 0)
            {
                entity["Columns"] = JsonSerializer.Serialize(s.Columns, Json);
                entity["Classifications"] = JsonSerializer.Serialize(s.Classifications, Json);
            }

            return (s.QualifiedName, entity);
        }).ToList();
        // Merge: an incremental run that sampled no file of a set keeps the schema an earlier run found.
        return WriteAsync(rows, TableTransactionActionType.UpsertMerge, now, cancellationToken);
    }

    public async Task UpdateInventoryAsync(string dataSourceName, IReadOnlyCollection<string> present, IReadOnlyCollection<string> revived, IReadOnlyCollection<string> gone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(present);
        ArgumentNullException.ThrowIfNull(revived);
        ArgumentNullException.ThrowIfNull(gone);
        var added = present.ToLookup(Bucket);
        var removed = gone.ToLookup(Bucket);
        var buckets = added.Select(g => g.Key).Union(removed.Select(g => g.Key)).ToList();
        await Parallel.ForEachAsync(buckets, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (bucket, ct) => await UpdateBucketAsync(dataSourceName, bucket, added[bucket], removed[bucket], ct));

        // Marks go last: an asset is back in the inventory before its mark is cleared, so a crash in between leaves
        // both, which the next reconciliation settles.
        await Parallel.ForEachAsync(revived.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (name, ct) => await _table.DeleteEntityIfExistsAsync(Partition(dataSourceName, name), RowKey(name), cancellationToken: ct));
    }

    private async Task UpdateBucketAsync(string dataSourceName, int bucket, IEnumerable<string> added, IEnumerable<string> removed, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (names, etag) = await ReadInventoryAsync(dataSourceName, bucket, cancellationToken);
            var next = new SortedSet<string>(names, StringComparer.Ordinal);
            next.UnionWith(added);
            next.ExceptWith(removed);
            if (next.SetEquals(names))
            {
                return;
            }

            using var buffer = new MemoryStream();
            await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await JsonSerializer.SerializeAsync(gzip, next, Json, cancellationToken);
            }

            buffer.Position = 0;
            // Only over the version read (or only if there is none yet): another run's update in between is not lost.
            var conditions = etag is { } known ? new BlobRequestConditions { IfMatch = known } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                await StorageErrors.Run(ct => _inventory.GetBlobClient(InventoryBlob(dataSourceName, bucket)).UploadAsync(buffer, new BlobUploadOptions { Conditions = conditions }, ct), cancellationToken);
                return;
            }
            catch (StorageException ex) when ((ex.IsPreconditionFailed || ex.IsConflict) && attempt < 20)
            {
                // Someone else updated this bucket first: apply the change to what they wrote.
            }
        }
    }

    private async Task<(IReadOnlyList<string> Names, ETag? ETag)> ReadInventoryAsync(string dataSourceName, int bucket, CancellationToken cancellationToken)
    {
        try
        {
            using var download = (await StorageErrors.Run(ct => _inventory.GetBlobClient(InventoryBlob(dataSourceName, bucket)).DownloadStreamingAsync(cancellationToken: ct), cancellationToken)).Value;
            await using var gzip = new GZipStream(download.Content, CompressionMode.Decompress);
            var names = await JsonSerializer.DeserializeAsync<List<string>>(gzip, Json, cancellationToken) ?? [];
            return (names, download.Details.ETag);
        }
        catch (StorageException ex) when (ex.IsNotFound)
        {
            return ([], null);
        }
    }

    private static string InventoryBlob(string dataSourceName, int bucket) =>
        dataSourceName.ToLowerInvariant() + "/" + bucket.ToString("D2", CultureInfo.InvariantCulture) + ".json.gz";

    private static int Bucket(string qualifiedName) => (int)(Fnv1a(qualifiedName) % Buckets);

    private async Task<IngestResult> WriteAsync(List<(string QualifiedName, TableEntity Entity)> rows, TableTransactionActionType mode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var exceptions = new List<ScanRunException>();
        long failed = 0;
        var valid = new List<(string QualifiedName, TableEntity Entity)>(rows.Count);
        foreach (var row in rows)
        {
            if (AssetLimits.Problem(row.Entity) is { } problem)
            {
                failed++;
                exceptions.Add(new ScanRunException(now, problem.Code, row.QualifiedName, problem.Message));
            }
            else
            {
                valid.Add(row);
            }
        }

        var batches = valid.GroupBy(r => r.Entity.PartitionKey).SelectMany(g => g.Chunk(100)).ToList();
        long succeeded = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            try
            {
                await _table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(mode, r.Entity)).ToList(), ct);
                Interlocked.Add(ref succeeded, batch.Length);
                return;
            }
            catch (StorageException ex) when (IsRejection(ex) && batch.Length > 1)
            {
                // One row spoiled the transaction: write them one by one so only that row fails.
            }
            catch (StorageException ex) when (IsRejection(ex))
            {
                Reject(batch[0].QualifiedName, ex);
                return;
            }

            foreach (var row in batch)
            {
                try
                {
                    await _table.SubmitTransactionAsync([new TableTransactionAction(mode, row.Entity)], ct);
                    Interlocked.Increment(ref succeeded);
                }
                catch (StorageException ex) when (IsRejection(ex))
                {
                    Reject(row.QualifiedName, ex);
                }
            }
        });
        return new IngestResult(succeeded, failed, exceptions);

        void Reject(string qualifiedName, StorageException ex)
        {
            Interlocked.Increment(ref failed);
            lock (exceptions)
            {
                exceptions.Add(new ScanRunException(now, ex.ErrorCode ?? "IngestionRejected", qualifiedName, ex.ServiceMessage ?? ex.Message));
            }
        }
    }

    private static bool IsRejection(StorageException ex) => ex.Status is >= 400 and < 500 and not 408 and not 429;

    internal static string Partition(string dataSourceName, string qualifiedName) =>
        TableKeys.Escape(dataSourceName.ToLowerInvariant()) + "|" + Bucket(qualifiedName).ToString("D2", CultureInfo.InvariantCulture);

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
