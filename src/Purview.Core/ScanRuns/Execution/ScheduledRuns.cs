using Purview.Core.Registry;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// The timer job (every minute): starts a Scheduled run for every trigger that became due since the previous tick
/// (looking back <see cref="LookBack"/> so a missed tick or a restart does not lose a due time). The run id is derived
/// from (data source, scan, due time) under the deployment's secret key, so several hosts ticking together, or a tick
/// repeated after a restart, start the run once: the later PUTs find it and do nothing. An id already used by a run of
/// another scan (which only a leaked key or chance can cause) moves to the next derived candidate: a due run is never skipped.
/// </summary>
public sealed class ScheduledRuns(IScanRegistry registry, ScanRunService runs, IScheduleKeyStore keys, TimeProvider time)
{
    public static readonly TimeSpan LookBack = TimeSpan.FromMinutes(5);

    // Candidates per due time; each is taken elsewhere only if someone holds the key, so a few are plenty.
    private const int Candidates = 8;

    /// <summary>Returns the runs this call created (not those another host created first).</summary>
    public async Task<IReadOnlyList<ScanRunId>> StartDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var key = await keys.GetAsync(cancellationToken);
        var started = new List<ScanRunId>();
        foreach (var trigger in await registry.ListTriggersAsync(cancellationToken))
        {
            if (ScanSchedule.LatestDueTime(trigger, now - LookBack, now) is not { } due)
            {
                continue;
            }

            for (var attempt = 0; attempt < Candidates; attempt++)
            {
                var id = ScanSchedule.RunIdFor(key.Span, trigger.DataSourceName, trigger.ScanName, due, attempt);
                var result = await runs.StartAsync(ScanRunService.Scheduler, trigger.DataSourceName, trigger.ScanName, id.ToString(), trigger.ScanLevel.ToString(), ScanTrigger.Scheduled, cancellationToken);
                if (result is { IsSuccess: false, Error.Code: ScanRunService.RunIdInUse })
                {
                    continue;
                }

                if (result.IsSuccess && result.Value.Created)
                {
                    started.Add(id);
                }

                break;
            }
        }

        return started;
    }
}
