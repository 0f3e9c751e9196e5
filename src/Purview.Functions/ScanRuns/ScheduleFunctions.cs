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

/// <summary>Every 2 minutes (UTC), like the local host's job: hands runs that no orchestration carries to one.</summary>
public sealed class ScanRunRepairFunctions(ScanRunRepairJob job)
{
    [Function("RepairScanRuns")]
    public Task RepairScanRuns([TimerTrigger(ScanRunRepairJob.Cron)] TimerInfo timer, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(timer);
        ArgumentNullException.ThrowIfNull(context);
        return job.RepairAsync(new OrchestrationRunDriver(client), context.CancellationToken);
    }
}

/// <summary>"Wake run X" over the Durable client of a function invocation: start, wake, or start again if it ended.</summary>
public sealed class OrchestrationRunDriver(DurableTaskClient client) : IRunDriver
{
    public Task WakeAsync(Purview.Core.ScanRuns.ScanRunId runId, CancellationToken cancellationToken) =>
        ScanRunOrchestration.StartOrWakeAsync(client, runId.Value, restartEnded: true, cancellationToken);
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
