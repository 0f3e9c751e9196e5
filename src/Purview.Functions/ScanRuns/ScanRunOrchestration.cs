using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Functions.ScanRuns;

public sealed record RunStepInput(Guid RunId);

/// <summary>What one activity did: the run is final (stop), waiting for admission (back off), or moved on (next step).</summary>
public sealed record RunStepResult(string Outcome, bool Waiting, bool Final);

/// <summary>
/// One orchestration per run (instance id = run id) driving the same steps as the local host's queue runner, one
/// activity per step. Waiting for admission takes an account slot from the <see cref="AdmissionSlots"/> entity and
/// backs off on durable timers; a cancel arrives as an external event and wakes it; history stays bounded with
/// ContinueAsNew. Deterministic: no clock, no GUIDs, no I/O here.
/// </summary>
public static class ScanRunOrchestration
{
    public const string CancelEvent = "Cancel";
    private const int StepsPerGeneration = 50;

    [Function(nameof(ScanRunOrchestrator))]
    public static async Task ScanRunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<RunStepInput>()!;
        var logger = context.CreateReplaySafeLogger(nameof(ScanRunOrchestrator));
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(2), 2.0, TimeSpan.FromMinutes(5)));
        var slots = new EntityInstanceId(nameof(AdmissionSlots), "account");
        var backoff = TimeSpan.FromSeconds(5);
        for (var step = 0; step < StepsPerGeneration; step++)
        {
            RunStepResult result;
            try
            {
                result = await context.CallActivityAsync<RunStepResult>(nameof(ScanRunActivities.RunStep), input, retry);
            }
            catch (TaskFailedException ex)
            {
                // Retries exhausted: fail the run with the last error (the local host's poison path).
                await context.CallActivityAsync(nameof(ScanRunActivities.FailRun), new FailRunInput(input.RunId, ex.FailureDetails.ErrorMessage));
                await context.Entities.SignalEntityAsync(slots, nameof(AdmissionSlots.Release), input.RunId);
                return;
            }

            if (result.Final)
            {
                await context.Entities.SignalEntityAsync(slots, nameof(AdmissionSlots.Release), input.RunId);
                return;
            }

            if (!result.Waiting)
            {
                backoff = TimeSpan.FromSeconds(5);
                continue;
            }

            // Waiting: hold an account slot before asking admission again, then back off (or wake on cancel).
            var acquired = await context.Entities.CallEntityAsync<bool>(slots, nameof(AdmissionSlots.TryAcquire), input.RunId);
            if (acquired)
            {
                var admitted = await context.CallActivityAsync<RunStepResult>(nameof(ScanRunActivities.RunStep), input, retry);
                if (!admitted.Waiting)
                {
                    continue;
                }

                await context.Entities.SignalEntityAsync(slots, nameof(AdmissionSlots.Release), input.RunId);
            }

            logger.LogInformation("Run {RunId} waits for admission; next try in {Backoff}", input.RunId, backoff);
            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime.Add(backoff), timerCancel.Token);
            var canceled = context.WaitForExternalEvent<bool>(CancelEvent);
            if (await Task.WhenAny(timer, canceled) == canceled)
            {
                timerCancel.Cancel();
            }

            backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
        }

        context.ContinueAsNew(input);
    }

    /// <summary>Starts the run's orchestration unless one is already running for it (a repeated PUT).</summary>
    public static async Task EnsureStartedAsync(DurableTaskClient client, Guid runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = runId.ToString("D");
        var existing = await client.GetInstanceAsync(id, false, cancellationToken);
        if (existing is null || existing.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            if (existing is not null)
            {
                return; // the run already ran to its end
            }

            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ScanRunOrchestrator), new RunStepInput(runId), new StartOrchestrationOptions { InstanceId = id }, cancellationToken);
        }
    }

    public static async Task SignalCancelAsync(DurableTaskClient client, string runId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (ScanRunId.TryParse(runId, out var id) && await client.GetInstanceAsync(id.ToString(), false, cancellationToken) is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending })
        {
            await client.RaiseEventAsync(id.ToString(), CancelEvent, true, cancellationToken);
        }
    }
}

public sealed record FailRunInput(Guid RunId, string Message);

/// <summary>The activities: thin calls into the executor the local host's runner uses.</summary>
public sealed class ScanRunActivities(IScanRunStore store, ScanRunStepExecutor executor)
{
    [Function(nameof(RunStep))]
    public async Task<RunStepResult> RunStep([ActivityTrigger] RunStepInput input, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var stored = await store.GetAsync(new ScanRunId(input.RunId), context.CancellationToken);
        if (stored is null)
        {
            return new RunStepResult("Missing", false, true);
        }

        var outcome = await executor.StepAsync(stored, context.CancellationToken);
        var after = await store.GetAsync(new ScanRunId(input.RunId), context.CancellationToken);
        return new RunStepResult(outcome.Kind.ToString(), after?.Run.IsWaiting ?? false, after is null || (after.Run.IsFinal && outcome.Kind == StepOutcomeKind.Finished));
    }

    [Function(nameof(FailRun))]
    public Task FailRun([ActivityTrigger] FailRunInput input, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        return executor.FailAsync(new ScanRunId(input.RunId), "StepFailedRepeatedly", $"A step of this run failed repeatedly; the last error was: {input.Message}", context.CancellationToken);
    }
}

public sealed class AdmissionSlotsState
{
    public int Limit { get; set; } = AccountConcurrencyLimit.DefaultValue;

    public List<Guid> Holders { get; set; } = [];
}

/// <summary>
/// The account's concurrent-run semaphore as a Durable entity: operations on one entity run one at a time, so two
/// orchestrations never take the same slot. The table admission record still decides Queued versus Throttled and
/// runtime slots; this entity only keeps waiting orchestrations from all contending for it at once.
/// </summary>
public sealed class AdmissionSlots : TaskEntity<AdmissionSlotsState>
{
    public bool TryAcquire(Guid runId)
    {
        if (State.Holders.Contains(runId))
        {
            return true;
        }

        if (State.Holders.Count >= State.Limit)
        {
            return false;
        }

        State.Holders.Add(runId);
        return true;
    }

    public void Release(Guid runId) => State.Holders.Remove(runId);

    public void SetLimit(int limit) => State.Limit = Math.Clamp(limit, AccountConcurrencyLimit.Min, AccountConcurrencyLimit.Max);

    [Function(nameof(AdmissionSlots))]
    public static Task Run([EntityTrigger] TaskEntityDispatcher dispatcher) => dispatcher.DispatchAsync<AdmissionSlots>();
}
