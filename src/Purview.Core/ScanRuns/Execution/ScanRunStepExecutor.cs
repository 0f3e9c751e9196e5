using Purview.Core.Registry;
using Purview.Core.Scanners;

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
/// the run and its checkpoint; staging and data-map writes before it are idempotent, so a step abandoned anywhere is
/// simply done again. The activities of the Durable orchestration (both hosts) call it.
/// </summary>
public sealed class ScanRunStepExecutor(
    IScanRunStore store,
    IRunCounterStore counters,
    IAdmissionStore admission,
    IScanRegistry registry,
    IEnumerable<IScanner> scanners,
    IStagingStore staging,
    IAssetSink assets,
    IScanRunExceptionLog exceptionLog,
    IRunDriver driver,
    ScanRunExecutionOptions options,
    TimeProvider time,
    ScanPageProcessor? pages = null,
    ScanReconciler? reconciler = null)
{
    private const int MaxAdmissionAttempts = 50;

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
                await AdmitAsync(stored.Run, cancellationToken);
                return (new StepOutcome(StepOutcomeKind.Done, step, null), null);
            case ScanRunStepKind.DiscoverPage:
                return await DiscoverPageAsync(stored, budget, cancellationToken);
            case ScanRunStepKind.CompleteScan:
                return await TransitionAsync(stored, step, stored.Run.CompleteScan(now), stored.Checkpoint, budget, cancellationToken);
            case ScanRunStepKind.StartIngestion:
                return await TransitionAsync(stored, step, stored.Run.StartIngestion(now), stored.Checkpoint, budget, cancellationToken);
            case ScanRunStepKind.IngestPage:
                return await IngestPageAsync(stored, budget, cancellationToken);
            case ScanRunStepKind.CompleteIngestion:
                return await TransitionAsync(stored, step, (await ReconcileAsync(stored, cancellationToken)).CompleteIngestion(now), stored.Checkpoint, budget, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown step {step}.");
        }
    }

    /// <summary>
    /// Puts the run in admission's waiting list (if it is not known there yet), plans, and applies every decision to
    /// its run: admitted runs start and their orchestrations are woken, the others become Queued or Throttled.
    /// </summary>
    public async Task AdmitAsync(ScanRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entry = new AdmissionEntry(run.Id.Value, run.IntegrationRuntimeName, run.CreatedAt, false);
        var changes = await UpdateAdmissionAsync(s => s.Request(entry), cancellationToken);
        await ApplyAdmissionChangesAsync(changes, cancellationToken);
    }

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
            var saved = await SaveAsync(stored, result.Run, stored.Checkpoint, cancellationToken);
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

            var saved = await SaveAsync(stored, result.Run, stored.Checkpoint, cancellationToken);
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
        var changes = await UpdateAdmissionAsync(s => s.Remove(stored.Run.Id.Value), cancellationToken);
        await counters.ApplyAsync(stored.Run, cancellationToken);
        await ApplyAdmissionChangesAsync(changes, cancellationToken);
        await staging.DeletePagesAsync(stored.Run.Id, stored.Checkpoint.PagesStaged, cancellationToken);
        await store.RemoveActiveAsync(stored.Run.Id, cancellationToken);
    }

    /// <summary>Drops an admission entry whose run does not exist.</summary>
    public async Task ReleaseUnknownAsync(Guid runId, CancellationToken cancellationToken)
    {
        var changes = await UpdateAdmissionAsync(s => s.Remove(runId), cancellationToken);
        await ApplyAdmissionChangesAsync(changes, cancellationToken);
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> DiscoverPageAsync(StoredRun stored, StepBudget? budget, CancellationToken cancellationToken)
    {
        var run = stored.Run;
        var now = time.GetUtcNow();
        var dataSource = await registry.GetDataSourceAsync(run.DataSourceName, cancellationToken);
        var scan = await registry.GetScanAsync(run.DataSourceName, run.ScanName, cancellationToken);
        if (dataSource is null || scan is null)
        {
            return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage,
                run.FailScan("ScanNotFound", $"The data source '{run.DataSourceName}' or its scan '{run.ScanName}' no longer exists.", now), stored.Checkpoint, budget, cancellationToken);
        }

        var scanner = scanners.FirstOrDefault(s => s.CanScan(dataSource.Kind));
        if (scanner is null)
        {
            return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage,
                run.FailScan("UnsupportedSourceKind", $"No scanner handles data sources of kind '{dataSource.Kind}' yet.", now), stored.Checkpoint, budget, cancellationToken);
        }

        CredentialSecret? credential = null;
        if (!scan.UsesManagedIdentity && scan.CredentialName is { Length: > 0 } credentialName)
        {
            credential = await registry.GetCredentialSecretAsync(credentialName, cancellationToken);
            if (credential is null)
            {
                return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage,
                    run.FailScan("CredentialNotFound", $"The credential '{credentialName}' of scan '{run.ScanName}' does not exist.", now), stored.Checkpoint, budget, cancellationToken);
            }
        }

        var filter = await registry.GetFilterAsync(run.DataSourceName, run.ScanName, cancellationToken);
        ScanPageResult page;
        StagedPage staged;
        var classified = 0;
        try
        {
            var request = new ScanPageRequest(dataSource, scan, filter, credential, stored.Checkpoint.DiscoveryToken, options.PageSize);
            if (pages is null)
            {
                page = await (budget?.TakeListing(stored.Checkpoint.DiscoveryToken) ?? scanner.ScanAsync(request, cancellationToken));
                if (budget is not null && page.ContinuationToken is { } nextToken && budget.MayContinue)
                {
                    // List the next page while this one is staged and committed (a read only: nothing moves until its step).
                    budget.ListAhead(nextToken, scanner.ScanAsync(request with { ContinuationToken = nextToken }, cancellationToken));
                }

                staged = new StagedPage(page.Assets, page.Relationships);
            }
            else
            {
                // Classification, resource sets and incremental filtering (Core/Scanners/ScanPageProcessor). No listing
                // ahead here: what a page samples depends on what the pages before it sampled.
                var processed = await pages.ScanAsync(scanner, request, stored, cancellationToken);
                (page, staged, classified) = (processed.Page, processed.Staged, processed.Classified);
            }
        }
        catch (ScanFailedException ex)
        {
            return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage, run.FailScan(ex.Code, ex.Message, time.GetUtcNow()), stored.Checkpoint, budget, cancellationToken);
        }

        // Stage first, then advance: a crash in between repeats the listing from the same token and overwrites the
        // same page; the counts only move with the checkpoint.
        if (page.Assets.Count > 0)
        {
            await staging.WritePageAsync(run.Id, stored.Checkpoint.PagesStaged, staged, cancellationToken);
        }

        var next = page.Assets.Count > 0 ? run.RecordDiscovered(page.Assets.Count, time.GetUtcNow()).Run.RecordClassified(classified, time.GetUtcNow()).Run : run;
        var checkpoint = stored.Checkpoint.AfterDiscoveryPage(page.Assets.Count, page.ContinuationToken);
        return await AdvanceAsync(stored, ScanRunStepKind.DiscoverPage, next, checkpoint, budget, cancellationToken);
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> IngestPageAsync(StoredRun stored, StepBudget? budget, CancellationToken cancellationToken)
    {
        var run = stored.Run;
        var pageNumber = stored.Checkpoint.PagesIngested;
        if (budget is not null)
        {
            // Pages after this one are read and upserted meanwhile: data-map upserts and the per-page exception log are
            // idempotent, and counts only move when each page's own step commits, in order.
            for (var ahead = pageNumber + 1; ahead <= pageNumber + options.IngestPagesAhead && ahead < stored.Checkpoint.PagesStaged && budget.MayContinue; ahead++)
            {
                var aheadPage = ahead;
                budget.IngestAhead(aheadPage, () => IngestStagedPageAsync(run, aheadPage, cancellationToken));
            }
        }

        var result = await (budget?.TakeIngested(pageNumber) ?? IngestStagedPageAsync(run, pageNumber, cancellationToken));
        var recorded = run.RecordIngested(result.Assets.Succeeded, result.Assets.Failed, result.Relationships.Succeeded, result.Relationships.Failed, time.GetUtcNow());
        return await AdvanceAsync(stored, ScanRunStepKind.IngestPage, recorded.Run, stored.Checkpoint.AfterIngestedPage(), budget, cancellationToken);
    }

    private async Task<PageIngested> IngestStagedPageAsync(ScanRun run, int pageNumber, CancellationToken cancellationToken)
    {
        var page = await staging.ReadPageAsync(run.Id, pageNumber, cancellationToken);
        var result = await assets.UpsertAsync(run.DataSourceName, run.CollectionName, run.Id, page.Assets, cancellationToken);
        var relationships = await assets.UpsertRelationshipsAsync(run.DataSourceName, run.CollectionName, run.Id, page, cancellationToken);
        if (result.Exceptions.Count + relationships.Exceptions.Count > 0)
        {
            await exceptionLog.AppendAsync(run.Id, pageNumber, [.. result.Exceptions, .. relationships.Exceptions], cancellationToken);
        }

        return new PageIngested(result, relationships);
    }

    /// <summary>End of ingestion: resource sets and deletions (Core/Scanners/ScanReconciler); their failures count as failed assets.</summary>
    private async Task<ScanRun> ReconcileAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        if (reconciler is null)
        {
            return stored.Run;
        }

        var result = await reconciler.ReconcileAsync(stored, cancellationToken);
        if (result.Exceptions.Count > 0)
        {
            await exceptionLog.AppendAsync(stored.Run.Id, stored.Checkpoint.PagesStaged, result.Exceptions, cancellationToken);
        }

        return result.Failed > 0 ? stored.Run.RecordIngested(0, result.Failed, 0, 0, time.GetUtcNow()).Run : stored.Run;
    }

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
        var saved = await SaveAsync(stored, next, checkpoint, cancellationToken);
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
            // The scan phase is over: its runtime slot goes to the next waiting run; ingestion keeps the account slot.
            var changes = await UpdateAdmissionAsync(s => s.ReleaseSlot(saved.Run.Id.Value), cancellationToken);
            await ApplyAdmissionChangesAsync(changes, cancellationToken);
        }

        // Within the activity's budget the next step follows at once; otherwise the orchestration asks for it.
        return (new StepOutcome(StepOutcomeKind.Done, step, saved.Sequence), budget?.TryTakeStep() == true ? saved : null);
    }

    private async Task<StoredRun?> SaveAsync(StoredRun stored, ScanRun next, ScanRunCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var saved = await store.TryUpdateAsync(stored, next, checkpoint, time.GetUtcNow(), cancellationToken);
        if (saved is not null)
        {
            Telemetry.PurviewTelemetry.RunSaved(stored.Run, saved.Run);
        }

        if (saved is not null && Monitoring.RunBuckets.Of(stored.Run) != Monitoring.RunBuckets.Of(saved.Run))
        {
            await counters.ApplyAsync(saved.Run, cancellationToken);
        }

        return saved;
    }

    private async Task<IReadOnlyList<AdmissionChange>> UpdateAdmissionAsync(Func<AdmissionState, AdmissionState> change, CancellationToken cancellationToken)
    {
        var settings = await registry.GetSettingsAsync(cancellationToken);
        AccountConcurrencyLimit.TryCreate(settings.MaxConcurrentScanRuns, out var limit);
        var slots = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var attempt = 0; attempt < MaxAdmissionAttempts; attempt++)
        {
            var (state, etag) = await admission.ReadAsync(cancellationToken);
            var changed = change(state);
            foreach (var runtime in changed.Waiting.Select(w => w.Runtime).Distinct(StringComparer.OrdinalIgnoreCase).Where(r => !slots.ContainsKey(r)).ToList())
            {
                var ir = await registry.GetIntegrationRuntimeAsync(runtime, cancellationToken);
                slots[runtime] = ir is null ? (string.Equals(runtime, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase) ? int.MaxValue / 2 : 0) : ir.Capacity;
            }

            var (planned, changes) = changed.Plan(limit, r => slots.GetValueOrDefault(r));
            if (await admission.TryWriteAsync(planned, etag, cancellationToken))
            {
                return changes;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 10))), cancellationToken);
        }

        throw new InvalidOperationException("The admission record is too contended; the step will be retried.");
    }

    private async Task ApplyAdmissionChangesAsync(IReadOnlyList<AdmissionChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes)
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var stored = await store.GetAsync(new ScanRunId(change.RunId), cancellationToken);
                if (stored is null || !stored.Run.IsWaiting)
                {
                    break;
                }

                var result = stored.Run.Admit(change.Decision, time.GetUtcNow());
                if (!result.IsApplied)
                {
                    break;
                }

                var saved = await SaveAsync(stored, result.Run, stored.Checkpoint, cancellationToken);
                if (saved is null)
                {
                    continue;
                }

                if (change.Decision == AdmissionDecision.Admitted)
                {
                    await driver.WakeAsync(saved.Run.Id, cancellationToken);
                    await store.MarkEnqueuedAsync(saved.Run.Id, time.GetUtcNow(), cancellationToken);
                }

                break;
            }
        }
    }

    /// <summary>
    /// One activity's allowance of further steps, and the reads it started ahead: the next listing page, and staged
    /// pages already written to the data map. Work started ahead that no step takes is only observed.
    /// </summary>
    private sealed class StepBudget(ScanRunExecutionOptions options, TimeProvider time)
    {
        private readonly long _started = time.GetTimestamp();
        private readonly Dictionary<int, Task<PageIngested>> _ingesting = [];
        private int _steps = 1;
        private (string Token, Task<ScanPageResult> Page)? _listing;

        public bool MayContinue => _steps < options.StepsPerActivity && time.GetElapsedTime(_started) < options.ActivityBudget;

        public bool TryTakeStep()
        {
            if (!MayContinue)
            {
                return false;
            }

            _steps++;
            return true;
        }

        public void ListAhead(string token, Task<ScanPageResult> page)
        {
            Observe(_listing?.Page);
            _listing = (token, page);
        }

        public Task<ScanPageResult>? TakeListing(string? token)
        {
            if (_listing is not { } listing)
            {
                return null;
            }

            _listing = null;
            if (string.Equals(listing.Token, token, StringComparison.Ordinal))
            {
                return listing.Page;
            }

            Observe(listing.Page);
            return null;
        }

        public void IngestAhead(int page, Func<Task<PageIngested>> start)
        {
            if (!_ingesting.ContainsKey(page))
            {
                _ingesting[page] = start();
            }
        }

        public Task<PageIngested>? TakeIngested(int page) => _ingesting.Remove(page, out var task) ? task : null;

        public void Abandon()
        {
            Observe(_listing?.Page);
            _listing = null;
            foreach (var task in _ingesting.Values)
            {
                Observe(task);
            }

            _ingesting.Clear();
        }

        private static void Observe(Task? task) =>
            task?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}

/// <summary>What ingesting one staged page wrote: its assets and its relationships.</summary>
internal sealed record PageIngested(IngestResult Assets, IngestResult Relationships);
