using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// The data map's assets, keyed by qualified name: PK = "{ds}|{bucket}" with 16 buckets per data source (a stable hash
/// of the qualified name) so that one data source's assets spread over small partitions and a page of 1,000 is
/// written as about 16 transactions of up to 100 upserts. Upserts make a repeated page harmless.
/// <para>
/// Rows carry the schema (<c>Columns</c>, JSON) and <c>Classifications</c> (JSON) the scan found, <c>ResourceSet</c> (the
/// set a file belongs to), <c>Deleted</c>/<c>DeletedAt</c> for assets a later run no longer saw, and for resource sets
/// <c>IsResourceSet</c> and <c>FileCount</c>. An asset that cannot be written fails alone: rows are checked against the
/// service's limits before they are sent, and a batch the service still refuses is retried one row at a time.
/// </para>
/// </summary>
public sealed class TableAssetCatalog(StorageLayout layout, TimeProvider time) : IAssetCatalog, IStorageUser
{
    public const int Buckets = 16;

    /// <summary>A string property holds at most 64 KiB of UTF-16; an entity at most 1 MiB (we keep a margin for the keys and names).</summary>
    public const int MaxStringProperty = 32 * 1024;
    public const int MaxEntityBytes = 960 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EntityTable _table = layout.Table("datamapassets");

    public async Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var now = time.GetUtcNow();
        var unique = assets.GroupBy(a => a.QualifiedName, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        // A name listed twice in one page is one asset written once; it still counts as ingested.
        var duplicates = assets.Count - unique.Count;
        var rows = new List<(string QualifiedName, TableEntity Entity)>(unique.Count);
        var refused = new List<ScanRunException>();
        foreach (var a in unique)
        {
            // The attributes kept in the data-map entity only are held to the same limits: the asset fails here, alone.
            if (Problem(new TableEntity { ["Type"] = a.Type, ["Path"] = a.Path }) is { } problem)
            {
                refused.Add(new ScanRunException(now, problem.Code, a.QualifiedName, problem.Message));
            }
            else
            {
                rows.Add((a.QualifiedName, ToEntity(dataSourceName, runId, a)));
            }
        }

        var result = await WriteAsync(rows, TableTransactionActionType.UpsertReplace, now, cancellationToken);
        return refused.Count == 0
            ? result with { Succeeded = result.Succeeded + duplicates }
            : new IngestResult(result.Succeeded + duplicates, result.Failed + refused.Count, [.. refused, .. result.Exceptions]);
    }

    public async IAsyncEnumerable<CatalogEntry> ListAsync(string dataSourceName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var bucket = 0; bucket < Buckets; bucket++)
        {
            var partition = TableKeys.Escape(dataSourceName.ToLowerInvariant()) + "|" + bucket.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
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

    private async Task<IngestResult> WriteAsync(List<(string QualifiedName, TableEntity Entity)> rows, TableTransactionActionType mode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var exceptions = new List<ScanRunException>();
        long failed = 0;
        var valid = new List<(string QualifiedName, TableEntity Entity)>(rows.Count);
        foreach (var row in rows)
        {
            if (Problem(row.Entity) is { } problem)
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

    /// <summary>
    /// The scan engine's row of a raw asset: what runs need (name, resource set, last run) and the schema it found. The
    /// asset's other attributes (type, size, path, times, collection) live once, in its data-map entity (dmscanned):
    /// every property here is paid for twice per asset on each Full scan.
    /// </summary>
    private static TableEntity ToEntity(string dataSourceName, ScanRunId runId, DiscoveredAsset a)
    {
        var entity = new TableEntity(Partition(dataSourceName, a.QualifiedName), RowKey(a.QualifiedName))
        {
            ["QualifiedName"] = a.QualifiedName,
            ["Name"] = a.Name,
            ["DataSource"] = dataSourceName,
            ["ResourceSet"] = a.ResourceSet,
            ["LastRunId"] = runId.ToString(),
        };
        if (a.Columns.Count > 0)
        {
            entity["Columns"] = JsonSerializer.Serialize(a.Columns, Json);
        }

        if (a.Classifications.Count > 0)
        {
            entity["Classifications"] = JsonSerializer.Serialize(a.Classifications, Json);
        }

        return entity;
    }

    /// <summary>Why the service would refuse this row (checked before sending, so the row fails alone), or null.</summary>
    internal static (string Code, string Message)? Problem(TableEntity entity)
    {
        long bytes = 0;
        foreach (var (name, value) in entity)
        {
            if (value is not string text)
            {
                bytes += name.Length * 2 + 16;
                continue;
            }

            if (text.Length > MaxStringProperty)
            {
                return ("PropertyValueTooLarge", $"The asset's {name} is {text.Length:N0} characters; the data map stores at most {MaxStringProperty:N0} per property.");
            }

            if (!IsWellFormed(text))
            {
                return ("InvalidInput", $"The asset's {name} is not valid Unicode (an unpaired surrogate).");
            }

            bytes += (name.Length + text.Length) * 2;
        }

        return bytes > MaxEntityBytes ? ("EntityTooLarge", $"The asset's metadata is about {bytes / 1024:N0} KiB; the data map stores at most {MaxEntityBytes / 1024:N0} KiB per asset.") : null;
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
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
