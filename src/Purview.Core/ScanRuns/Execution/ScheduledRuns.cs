using Purview.Core.Registry;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// The timer job (every minute): starts a Scheduled run for every trigger that became due since the previous tick
/// (looking back <see cref="LookBack"/> so a missed tick or a restart does not lose a due time). The run id is derived
/// from (data source, scan, due time), so several hosts ticking together, or a tick repeated after a restart, start
/// the run once: the later PUTs find it and do nothing.
/// </summary>
public sealed class ScheduledRuns(IScanRegistry registry, ScanRunService runs, TimeProvider time)
{
    public static readonly TimeSpan LookBack = TimeSpan.FromMinutes(5);

    /// <summary>Returns the runs this call created (not those another host created first).</summary>
    public async Task<IReadOnlyList<ScanRunId>> StartDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = new List<ScanRunId>();
        foreach (var trigger in await registry.ListTriggersAsync(cancellationToken))
        {
            if (ScanSchedule.LatestDueTime(trigger, now - LookBack, now) is not { } due)
            {
                continue;
            }

            var id = ScanSchedule.RunIdFor(trigger.DataSourceName, trigger.ScanName, due);
            var result = await runs.StartAsync(ScanRunService.Scheduler, trigger.DataSourceName, trigger.ScanName, id.ToString(), trigger.ScanLevel.ToString(), ScanTrigger.Scheduled, cancellationToken);
            if (result.IsSuccess && result.Value.Created)
            {
                started.Add(id);
            }
        }

        return started;
    }
}
