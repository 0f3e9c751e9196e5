namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// The one guarded write of a run: replaces the run and its checkpoint over the ETag read, then - only when the write
/// applied - emits the run's metrics and counts its bucket change, so retries and replays never count twice.
/// </summary>
public sealed class ScanRunWriter(IScanRunStore store, IRunCounterStore counters, TimeProvider time)
{
    /// <summary>The run as saved, or null when another writer moved it on first (its write stands).</summary>
    public async Task<StoredRun?> SaveAsync(StoredRun stored, ScanRun next, ScanRunCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var saved = await store.TryUpdateAsync(stored, next, checkpoint, time.GetUtcNow(), cancellationToken);
        if (saved is not null)
        {
            Telemetry.PurviewTelemetry.RunSaved(stored.Run, saved.Run);
        }

        if (saved is not null && Monitoring.RunBuckets.Of(stored.Run) != Monitoring.RunBuckets.Of(saved.Run))
        {
            await counters.ApplyAsync(saved.Run, cancellationToken);
        }

        return saved;
    }

    /// <summary>Counts the run's current bucket (idempotent per run version: a final run counted again changes nothing).</summary>
    public Task CountAsync(ScanRun run, CancellationToken cancellationToken) => counters.ApplyAsync(run, cancellationToken);
}
