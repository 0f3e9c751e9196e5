namespace Purview.Core.ScanRuns.Execution;

public enum StepOutcomeKind
{
    /// <summary>The step was done (or the run now waits for admission); the orchestration asks for the next.</summary>
    Done,

    /// <summary>Another writer (a cancel, a second worker on the same run) moved the run on first: its write stands.</summary>
    Stale,

    /// <summary>The run is final and cleaned up: nothing more to do.</summary>
    Finished,
}

public sealed record StepOutcome(StepOutcomeKind Kind, ScanRunStepKind? Step, long? NextSequence);

public sealed class ScanRunExecutionOptions
{
    /// <summary>A run whose last write is older than this while not waiting is considered abandoned and its orchestration woken.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Assets per step.</summary>
    public int PageSize { get; set; } = ScanRunStepPlanner.PageSize;

    /// <summary>
    /// Steps one activity may do one after the other (each still its own guarded write), instead of returning to the
    /// orchestration after each - a round trip through the task hub's queues and a replay. 1 = one step per activity.
    /// </summary>
    public int StepsPerActivity { get; set; } = 32;

    /// <summary>An activity stops taking further steps after this long, well inside the engine's work-item lease.</summary>
    public TimeSpan ActivityBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Staged pages an activity reads and writes to the data map ahead of the page it is committing.</summary>
    public int IngestPagesAhead { get; set; } = 2;
}

/// <summary>
/// Runs one step of a run at a time: each step is at most one page of work and ends with one ETag-guarded write of
/// the run and its checkpoint (<see cref="ScanRunWriter"/>); the page work before it (<see cref="ScanPageDelivery"/>)
/// is idempotent, so a step abandoned anywhere is simply done again, and admission (<see cref="ScanRunAdmission"/>) is
/// asked at the start, when the scan phase ends and when the run is final. The activities of the Durable orchestration
/// (both hosts) call it.
/// </summary>
public sealed class ScanRunStepExecutor(
    IScanRunStore store,
    ScanRunWriter writer,
    ScanRunAdmission admission,
    ScanPageDelivery delivery,
    ScanRunExecutionOptions options,
    TimeProvider time)
{
    /// <summary>
    /// An activity's work: the run's next steps as stored now, one after the other while the budget lasts (each its own
    /// guarded write), listing and ingesting ahead meanwhile. Returns when the run is final, waits for admission, another
    /// writer moved it on, or the budget ends. A failure after at least one committed step is returned as that progress,
    /// not thrown: the orchestration's next activity does the failing step again with a whole retry allowance, while a
    /// step that fails every time still fails its activity on the first step, and exhausts its retries.
    /// </summary>
    public async Task<StepOutcome> RunAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var budget = new StepBudget(options, time);
        var current = stored;
        try
        {
            var (outcome, next) = await StepCoreAsync(stored, budget, cancellationToken);
            while (next is not null)
            {
                current = next;
                (outcome, next) = await StepCoreAsync(next, budget, cancellationToken);
            }

            return outcome;
        }
        catch (Exception ex) when (!ReferenceEquals(current, stored) && ex is not OperationCanceledException)
        {
            return new StepOutcome(StepOutcomeKind.Done, null, current.Sequence);
        }
        finally
        {
            budget.Abandon();
        }
    }

    /// <summary>Does the next step of the run as stored now: exactly one step (tests step runs by hand with it).</summary>
    public async Task<StepOutcome> StepAsync(StoredRun stored, CancellationToken cancellationToken) =>
        (await StepCoreAsync(stored, null, cancellationToken)).Outcome;

    private async Task<(StepOutcome Outcome, StoredRun? Next)> StepCoreAsync(StoredRun stored, StepBudget? budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var now = time.GetUtcNow();
        var step = ScanRunStepPlanner.Next(stored.Run, stored.Checkpoint, now);
        using var trace = Telemetry.StepTrace.Start(stored.Run, step);
        var result = await StepCoreAsync(stored, step, now, budget, cancellationToken);
        trace.Done(result.Outcome.Kind);
        return result;
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> StepCoreAsync(StoredRun stored, ScanRunStepKind step, DateTimeOffset now, StepBudget? budget, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case ScanRunStepKind.Finish:
                await FinishAsync(stored, cancellationToken);
                return (new StepOutcome(StepOutcomeKind.Finished, step, null), null);
            case ScanRunStepKind.TimeOut:
                return await TransitionAsync(stored, step, stored.Run.CheckTimeout(now), stored.Checkpoint, budget, cancellationToken);
            case ScanRunStepKind.Admit:
                await admission.AdmitAsync(stored.Run, cancellationToken);
                return (new StepOutcome(StepOutcomeKind.Done, step, null), null);
            case ScanRunStepKind.DiscoverPage:
                return await CommitPageAsync(stored, step, await delivery.DiscoverAsync(stored, budget, cancellationToken), budget, cancellationToken);
            case ScanRunStepKind.CompleteScan:
                return await TransitionAsync(stored, step, stored.Run.CompleteScan(now), stored.Checkpoint, budget, cancellationToken);
            case ScanRunStepKind.StartIngestion:
                return await TransitionAsync(stored, step, stored.Run.StartIngestion(now), stored.Checkpoint, budget, cancellationToken);
            case ScanRunStepKind.IngestPage:
                return await CommitPageAsync(stored, step, await delivery.IngestAsync(stored, budget, cancellationToken), budget, cancellationToken);
            case ScanRunStepKind.CompleteIngestion:
                return await TransitionAsync(stored, step, (await delivery.ReconcileAsync(stored, cancellationToken)).CompleteIngestion(now), stored.Checkpoint, budget, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown step {step}.");
        }
    }

    /// <summary>Puts the run in admission's waiting list (if it is not known there yet) and applies every decision to its run.</summary>
    public Task AdmitAsync(ScanRun run, CancellationToken cancellationToken) => admission.AdmitAsync(run, cancellationToken);

    /// <summary>A run that cannot go on (poison message): fails the pending phase and finishes the run.</summary>
    public async Task FailAsync(ScanRunId id, string code, string message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var stored = await store.GetAsync(id, cancellationToken);
            if (stored is null || stored.Run.IsFinal)
            {
                if (stored is not null)
                {
                    await FinishAsync(stored, cancellationToken);
                }

                return;
            }

            var now = time.GetUtcNow();
            var result = stored.Run.Scan.Status == ScanPhaseStatus.Completed
                ? stored.Run.FailIngestion(code, message, now)
                : stored.Run.FailScan(code, message, now);
            var saved = await writer.SaveAsync(stored, result.Run, stored.Checkpoint, cancellationToken);
            if (saved is not null)
            {
                await FinishAsync(saved, cancellationToken);
                return;
            }
        }
    }

    /// <summary>Cancels the run (retrying a concurrent write), then releases its admission slot.</summary>
    public async Task<TransitionResult?> CancelAsync(ScanRunId id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var stored = await store.GetAsync(id, cancellationToken);
            if (stored is null)
            {
                return null;
            }

            var result = stored.Run.Cancel(time.GetUtcNow());
            if (!result.IsApplied)
            {
                if (stored.Run.IsFinal)
                {
                    await FinishAsync(stored, cancellationToken);
                }

                return result;
            }

            var saved = await writer.SaveAsync(stored, result.Run, stored.Checkpoint, cancellationToken);
            if (saved is not null)
            {
                await FinishAsync(saved, cancellationToken);
                return result with { Run = saved.Run };
            }
        }

        throw new InvalidOperationException($"The run {id} kept changing; the cancel did not get through.");
    }

    /// <summary>Releases admission, counts the final bucket, drops the active-run entry and the staged pages. Idempotent.</summary>
    public async Task FinishAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var changes = await admission.RemoveAsync(stored.Run.Id.Value, cancellationToken);
        await writer.CountAsync(stored.Run, cancellationToken);
        await admission.ApplyAsync(changes, cancellationToken);
        await delivery.DropStagedAsync(stored.Run.Id, stored.Checkpoint.PagesStaged, cancellationToken);
        await store.RemoveActiveAsync(stored.Run.Id, cancellationToken);
    }

    /// <summary>Drops an admission entry whose run does not exist.</summary>
    public async Task ReleaseUnknownAsync(Guid runId, CancellationToken cancellationToken) =>
        await admission.ApplyAsync(await admission.RemoveAsync(runId, cancellationToken), cancellationToken);

    private Task<(StepOutcome Outcome, StoredRun? Next)> CommitPageAsync(StoredRun stored, ScanRunStepKind step, PageStepResult page, StepBudget? budget, CancellationToken cancellationToken) =>
        page.Failure is { } failure
            ? TransitionAsync(stored, step, failure, page.Checkpoint, budget, cancellationToken)
            : AdvanceAsync(stored, step, page.Run, page.Checkpoint, budget, cancellationToken);

    private async Task<(StepOutcome Outcome, StoredRun? Next)> TransitionAsync(StoredRun stored, ScanRunStepKind step, TransitionResult result, ScanRunCheckpoint checkpoint, StepBudget? budget, CancellationToken cancellationToken)
    {
        if (result.IsRejected)
        {
            throw new InvalidOperationException($"Step {step} of run {stored.Run.Id} was rejected: {result.Reason}");
        }

        return await AdvanceAsync(stored, step, result.Run, checkpoint, budget, cancellationToken);
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> AdvanceAsync(StoredRun stored, ScanRunStepKind step, ScanRun next, ScanRunCheckpoint checkpoint, StepBudget? budget, CancellationToken cancellationToken)
    {
        var saved = await writer.SaveAsync(stored, next, checkpoint, cancellationToken);
        if (saved is null)
        {
            // Someone else wrote first (a cancel, or a duplicate message): they own what comes next.
            return (new StepOutcome(StepOutcomeKind.Stale, step, null), null);
        }

        if (saved.Run.IsFinal)
        {
            await FinishAsync(saved, cancellationToken);
            return (new StepOutcome(StepOutcomeKind.Finished, step, saved.Sequence), null);
        }

        if (stored.Run.HoldsRuntimeSlot && !saved.Run.HoldsRuntimeSlot)
        {
            await admission.ReleaseRuntimeSlotAsync(saved.Run.Id.Value, cancellationToken);
        }

        // Within the activity's budget the next step follows at once; otherwise the orchestration asks for it.
        return (new StepOutcome(StepOutcomeKind.Done, step, saved.Sequence), budget?.TryTakeStep() == true ? saved : null);
    }
}
