using Purview.Core.Jobs;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// Every 2 minutes (UTC): finds runs that no orchestration carries and hands them to one. The engine keeps an
/// orchestration going through crashes and restarts, but not what happens before it exists: a host that dies between
/// writing a new or newly admitted run and starting (or waking) its orchestration leaves a run nobody drives; an
/// orchestration that ended without finishing its run (retries of the failure step itself exhausted, an instance
/// terminated by hand) leaves one too. Cheap: it reads the small active-run index and the admission record, never the
/// runs table; waking a live orchestration is harmless.
/// </summary>
public sealed class ScanRunRepairJob(IScanRunStore store, IAdmissionStore admission, IRunDriver driver, ScanRunStepExecutor executor, ScanRunExecutionOptions options, TimeProvider time) : IScheduledJob
{
    public const string Cron = "0 */2 * * * *";

    public string Name => "scanrun-repair";

    public string Schedule => Cron;

    public TimeSpan CatchUpWindow => TimeSpan.FromMinutes(10);

    public Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) => RepairAsync(driver, cancellationToken);

    /// <summary>Returns how many runs were handed on or finished. <paramref name="runs"/> is the host's driver (the Functions app passes one over its Durable client).</summary>
    public async Task<int> RepairAsync(IRunDriver runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
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

            var recentlyWoken = entry.EnqueuedAt is { } at && now - at < options.LeaseTimeout;
            var idle = now - stored.TouchedAt >= options.LeaseTimeout;
            var needsStep = stored.Run.IsWaiting
                ? state.IsActive(stored.Run.Id.Value) || !state.IsWaiting(stored.Run.Id.Value) // admitted but not started, or unknown to admission
                : idle;
            if (needsStep && !recentlyWoken)
            {
                await runs.WakeAsync(stored.Run.Id, cancellationToken);
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
