using System.Collections.Concurrent;

namespace Purview.Storage;

/// <summary>
/// Many rows written in entity-group transactions: grouped by partition, 100 per transaction, several transactions in
/// flight. Azurite and Azure both charge per request far more than per row, so this is how bulk ingestion stays cheap.
/// </summary>
internal static class TableBatches
{
    public const int Parallelism = 8;

    /// <summary>
    /// Inserts every row that does not exist yet; returns the keys of the rows that existed (nothing is written for them).
    /// A transaction that fails on an existing row is resubmitted without it, so a conflict costs one more request.
    /// </summary>
    public static async Task<IReadOnlySet<(string PartitionKey, string RowKey)>> AddMissingAsync(EntityTable table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var existing = new ConcurrentDictionary<(string, string), byte>();
        var chunks = Chunks(rows);
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            var pending = chunk.ToList();
            while (pending.Count > 0)
            {
                try
                {
                    if (pending.Count == 1)
                    {
                        await table.AddEntityAsync(pending[0], token);
                    }
                    else
                    {
                        await table.SubmitTransactionAsync(pending.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)).ToList(), token);
                    }

                    return;
                }
                catch (StorageException ex) when (ex.IsConflict && (pending.Count == 1 || ex.FailedOperationIndex is { } i && i >= 0 && i < pending.Count))
                {
                    var index = pending.Count == 1 ? 0 : ex.FailedOperationIndex!.Value;
                    existing.TryAdd((pending[index].PartitionKey, pending[index].RowKey), 0);
                    pending.RemoveAt(index);
                }
            }
        });
        return existing.Keys.ToHashSet();
    }

    /// <summary>Inserts or replaces every row.</summary>
    public static Task UpsertAllAsync(EntityTable table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Chunks(rows), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (chunk, token) =>
        {
            if (chunk.Length == 1)
            {
                await table.UpsertEntityAsync(chunk[0], TableUpdateMode.Replace, token);
            }
            else
            {
                await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList(), token);
            }
        });

    /// <summary>The columns a deletion needs: a query that only finds rows to delete selects these.</summary>
    public static readonly IReadOnlyList<string> KeyColumns = [TableConstants.PartitionKey, TableConstants.RowKey];

    /// <summary>
    /// Deletes every entity the query finds, selecting only the keys; see <see cref="DeleteAllAsync"/>.
    /// </summary>
    public static Task<int> DeleteWhereAsync(EntityTable table, string filter, CancellationToken cancellationToken) =>
        DeleteAllAsync(table, table.QueryAsync(filter, KeyColumns, pageSize: 1000, cancellationToken), cancellationToken);

    /// <summary>
    /// Deletes the given rows (their keys; every one must exist) in per-partition transactions of up to 100, sent one at
    /// a time as each fills, so that a long listing is never held whole; returns how many were deleted. Rows of one
    /// partition that number 100 or fewer go in one transaction: all are deleted or none.
    /// </summary>
    public static async Task<int> DeleteAllAsync(EntityTable table, IAsyncEnumerable<TableEntity> rows, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var pending = new Dictionary<string, List<TableTransactionAction>>(StringComparer.Ordinal);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (!pending.TryGetValue(row.PartitionKey, out var batch))
            {
                pending[row.PartitionKey] = batch = [];
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(row.PartitionKey, row.RowKey)));
            if (batch.Count == TableConstants.MaxTransactionOperations)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                deleted += batch.Count;
                pending.Remove(row.PartitionKey);
            }
        }

        foreach (var batch in pending.Values)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            deleted += batch.Count;
        }

        return deleted;
    }

    private static List<TableEntity[]> Chunks(IEnumerable<TableEntity> rows) =>
        rows.GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.DistinctBy(e => e.RowKey, StringComparer.Ordinal).Chunk(TableConstants.MaxTransactionOperations))
            .ToList();
}
