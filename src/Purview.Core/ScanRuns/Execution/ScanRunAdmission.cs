using Purview.Core.Registry;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// Admission of runs: the one admission record (read-modify-written over its ETag, retried on a conflict), planned
/// with the account's limit and each runtime's capacity, and every decision applied to its run (admitted runs start
/// and their orchestrations are woken through <see cref="IRunDriver"/>; the others become Queued or Throttled).
/// </summary>
public sealed class ScanRunAdmission(IScanRunStore store, IAdmissionStore admission, IScanRegistry registry, IRunDriver driver, ScanRunWriter writer, TimeProvider time)
{
    private const int MaxAdmissionAttempts = 50;

    /// <summary>Puts the run in the waiting list (if it is not known there yet), plans, and applies the decisions.</summary>
    public async Task AdmitAsync(ScanRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entry = new AdmissionEntry(run.Id.Value, run.IntegrationRuntimeName, run.CreatedAt, false);
        await ApplyAsync(await UpdateAsync(s => s.Request(entry), cancellationToken), cancellationToken);
    }

    /// <summary>The scan phase is over: the run's runtime slot goes to the next waiting run; ingestion keeps the account slot.</summary>
    public async Task ReleaseRuntimeSlotAsync(Guid runId, CancellationToken cancellationToken) =>
        await ApplyAsync(await UpdateAsync(s => s.ReleaseSlot(runId), cancellationToken), cancellationToken);

    /// <summary>Drops the run from admission and re-plans; the decisions still have to be applied (<see cref="ApplyAsync"/>).</summary>
    public Task<IReadOnlyList<AdmissionChange>> RemoveAsync(Guid runId, CancellationToken cancellationToken) =>
        UpdateAsync(s => s.Remove(runId), cancellationToken);

    /// <summary>Applies each decision to its run if it still waits (a guarded write each, retried on a conflict).</summary>
    public async Task ApplyAsync(IReadOnlyList<AdmissionChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var stored = await store.GetAsync(new ScanRunId(change.RunId), cancellationToken);
                if (stored is null || !stored.Run.IsWaiting)
                {
                    break;
                }

                var result = stored.Run.Admit(change.Decision, time.GetUtcNow());
                if (!result.IsApplied)
                {
                    break;
                }

                var saved = await writer.SaveAsync(stored, result.Run, stored.Checkpoint, cancellationToken);
                if (saved is null)
                {
                    continue;
                }

                if (change.Decision == AdmissionDecision.Admitted)
                {
                    await driver.WakeAsync(saved.Run.Id, cancellationToken);
                    await store.MarkEnqueuedAsync(saved.Run.Id, time.GetUtcNow(), cancellationToken);
                }

                break;
            }
        }
    }

    private async Task<IReadOnlyList<AdmissionChange>> UpdateAsync(Func<AdmissionState, AdmissionState> change, CancellationToken cancellationToken)
    {
        var settings = await registry.GetSettingsAsync(cancellationToken);
        AccountConcurrencyLimit.TryCreate(settings.MaxConcurrentScanRuns, out var limit);
        var slots = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var attempt = 0; attempt < MaxAdmissionAttempts; attempt++)
        {
            var (state, etag) = await admission.ReadAsync(cancellationToken);
            var changed = change(state);
            foreach (var runtime in changed.Waiting.Select(w => w.Runtime).Distinct(StringComparer.OrdinalIgnoreCase).Where(r => !slots.ContainsKey(r)).ToList())
            {
                var ir = await registry.GetIntegrationRuntimeAsync(runtime, cancellationToken);
                slots[runtime] = ir is null ? (string.Equals(runtime, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase) ? int.MaxValue / 2 : 0) : ir.Capacity;
            }

            var (planned, changes) = changed.Plan(limit, r => slots.GetValueOrDefault(r));
            if (await admission.TryWriteAsync(planned, etag, cancellationToken))
            {
                return changes;
            }

            // Jitter (not application time): writers that collided on the record should not collide again.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 10))), cancellationToken);
        }

        throw new InvalidOperationException("The admission record is too contended; the step will be retried.");
    }
}
