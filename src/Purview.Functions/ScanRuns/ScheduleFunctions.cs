using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Purview.Core.Monitoring;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Functions.ScanRuns;

/// <summary>Every minute (UTC), like the local host's timer: start due scheduled runs and their orchestrations.</summary>
public sealed class ScheduleFunctions(ScheduledRuns scheduled)
{
    [Function("StartScheduledScanRuns")]
    public async Task StartScheduledScanRuns([TimerTrigger(ScanScheduleJob.Cron)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var id in await scheduled.StartDueAsync(context.CancellationToken))
        {
            await ScanRunOrchestration.EnsureStartedAsync(client, id.Value, context.CancellationToken);
        }
    }
}

/// <summary>
/// In the Functions app each run's orchestration drives its steps, so the executor's "enqueue the next step" has
/// nothing to do (runs admitted by another run's release are picked up by their orchestration's next try).
/// </summary>
public sealed class OrchestratedStepQueue : IStepQueue
{
    public Task EnqueueAsync(StepMessage message, TimeSpan? delay, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>00:50 UTC daily, like the local host's job: purges scan-run orchestrations that ended more than 7 days ago.</summary>
public sealed class OrchestrationHistoryFunctions(TimeProvider time)
{
    [Function("PurgeScanRunHistory")]
    public async Task PurgeScanRunHistory([TimerTrigger(OrchestrationHistoryRetentionJob.Cron)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(context);
        var before = time.GetUtcNow() - OrchestrationHistoryRetentionJob.Retention;
        await client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(null, before, [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated]),
            context.CancellationToken);
    }
}

/// <summary>Every 10 minutes (UTC), like the local host's job: rewrite monitoring rollup rows left stale by a host that died mid-update.</summary>
public sealed class RunRollupRepairFunctions(RunRollupRepairJob job, TimeProvider time)
{
    [Function("RepairScanRunRollups")]
    public Task RepairScanRunRollups([TimerTrigger(RunRollupRepairJob.Cron)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        return job.RunAsync(time.GetUtcNow(), context.CancellationToken);
    }
}
