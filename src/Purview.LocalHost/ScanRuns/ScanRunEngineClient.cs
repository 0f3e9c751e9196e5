using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Exceptions;
using Purview.Api.ScanRuns.Durable;
using Purview.Core.ScanRuns.Execution;

namespace Purview.LocalHost.ScanRuns;

/// <summary>A run's orchestration as the engine reports it: runtime status (Running, Completed, ...) and the orchestrator's custom status.</summary>
public sealed record ScanRunInstance(string InstanceId, string Status, ScanRunProgress? Progress, string? Output, DateTime CreatedTime, DateTime LastUpdatedTime);

/// <summary>
/// The local host's client of its engine, over DurableTask.Core's <see cref="TaskHubClient"/>: start a run's
/// orchestration (instance id = run id) unless one is running, read it, raise events, wait, and purge old history.
/// Calls wait (up to <see cref="ReadyTimeout"/>) for the engine to have created its task hub.
/// </summary>
public sealed class ScanRunEngineClient(TaskHubClient client, AzureStorageOrchestrationService service, Task ready) : IOrchestrationHistory
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private static readonly OrchestrationStatus[] Live = [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.ContinuedAsNew];

    /// <summary>
    /// Starts the run's orchestration, or wakes it when one is live. An orchestration that ended while its run is not
    /// final (a host restored from an old state, a terminated instance) is started again under the same id.
    /// </summary>
    public async Task StartOrWakeAsync(Guid runId, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var id = runId.ToString("D");
        var existing = await client.GetOrchestrationStateAsync(id);
        if (existing is not null && Live.Contains(existing.OrchestrationStatus))
        {
            await client.RaiseEventAsync(existing.OrchestrationInstance, ScanRunOrchestrator.WakeEvent, true);
            return;
        }

        try
        {
            await client.CreateOrchestrationInstanceAsync(ScanRunOrchestrator.Name, string.Empty, id, new ScanRunInput(runId), null, Live);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Another host started it first: it runs there.
        }
    }

    public async Task<ScanRunInstance?> GetAsync(Guid runId)
    {
        await ReadyAsync(CancellationToken.None);
        var state = await client.GetOrchestrationStateAsync(runId.ToString("D"));
        return state is null ? null : new ScanRunInstance(
            state.OrchestrationInstance.InstanceId, state.OrchestrationStatus.ToString(),
            string.IsNullOrEmpty(state.Status) ? null : JsonSerializer.Deserialize<ScanRunProgress>(state.Status),
            state.Output, state.CreatedTime, state.LastUpdatedTime);
    }

    public async Task RaiseAsync(Guid runId, string eventName)
    {
        await ReadyAsync(CancellationToken.None);
        var state = await client.GetOrchestrationStateAsync(runId.ToString("D"));
        if (state is not null && Live.Contains(state.OrchestrationStatus))
        {
            await client.RaiseEventAsync(state.OrchestrationInstance, eventName, true);
        }
    }

    private async Task ReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ready.WaitAsync(ReadyTimeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"The Durable Task engine has not started within {ReadyTimeout.TotalSeconds} s (is storage reachable? see the host's log).", ex);
        }
    }

    /// <summary>Waits until the run's orchestration ends (not merely continues as new); null on timeout.</summary>
    public async Task<ScanRunInstance?> WaitForCompletionAsync(Guid runId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (!deadline.IsCancellationRequested)
        {
            var instance = await GetAsync(runId);
            if (instance is { Status: nameof(OrchestrationStatus.Completed) or nameof(OrchestrationStatus.Failed) or nameof(OrchestrationStatus.Terminated) or nameof(OrchestrationStatus.Canceled) })
            {
                return instance;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>Deletes the history and instance rows of ended instances created before <paramref name="createdBefore"/>.</summary>
    public async Task<int> PurgeEndedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken)
    {
        await ReadyAsync(cancellationToken);
        var result = await service.PurgeInstanceHistoryAsync(DateTime.MinValue, createdBefore.UtcDateTime,
            [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled]);
        return result.InstancesDeleted;
    }
}
