using System.Runtime.CompilerServices;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using CoreStatus = DurableTask.Core.OrchestrationStatus;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Purview.LocalHost.ScanRuns;

/// <summary>
/// The Durable Task SDK's <see cref="DurableTaskClient"/> over the local engine (DurableTask.Core's
/// <see cref="TaskHubClient"/> and the Azure Storage provider), so that code written for Durable Functions' client -
/// the Functions app's HTTP and timer functions - drives the same orchestrations here. Payloads are System.Text.Json,
/// as the SDK's shims read them. Calls wait (up to <see cref="ReadyTimeout"/>) for the engine to have created its task hub.
/// </summary>
public sealed class EngineDurableTaskClient(TaskHubClient client, AzureStorageOrchestrationService service, Task ready) : DurableTaskClient("local-engine")
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        await ReadyAsync(cancellation);
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var dedupe = options?.DedupeStatuses?.Select(s => Enum.Parse<CoreStatus>(s)).ToArray() ?? [CoreStatus.Pending, CoreStatus.Running];
        var instance = options?.StartAt is { } at
            ? await client.CreateScheduledOrchestrationInstanceAsync(orchestratorName.Name, options?.Version?.Version ?? string.Empty, id, input, at.UtcDateTime)
            : await client.CreateOrchestrationInstanceAsync(orchestratorName.Name, options?.Version?.Version ?? string.Empty, id, input, null, dedupe);
        return instance.InstanceId;
    }

    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        var state = await StateAsync(instanceId, cancellation) ?? throw new InvalidOperationException($"No orchestration instance '{instanceId}'.");
        await client.RaiseEventAsync(state.OrchestrationInstance, eventName, eventPayload!);
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation) is { RuntimeStatus: not OrchestrationRuntimeStatus.Pending } started)
            {
                return started;
            }

            await Task.Delay(Poll, cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation) is { IsCompleted: true } done)
            {
                return done;
            }

            await Task.Delay(Poll, cancellation);
        }
    }

    public override async Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        var state = await StateAsync(instanceId, cancellation) ?? throw new InvalidOperationException($"No orchestration instance '{instanceId}'.");
        await client.SuspendInstanceAsync(state.OrchestrationInstance, reason);
    }

    public override async Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
    {
        var state = await StateAsync(instanceId, cancellation) ?? throw new InvalidOperationException($"No orchestration instance '{instanceId}'.");
        await client.ResumeInstanceAsync(state.OrchestrationInstance, reason);
    }

    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        var state = await StateAsync(instanceId, cancellation) ?? throw new InvalidOperationException($"No orchestration instance '{instanceId}'.");
        await client.TerminateInstanceAsync(state.OrchestrationInstance, options?.Output is { } output ? JsonSerializer.Serialize(output) : "Terminated");
    }

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        var state = await StateAsync(instanceId, cancellation);
        return state is null ? null : MetadataOf(state, getInputsAndOutputs);
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Pageable.Create((continuation, pageSize, cancellation) => PageAsync(filter, continuation, pageSize, cancellation));

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await ReadyAsync(cancellation);
        var statuses = filter.Statuses?.Select(s => Enum.Parse<CoreStatus>(s.ToString())).ToList()
            ?? [CoreStatus.Completed, CoreStatus.Failed, CoreStatus.Terminated, CoreStatus.Canceled];
        var result = await service.PurgeInstanceHistoryAsync(
            filter.CreatedFrom?.UtcDateTime ?? DateTime.MinValue, filter.CreatedTo?.UtcDateTime, statuses);
        return new PurgeResult(result.InstancesDeleted);
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        await ReadyAsync(cancellation);
        var result = await service.PurgeInstanceHistoryAsync(instanceId);
        return new PurgeResult(result.InstancesDeleted);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task ReadyAsync(CancellationToken cancellation)
    {
        try
        {
            await ready.WaitAsync(ReadyTimeout, cancellation);
        }
        catch (TimeoutException ex)
        {
            throw new InvalidOperationException($"The Durable Task engine has not started within {ReadyTimeout.TotalSeconds} s (is storage reachable? see the host's log).", ex);
        }
    }

    private async Task<OrchestrationState?> StateAsync(string instanceId, CancellationToken cancellation)
    {
        await ReadyAsync(cancellation);
        return await client.GetOrchestrationStateAsync(instanceId);
    }

    private async Task<Page<OrchestrationMetadata>> PageAsync(OrchestrationQuery? filter, string? continuation, int? pageSize, CancellationToken cancellation)
    {
        await ReadyAsync(cancellation);
        var condition = new DurableTask.AzureStorage.Tracking.OrchestrationInstanceStatusQueryCondition
        {
            CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime ?? default,
            CreatedTimeTo = filter?.CreatedTo?.UtcDateTime ?? default,
            RuntimeStatus = filter?.Statuses?.Select(s => Enum.Parse<CoreStatus>(s.ToString())).ToList(),
            InstanceIdPrefix = filter?.InstanceIdPrefix,
            FetchInput = filter?.FetchInputsAndOutputs ?? false,
        };
        var page = await service.GetOrchestrationStateAsync(condition, pageSize ?? filter?.PageSize ?? 100, continuation, cancellation);
        return new Page<OrchestrationMetadata>([.. page.OrchestrationState.Select(s => MetadataOf(s, filter?.FetchInputsAndOutputs ?? false))], page.ContinuationToken);
    }

    private static OrchestrationMetadata MetadataOf(OrchestrationState state, bool withPayloads) => new(state.Name, state.OrchestrationInstance.InstanceId)
    {
        DataConverter = JsonDataConverter.Default,
        RuntimeStatus = Enum.Parse<OrchestrationRuntimeStatus>(state.OrchestrationStatus.ToString()),
        CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
        LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
        SerializedInput = withPayloads ? state.Input : null,
        SerializedOutput = withPayloads ? state.Output : null,
        SerializedCustomStatus = state.Status,
        FailureDetails = state.FailureDetails is { } failure ? new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, null, null) : null,
    };
}
