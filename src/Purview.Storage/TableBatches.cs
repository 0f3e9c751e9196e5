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

    private static List<TableEntity[]> Chunks(IEnumerable<TableEntity> rows) =>
        rows.GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.DistinctBy(e => e.RowKey, StringComparer.Ordinal).Chunk(TableConstants.MaxTransactionOperations))
            .ToList();
}
