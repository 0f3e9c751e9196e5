using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Purview.Api.ScanRuns.Durable;
using Purview.Core.ScanRuns;

namespace Purview.Functions.ScanRuns;

/// <summary>
/// The scan-run orchestration as functions: thin triggers over the shared <see cref="ScanRunOrchestrator"/>,
/// <see cref="AdmissionSlots"/> and <see cref="ScanRunActivities"/>, which the local host's engine runs too.
/// </summary>
public static class ScanRunOrchestration
{
    [Function(ScanRunOrchestrator.Name)]
    public static Task<string> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ScanRunOrchestrator().RunAsync(context, context.GetInput<ScanRunInput>()!);
    }

    [Function(AdmissionSlots.Name)]
    public static Task RunAdmissionSlots([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<AdmissionSlots>();
    }

    /// <summary>
    /// Starts the run's orchestration (instance id = run id), or wakes it when it is running. A repeated PUT of a run
    /// whose orchestration has ended starts nothing: the run already ran to its end, and the PUT answers it as it is.
    /// </summary>
    public static Task EnsureStartedAsync(DurableTaskClient client, Guid runId, CancellationToken cancellationToken) =>
        StartOrWakeAsync(client, runId, restartEnded: false, cancellationToken);

    /// <param name="restartEnded">Start an ended instance again (the repair of a run that is not final although its orchestration ended).</param>
    public static async Task StartOrWakeAsync(DurableTaskClient client, Guid runId, bool restartEnded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = runId.ToString("D");
        var existing = await client.GetInstanceAsync(id, false, cancellationToken);
        if (existing is null || (restartEnded && existing.IsCompleted))
        {
            await client.ScheduleNewOrchestrationInstanceAsync(ScanRunOrchestrator.Name, new ScanRunInput(runId), new StartOrchestrationOptions { InstanceId = id }, cancellationToken);
        }
        else if (!existing.IsCompleted)
        {
            await client.RaiseEventAsync(id, ScanRunOrchestrator.WakeEvent, true, cancellationToken);
        }
    }

    public static async Task SignalCancelAsync(DurableTaskClient client, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (ScanRunId.TryParse(runId, out var id) && await client.GetInstanceAsync(id.ToString(), false, cancellationToken) is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
        {
            await client.RaiseEventAsync(id.ToString(), ScanRunOrchestrator.CancelEvent, true, cancellationToken);
        }
    }
}

/// <summary>The activities: one function per name the orchestrator calls, each the shared activity with the invocation's cancellation.</summary>
public sealed class ScanRunActivityFunctions(ScanRunActivities activities)
{
    [Function(ScanRunOrchestrator.AdmitActivity)]
    public Task<ScanRunStepResult> Admit([ActivityTrigger] Guid runId, FunctionContext context) => activities.StepAsync(runId, Token(context));

    [Function(ScanRunOrchestrator.DiscoverActivity)]
    public Task<ScanRunStepResult> Discover([ActivityTrigger] Guid runId, FunctionContext context) => activities.StepAsync(runId, Token(context));

    [Function(ScanRunOrchestrator.IngestActivity)]
    public Task<ScanRunStepResult> Ingest([ActivityTrigger] Guid runId, FunctionContext context) => activities.StepAsync(runId, Token(context));

    [Function(ScanRunOrchestrator.AdvanceActivity)]
    public Task<ScanRunStepResult> Advance([ActivityTrigger] Guid runId, FunctionContext context) => activities.StepAsync(runId, Token(context));

    [Function(ScanRunOrchestrator.FailActivity)]
    public Task<ScanRunStepResult> Fail([ActivityTrigger] FailScanRun input, FunctionContext context) => activities.FailAsync(input, Token(context));

    private static CancellationToken Token(FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CancellationToken;
    }
}
