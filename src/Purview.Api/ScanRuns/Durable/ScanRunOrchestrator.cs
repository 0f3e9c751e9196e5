using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace Purview.Api.ScanRuns.Durable;

/// <summary>
/// What one generation of a run's orchestration starts from (instance id = run id). <paramref name="ActivitiesPerGeneration"/>
/// bounds its history before ContinueAsNew (carried from generation to generation; 0 means the default).
/// </summary>
public sealed record ScanRunInput(Guid RunId, string NextActivity = ScanRunOrchestrator.AdmitActivity, int Generation = 0, int ActivitiesPerGeneration = 0);

/// <summary>
/// What one activity did to a run, read back from storage after its guarded write: the phase and counts the run shows,
/// the activity its next step needs, whether it waits for admission (with the account's current limit) or is final.
/// </summary>
public sealed record ScanRunStepResult(
    string Status, string Phase, string NextActivity, bool Waiting, bool Final, long Discovered, long Ingested, int AccountLimit);

/// <summary>The orchestration's custom status: where the run is, for people looking at the task hub.</summary>
public sealed record ScanRunProgress(string Status, string Phase, long Discovered, long Ingested, int Generation, int Steps);

/// <summary>A request to the admission entity: the run asking for a slot and the account limit /scan/settings holds now.</summary>
public sealed record SlotRequest(Guid RunId, int Limit);

/// <summary>
/// One orchestration per scan run (instance id = run id), the same class in both hosts: admission (an account slot from
/// the <see cref="AdmissionSlots"/> entity, then the admission record decides Queued or Throttled), then one activity per
/// discovery page, one per staged page ingested, and the phase transitions, until the run is final. Every activity ends
/// with one ETag-guarded write of the run and its checkpoint, so a replayed or retried activity never counts twice.
/// Cancel arrives as an external event that wakes a waiting run; a cancelled run's next activity finds it final and the
/// orchestration ends. History stays bounded: ContinueAsNew after <see cref="StepsPerGeneration"/> activities (or the input's own bound).
/// Deterministic: no clock, GUIDs, I/O or randomness here - only the context and activity results.
/// </summary>
public sealed class ScanRunOrchestrator : TaskOrchestrator<ScanRunInput, string>
{
    public const string Name = "ScanRunOrchestrator";
    public const string AdmitActivity = "AdmitScanRun";
    public const string DiscoverActivity = "DiscoverScanPage";
    public const string IngestActivity = "IngestScanPage";
    public const string AdvanceActivity = "AdvanceScanRun";
    public const string FailActivity = "FailScanRun";

    /// <summary>Cancel requested (the run is already cancelled in storage): wake up and look.</summary>
    public const string CancelEvent = "Cancel";

    /// <summary>Admission changed (another run released a slot): wake up and ask again.</summary>
    public const string WakeEvent = "Wake";

    public const int StepsPerGeneration = 100;

    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromMinutes(1)));

    public static EntityInstanceId Slots { get; } = new(AdmissionSlots.Name, "account");

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ScanRunInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var logger = context.CreateReplaySafeLogger<ScanRunOrchestrator>();
        var next = input.NextActivity;
        var backoff = TimeSpan.FromSeconds(2);
        var generationSize = input.ActivitiesPerGeneration is > 0 and <= StepsPerGeneration ? input.ActivitiesPerGeneration : StepsPerGeneration;
        for (var steps = 0; steps < generationSize; steps++)
        {
            ScanRunStepResult result;
            try
            {
                result = await context.CallActivityAsync<ScanRunStepResult>(next, input.RunId, Retry);
            }
            catch (TaskFailedException ex)
            {
                // Retries exhausted: the run fails with the last error, as a poison message did on the queue.
                logger.LogWarning("Run {RunId}: {Activity} failed repeatedly: {Error}", input.RunId, next, ex.FailureDetails?.ErrorMessage);
                await context.CallActivityAsync<ScanRunStepResult>(FailActivity, new FailScanRun(input.RunId, ex.FailureDetails?.ErrorMessage ?? ex.Message), Retry);
                await context.Entities.SignalEntityAsync(Slots, nameof(AdmissionSlots.Release), input.RunId);
                return "Failed";
            }

            context.SetCustomStatus(new ScanRunProgress(result.Status, result.Phase, result.Discovered, result.Ingested, input.Generation, steps + 1));
            if (result.Final)
            {
                await context.Entities.SignalEntityAsync(Slots, nameof(AdmissionSlots.Release), input.RunId);
                return result.Status;
            }

            next = result.NextActivity;
            if (!result.Waiting)
            {
                backoff = TimeSpan.FromSeconds(2);
                continue;
            }

            // Waiting: hold an account slot before asking admission again; without one, or still waiting, sleep until
            // woken (a release, a cancel) or the backoff ends.
            if (await context.Entities.CallEntityAsync<bool>(Slots, nameof(AdmissionSlots.TryAcquire), new SlotRequest(input.RunId, result.AccountLimit)))
            {
                var admitted = await context.CallActivityAsync<ScanRunStepResult>(AdmitActivity, input.RunId, Retry);
                if (!admitted.Waiting)
                {
                    next = admitted.NextActivity;
                    continue;
                }

                await context.Entities.SignalEntityAsync(Slots, nameof(AdmissionSlots.Release), input.RunId);
            }

            using var timerCancel = new CancellationTokenSource();
            var timer = context.CreateTimer(context.CurrentUtcDateTime.Add(backoff), timerCancel.Token);
            var canceled = context.WaitForExternalEvent<bool>(CancelEvent, timerCancel.Token);
            var woken = context.WaitForExternalEvent<bool>(WakeEvent, timerCancel.Token);
            await Task.WhenAny(timer, canceled, woken);
            timerCancel.Cancel();
            backoff = TimeSpan.FromSeconds(Math.Min(60, backoff.TotalSeconds * 2));
        }

        context.ContinueAsNew(input with { NextActivity = next, Generation = input.Generation + 1 });
        return "ContinuedAsNew";
    }
}

public sealed record FailScanRun(Guid RunId, string Message);

public sealed class AdmissionSlotsState
{
    public int Limit { get; set; } = Purview.Core.ScanRuns.AccountConcurrencyLimit.DefaultValue;

    public List<Guid> Holders { get; set; } = [];
}

/// <summary>
/// The account's concurrent-run semaphore as a Durable entity: operations on one entity run one at a time, so two
/// orchestrations never take the same slot. Its limit follows /scan/settings (each request carries the current value).
/// The table admission record still decides Queued versus Throttled and runtime slots; this entity keeps waiting
/// orchestrations from all contending for admission at once.
/// </summary>
public sealed class AdmissionSlots : TaskEntity<AdmissionSlotsState>
{
    /// <summary>Entity names are case-insensitive in Durable Task and stored lower-case.</summary>
    public const string Name = "admissionslots";

    public bool TryAcquire(SlotRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        State.Limit = Math.Clamp(request.Limit, Purview.Core.ScanRuns.AccountConcurrencyLimit.Min, Purview.Core.ScanRuns.AccountConcurrencyLimit.Max);
        if (State.Holders.Contains(request.RunId))
        {
            return true;
        }

        if (State.Holders.Count >= State.Limit)
        {
            return false;
        }

        State.Holders.Add(request.RunId);
        return true;
    }

    public void Release(Guid runId) => State.Holders.Remove(runId);

    /// <summary>How many runs hold a slot (for tests and diagnostics).</summary>
    public int Count() => State.Holders.Count;
}
