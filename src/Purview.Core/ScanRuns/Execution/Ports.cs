using Purview.Core.Monitoring;
using Purview.Core.Scanners;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// A run as stored: the run, its checkpoint, the storage ETag guarding the next write, and <see cref="Sequence"/>,
/// which grows by one on every write (also checkpoint-only ones) and is what step messages carry.
/// </summary>
public sealed record StoredRun(ScanRun Run, ScanRunCheckpoint Checkpoint, string ETag, long Sequence, DateTimeOffset TouchedAt);

/// <summary>A run that is not final yet, as the repair job sees it.</summary>
public sealed record ActiveRunEntry(ScanRunId RunId, DateTimeOffset? EnqueuedAt);

public sealed record RunHistoryPage(IReadOnlyList<ScanRunId> RunIds, string? ContinuationToken);

public interface IScanRunStore
{
    /// <summary>Inserts the run; when a run with this id exists nothing is written and the existing one is returned.</summary>
    Task<(StoredRun Run, bool Created)> CreateAsync(ScanRun run, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Writes the history and active-run index entries of a run (idempotent; repeated after a crash or a repeated PUT).</summary>
    Task EnsureIndexedAsync(ScanRun run, CancellationToken cancellationToken);

    Task<StoredRun?> GetAsync(ScanRunId id, CancellationToken cancellationToken);

    /// <summary>Writes the run and checkpoint if nobody wrote since <paramref name="current"/> was read; null when someone did.</summary>
    Task<StoredRun?> TryUpdateAsync(StoredRun current, ScanRun run, ScanRunCheckpoint checkpoint, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Run ids of one scan, newest first.</summary>
    Task<RunHistoryPage> ListHistoryAsync(string dataSourceName, string scanName, int top, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Run ids of every scan of a data source, newest first, at most <paramref name="top"/>.</summary>
    Task<IReadOnlyList<ScanRunId>> ListDataSourceHistoryAsync(string dataSourceName, int top, CancellationToken cancellationToken);

    Task<IReadOnlyList<ActiveRunEntry>> ListActiveAsync(CancellationToken cancellationToken);

    Task MarkEnqueuedAsync(ScanRunId id, DateTimeOffset at, CancellationToken cancellationToken);

    Task RemoveActiveAsync(ScanRunId id, CancellationToken cancellationToken);
}

/// <summary>The account's admission record, read and written as one ETag-guarded entity.</summary>
public interface IAdmissionStore
{
    Task<(AdmissionState State, string? ETag)> ReadAsync(CancellationToken cancellationToken);

    /// <summary>False when the record changed since it was read (<paramref name="etag"/> null: it must not exist yet).</summary>
    Task<bool> TryWriteAsync(AdmissionState state, string? etag, CancellationToken cancellationToken);
}

/// <summary>One page of the scan phase's results, as staged for ingestion (samples are never staged).</summary>
public sealed record StagedPage(IReadOnlyList<DiscoveredAsset> Assets, IReadOnlyList<DiscoveredRelationship> Relationships)
{
    /// <summary>What the scan phase saw on this page beyond what it stages for ingestion (see <see cref="ScanPageProcessor"/>).</summary>
    public ScanPageSummary? Summary { get; init; }
}

/// <summary>Discovered assets between the scan phase and ingestion, a page at a time.</summary>
public interface IStagingStore
{
    /// <summary>Idempotent: writing the same page again overwrites it.</summary>
    Task WritePageAsync(ScanRunId runId, int page, StagedPage content, CancellationToken cancellationToken);

    Task<StagedPage> ReadPageAsync(ScanRunId runId, int page, CancellationToken cancellationToken);

    Task DeletePagesAsync(ScanRunId runId, int pageCount, CancellationToken cancellationToken);
}

public sealed record IngestResult(long Succeeded, long Failed, IReadOnlyList<ScanRunException> Exceptions);

/// <summary>Where ingestion writes assets and relationships: the data map.</summary>
public interface IAssetSink
{
    /// <summary>Upserts (idempotent by qualified name) the assets of one data source.</summary>
    Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a staged page's relationships (after its assets), idempotently: relationship ids are derived from their
    /// kind and ends, so a repeated page writes the same rows. A relationship whose ends cannot be resolved fails alone.
    /// </summary>
    Task<IngestResult> UpsertRelationshipsAsync(string dataSourceName, string collectionName, ScanRunId runId, StagedPage page, CancellationToken cancellationToken);
}

public interface IScanRunExceptionLog
{
    /// <summary>Idempotent per (run, page, index): a retried page does not duplicate its lines.</summary>
    Task AppendAsync(ScanRunId runId, int page, IReadOnlyList<ScanRunException> entries, CancellationToken cancellationToken);

    IAsyncEnumerable<ScanRunException> ReadAsync(ScanRunId runId, CancellationToken cancellationToken);
}

/// <summary>
/// What drives a run's steps: its Durable orchestration. "Wake run X" starts X's orchestration (instance id = run id),
/// wakes it when it waits for admission, or starts it again when it ended while X is not final.
/// </summary>
public interface IRunDriver
{
    Task WakeAsync(ScanRunId runId, CancellationToken cancellationToken);
}

/// <summary>
/// A host that drives no runs itself (the Functions app, whose orchestrations poll admission on their own; a test
/// host that steps runs by hand): waking is left to the orchestration's next try.
/// </summary>
public sealed class NoRunDriver : IRunDriver
{
    public Task WakeAsync(ScanRunId runId, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Counts per (source kind, bucket) for one day of one collection.</summary>
public sealed record DayKindCount(DateOnly Day, string SourceKind, RunBucket Bucket, long Count);

/// <summary>Counts per (data source, scan, bucket) for one day of one collection.</summary>
public sealed record DayScanCount(string Collection, DateOnly Day, string DataSourceName, string ScanName, string SourceKind, RunBucket Bucket, long Count);

/// <summary>The latest run of a scan created on one day.</summary>
public sealed record LastRun(string Collection, string DataSourceName, string ScanName, string SourceKind, Guid RunId, RunBucket Bucket, DateTimeOffset CreatedAt);

/// <summary>Monitoring counters maintained as runs change bucket, read without scanning runs.</summary>
public interface IRunCounterStore
{
    /// <summary>Counts the run in its current bucket exactly once (see <see cref="RunCounterRules"/>).</summary>
    Task ApplyAsync(ScanRun run, CancellationToken cancellationToken);

    Task<IReadOnlyList<DayKindCount>> ReadKindCountsAsync(IReadOnlyCollection<string> collections, IReadOnlyList<DateOnly> days, string? sourceKind, CancellationToken cancellationToken);

    Task<(IReadOnlyList<DayScanCount> Counts, IReadOnlyList<LastRun> LastRuns)> ReadScanCountsAsync(IReadOnlyCollection<string> collections, IReadOnlyList<DateOnly> days, CancellationToken cancellationToken);

    /// <summary>
    /// Rewrites every derived summary row of these (collection, day) pairs that disagrees with the authoritative
    /// counters (a host that died between the two writes leaves its rollup behind); returns how many it rewrote.
    /// </summary>
    Task<int> RepairRollupsAsync(IReadOnlyCollection<string> collections, IReadOnlyList<DateOnly> days, CancellationToken cancellationToken);
}
