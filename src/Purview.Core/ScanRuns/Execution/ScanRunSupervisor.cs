namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// The supervisor of the Scheduler Agent Supervisor pattern: finds runs whose step chain broke (a host died between
/// a write and the next enqueue, a message was lost) and re-enqueues them. Cheap: it reads the small active-run
/// index and the admission record, never the runs table.
/// </summary>
public sealed class ScanRunSupervisor(IScanRunStore store, IAdmissionStore admission, IStepQueue queue, ScanRunStepExecutor executor, ScanRunExecutionOptions options, TimeProvider time)
{
    /// <summary>Returns how many runs were re-enqueued or finished.</summary>
    public async Task<int> SuperviseAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (state, _) = await admission.ReadAsync(cancellationToken);
        var active = await store.ListActiveAsync(cancellationToken);
        var known = active.Select(a => a.RunId.Value).ToHashSet();
        var repaired = 0;
        foreach (var entry in active)
        {
            var stored = await store.GetAsync(entry.RunId, cancellationToken);
            if (stored is null)
            {
                await store.RemoveActiveAsync(entry.RunId, cancellationToken);
                continue;
            }

            if (stored.Run.IsFinal)
            {
                await executor.FinishAsync(stored, cancellationToken);
                repaired++;
                continue;
            }

            var recentlyEnqueued = entry.EnqueuedAt is { } at && now - at < options.LeaseTimeout;
            var idle = now - stored.TouchedAt >= options.LeaseTimeout;
            var needsStep = stored.Run.IsWaiting
                ? state.IsActive(stored.Run.Id.Value) || !state.IsWaiting(stored.Run.Id.Value) // admitted but not started, or unknown to admission
                : idle;
            if (needsStep && !recentlyEnqueued)
            {
                await queue.EnqueueAsync(new StepMessage(stored.Run.Id.Value, stored.Sequence), null, cancellationToken);
                await store.MarkEnqueuedAsync(stored.Run.Id, now, cancellationToken);
                repaired++;
            }
        }

        // Admission entries of runs that are gone or final hold slots nobody will release otherwise.
        foreach (var orphan in state.Active.Concat(state.Waiting).Where(e => !known.Contains(e.RunId)).ToList())
        {
            var stored = await store.GetAsync(new ScanRunId(orphan.RunId), cancellationToken);
            if (stored is null || stored.Run.IsFinal)
            {
                if (stored is not null)
                {
                    await executor.FinishAsync(stored, cancellationToken);
                }
                else
                {
                    await executor.ReleaseUnknownAsync(orphan.RunId, cancellationToken);
                }

                repaired++;
            }
        }

        return repaired;
    }
}
