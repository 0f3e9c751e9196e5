using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// Runs: one entity per run, PK = run id (point reads, tiny partitions), the run and its checkpoint as JSON, written
/// with the ETag read. History: an immutable index PK = "{ds}|{scan}", RK = reverse creation ticks + id (newest
/// first), written at creation. Active runs: one small partition of the runs not final yet, for the repair job.
/// </summary>
public sealed class TableScanRunStore(StorageLayout layout) : IScanRunStore, IStorageUser
{
    private const string RunRowKey = "run";
    private const string ActivePartition = "a";
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly EntityTable _runs = layout.Table("scanruns");
    private readonly EntityTable _history = layout.Table("scanrunhistory");
    private readonly EntityTable _active = layout.Table("scanrunactive");

    public async Task<(StoredRun Run, bool Created)> CreateAsync(ScanRun run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = ToEntity(run, ScanRunCheckpoint.Start, 1, now);
        try
        {
            var etag = await _runs.AddEntityAsync(entity, cancellationToken);
            return (new StoredRun(run, ScanRunCheckpoint.Start, etag.ToString(), 1, now), true);
        }
        catch (StorageException ex) when (ex.IsConflict)
        {
            var existing = await GetAsync(run.Id, cancellationToken) ?? throw new InvalidOperationException($"Run {run.Id} exists and cannot be read.", ex);
            return (existing, false);
        }
    }

    public async Task EnsureIndexedAsync(ScanRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var history = new TableEntity(HistoryPartition(run.DataSourceName, run.ScanName), TableKeys.ReverseTicks(run.CreatedAt) + "|" + run.Id)
        {
            ["RunId"] = run.Id.ToString(),
            ["CreatedAt"] = run.CreatedAt,
        };
        await _history.UpsertEntityAsync(history, TableUpdateMode.Replace, cancellationToken);
        if (!run.IsFinal)
        {
            await _active.UpsertEntityAsync(new TableEntity(ActivePartition, run.Id.ToString()) { ["CreatedAt"] = run.CreatedAt }, TableUpdateMode.Merge, cancellationToken);
        }
    }

    public async Task<StoredRun?> GetAsync(ScanRunId id, CancellationToken cancellationToken)
    {
        var entity = await _runs.GetEntityOrDefaultAsync(id.ToString(), RunRowKey, cancellationToken: cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async Task<StoredRun?> TryUpdateAsync(StoredRun current, ScanRun run, ScanRunCheckpoint checkpoint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var sequence = current.Sequence + 1;
        var entity = ToEntity(run, checkpoint, sequence, now);
        try
        {
            var etag = await _runs.UpdateEntityAsync(entity, new ETag(current.ETag), TableUpdateMode.Replace, cancellationToken);
            return new StoredRun(run, checkpoint, etag.ToString(), sequence, now);
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed || ex.IsNotFound)
        {
            return null;
        }
    }

    public async Task<RunHistoryPage> ListHistoryAsync(string dataSourceName, string scanName, int top, string? continuationToken, CancellationToken cancellationToken)
    {
        var page = await _history.QueryPageAsync(TableFilter.PartitionKeyEquals(HistoryPartition(dataSourceName, scanName)), ["RunId"], Math.Clamp(top, 1, 1000), continuationToken, cancellationToken);
        return new RunHistoryPage(page.Items.Select(e => new ScanRunId(Guid.Parse(e.GetString("RunId")!))).ToList(), page.ContinuationToken);
    }

    public async Task<IReadOnlyList<ScanRunId>> ListDataSourceHistoryAsync(string dataSourceName, int top, CancellationToken cancellationToken)
    {
        // Every scan's partition of the data source; each is newest first, so its first `top` rows are enough.
        var prefix = TableKeys.Escape(dataSourceName.ToLowerInvariant()) + "|";
        var filter = TableFilter.And(
            TableFilter.Compare(TableConstants.PartitionKey, "ge", prefix),
            TableFilter.Compare(TableConstants.PartitionKey, "lt", prefix[..^1] + "}"));
        var rows = new List<(string RowKey, ScanRunId Id)>();
        var perPartition = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var e in _history.QueryAsync(filter, ["PartitionKey", "RowKey", "RunId"], cancellationToken: cancellationToken))
        {
            var seen = perPartition.GetValueOrDefault(e.PartitionKey);
            if (seen < top)
            {
                perPartition[e.PartitionKey] = seen + 1;
                rows.Add((e.RowKey, new ScanRunId(Guid.Parse(e.GetString("RunId")!))));
            }
        }

        return rows.OrderBy(r => r.RowKey, StringComparer.Ordinal).Take(top).Select(r => r.Id).ToList();
    }

    public async Task<IReadOnlyList<ActiveRunEntry>> ListActiveAsync(CancellationToken cancellationToken)
    {
        var list = new List<ActiveRunEntry>();
        await foreach (var e in _active.QueryAsync(TableFilter.PartitionKeyEquals(ActivePartition), cancellationToken: cancellationToken))
        {
            list.Add(new ActiveRunEntry(new ScanRunId(Guid.Parse(e.RowKey)), e.GetDateTimeOffset("EnqueuedAt")));
        }

        return list;
    }

    public Task MarkEnqueuedAsync(ScanRunId id, DateTimeOffset at, CancellationToken cancellationToken) =>
        _active.UpsertEntityAsync(new TableEntity(ActivePartition, id.ToString()) { ["EnqueuedAt"] = at }, TableUpdateMode.Merge, cancellationToken);

    public Task RemoveActiveAsync(ScanRunId id, CancellationToken cancellationToken) =>
        _active.DeleteEntityIfExistsAsync(ActivePartition, id.ToString(), cancellationToken: cancellationToken);

    private static string HistoryPartition(string dataSourceName, string scanName) =>
        TableKeys.Escape(dataSourceName.ToLowerInvariant()) + "|" + TableKeys.Escape(scanName.ToLowerInvariant());

    private static TableEntity ToEntity(ScanRun run, ScanRunCheckpoint checkpoint, long sequence, DateTimeOffset now) =>
        new(run.Id.ToString(), RunRowKey)
        {
            ["Run"] = JsonSerializer.Serialize(run, Json),
            ["Checkpoint"] = JsonSerializer.Serialize(checkpoint, Json),
            ["Sequence"] = sequence,
            ["TouchedAt"] = now,
            ["DataSource"] = run.DataSourceName,
            ["Scan"] = run.ScanName,
            ["Collection"] = run.CollectionName,
            ["Status"] = run.Status.ToString(),
            ["Version"] = run.Version,
        };

    private static StoredRun FromEntity(TableEntity e)
    {
        var run = JsonSerializer.Deserialize<ScanRun>(e.GetString("Run")!, Json)!;
        var checkpoint = JsonSerializer.Deserialize<ScanRunCheckpoint>(e.GetString("Checkpoint")!, Json)!;
        return new StoredRun(run, checkpoint, e.ETag.ToString(), e.GetInt64("Sequence") ?? 1, e.GetDateTimeOffset("TouchedAt") ?? run.LastUpdatedAt);
    }
}
