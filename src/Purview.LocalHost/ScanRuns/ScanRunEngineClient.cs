using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;
using Purview.Api.ScanRuns.Durable;
using Purview.Core.ScanRuns.Execution;

namespace Purview.LocalHost.ScanRuns;

/// <summary>A run's orchestration as the engine reports it: runtime status (Running, Completed, ...) and the orchestrator's custom status.</summary>
public sealed record ScanRunInstance(string InstanceId, string Status, ScanRunProgress? Progress, string? Output, DateTimeOffset CreatedAt, DateTimeOffset LastUpdatedAt);

/// <summary>
/// What the local host asks of its engine about scan runs, in the run's terms, over the engine's
/// <see cref="DurableTaskClient"/>: start a run's orchestration (instance id = run id) or wake it, read it, raise
/// events, wait for it, and purge ended ones.
/// </summary>
public sealed class ScanRunEngineClient(DurableTaskClient client, int activitiesPerGeneration = ScanRunOrchestrator.StepsPerGeneration) : IOrchestrationHistory
{
    /// <summary>An instance in one of these is not started again (DurableTask.Core's status names).</summary>
    private static readonly string[] Live = ["Pending", "Running", "ContinuedAsNew"];

    private static readonly OrchestrationRuntimeStatus[] Ended =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>
    /// Starts the run's orchestration, or wakes it when one is live. An orchestration that ended while its run is not
    /// final (a host restored from an old state, a terminated instance) is started again under the same id.
    /// </summary>
    public async Task StartOrWakeAsync(Guid runId, CancellationToken cancellationToken)
    {
        var id = runId.ToString("D");
        // Live (pending, running, between two generations): wake it.
        if (await client.GetInstanceAsync(id, false, cancellationToken) is { IsCompleted: false })
        {
            await client.RaiseEventAsync(id, ScanRunOrchestrator.WakeEvent, true, cancellationToken);
            return;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(ScanRunOrchestrator.Name, new ScanRunInput(runId, ActivitiesPerGeneration: activitiesPerGeneration),
                new Microsoft.DurableTask.StartOrchestrationOptions(id) { DedupeStatuses = Live }, cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Another host started it first: it runs there.
        }
    }

    public async Task<ScanRunInstance?> GetAsync(Guid runId)
    {
        var metadata = await client.GetInstanceAsync(runId.ToString("D"), true);
        return metadata is null ? null : new ScanRunInstance(
            metadata.InstanceId, metadata.RuntimeStatus.ToString(),
            metadata.SerializedCustomStatus is { Length: > 0 } ? metadata.ReadCustomStatusAs<ScanRunProgress>() : null,
            metadata.SerializedOutput, metadata.CreatedAt, metadata.LastUpdatedAt);
    }

    public async Task RaiseAsync(Guid runId, string eventName)
    {
        var id = runId.ToString("D");
        if (await client.GetInstanceAsync(id, false) is { IsCompleted: false })
        {
            await client.RaiseEventAsync(id, eventName, true);
        }
    }

    /// <summary>Waits until the run's orchestration ends (not merely continues as new); null on timeout.</summary>
    public async Task<ScanRunInstance?> WaitForCompletionAsync(Guid runId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await client.WaitForInstanceCompletionAsync(runId.ToString("D"), false, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return await GetAsync(runId);
    }

    /// <summary>Deletes the history and instance rows of ended instances created before <paramref name="createdBefore"/>.</summary>
    public async Task<int> PurgeEndedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(null, createdBefore, Ended), cancellationToken);
        return result.PurgedInstanceCount;
    }
}
