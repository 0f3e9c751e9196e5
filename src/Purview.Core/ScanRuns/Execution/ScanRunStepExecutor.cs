using Purview.Core.Registry;
using Purview.Core.Scanners;

namespace Purview.Core.ScanRuns.Execution;

public enum StepOutcomeKind
{
    /// <summary>The step was done; the next message has been enqueued (or the run now waits for admission).</summary>
    Done,

    /// <summary>The message is stale (another message or writer moved the run on): drop it.</summary>
    Stale,

    /// <summary>The run is final and cleaned up: nothing more to do.</summary>
    Finished,
}

public sealed record StepOutcome(StepOutcomeKind Kind, ScanRunStepKind? Step, long? NextSequence);

public sealed class ScanRunExecutionOptions
{
    /// <summary>A run whose last write is older than this while not waiting is considered abandoned and re-enqueued.</summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Assets per step.</summary>
    public int PageSize { get; set; } = ScanRunStepPlanner.PageSize;

    /// <summary>
    /// Steps one queue delivery may do one after the other (each still its own guarded write), instead of enqueueing
    /// every next step and waiting for it to come back through the queue. 1 = one step per delivery.
    /// </summary>
    public int StepsPerDelivery { get; set; } = 32;

    /// <summary>A delivery stops taking further steps after this long, well inside the queue's visibility lease.</summary>
    public TimeSpan DeliveryBudget { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Staged pages a delivery reads and writes to the data map ahead of the page it is committing.</summary>
    public int IngestPagesAhead { get; set; } = 2;
}

/// <summary>
/// Runs one step of a run at a time: each step is at most one page of work and ends with one ETag-guarded write of
/// the run and its checkpoint; staging and data-map writes before it are idempotent, so a step abandoned anywhere is
/// simply done again. Shared by the queue runner of the local host and the activities of the Durable orchestration.
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
    IStepQueue queue,
    ScanRunExecutionOptions options,
    TimeProvider time,
    ScanPageProcessor? pages = null,
    ScanReconciler? reconciler = null)
{
    private const int MaxAdmissionAttempts = 50;
    private static readonly TimeSpan RetryAfterProgress = TimeSpan.FromSeconds(2);

    /// <summary>The queue runner's entry: does the step the message asks for, or drops a stale message.</summary>
    public async Task<StepOutcome> ExecuteAsync(StepMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stored = await store.GetAsync(new ScanRunId(message.RunId), cancellationToken);
        if (stored is null)
        {
            return new StepOutcome(StepOutcomeKind.Stale, null, null);
        }

        var now = time.GetUtcNow();
        // A message from before the last write belongs to a superseded chain, unless the run looks abandoned.
        if (message.Sequence != stored.Sequence && now - stored.TouchedAt < options.LeaseTimeout && !stored.Run.IsFinal)
        {
            return new StepOutcome(StepOutcomeKind.Stale, null, null);
        }

        // The delivery goes on with the run's next steps itself while its budget lasts: each step still commits its
        // own guarded write, so a crash anywhere leaves the run exactly where the last write put it (the supervisor
        // re-enqueues it after the lease), as with one step per message.
        var delivery = new Delivery(options, time);
        var current = stored;
        try
        {
            var (outcome, next) = await StepCoreAsync(stored, delivery, cancellationToken);
            while (next is not null)
            {
                current = next;
                (outcome, next) = await StepCoreAsync(next, delivery, cancellationToken);
            }

            return outcome;
        }
        catch (Exception) when (!ReferenceEquals(current, stored))
        {
            // Steps of this delivery were committed, so the message being retried is stale now: hand the run on under
            // its latest sequence, retried as a new delivery (only after progress, so a step that always fails still
            // reaches the poison limit on its own message).
            await queue.EnqueueAsync(new StepMessage(current.Run.Id.Value, current.Sequence), RetryAfterProgress, CancellationToken.None);
            throw;
        }
        finally
        {
            delivery.Abandon();
        }
    }

    /// <summary>Does the next step of the run as stored now: exactly one step, and nothing enqueued (the caller - a Durable orchestration - drives the next).</summary>
    public async Task<StepOutcome> StepAsync(StoredRun stored, CancellationToken cancellationToken) =>
        (await StepCoreAsync(stored, null, cancellationToken)).Outcome;

    private async Task<(StepOutcome Outcome, StoredRun? Next)> StepCoreAsync(StoredRun stored, Delivery? delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var now = time.GetUtcNow();
        var step = ScanRunStepPlanner.Next(stored.Run, stored.Checkpoint, now);
        using var trace = Telemetry.StepTrace.Start(stored.Run, step);
        var result = await StepCoreAsync(stored, step, now, delivery, cancellationToken);
        trace.Done(result.Outcome.Kind);
        return result;
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> StepCoreAsync(StoredRun stored, ScanRunStepKind step, DateTimeOffset now, Delivery? delivery, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case ScanRunStepKind.Finish:
                await FinishAsync(stored, cancellationToken);
                return (new StepOutcome(StepOutcomeKind.Finished, step, null), null);
            case ScanRunStepKind.TimeOut:
                return await TransitionAsync(stored, step, stored.Run.CheckTimeout(now), stored.Checkpoint, delivery, cancellationToken);
            case ScanRunStepKind.Admit:
                await AdmitAsync(stored.Run, cancellationToken);
                return (new StepOutcome(StepOutcomeKind.Done, step, null), null);
            case ScanRunStepKind.DiscoverPage:
                return await DiscoverPageAsync(stored, delivery, cancellationToken);
            case ScanRunStepKind.CompleteScan:
                return await TransitionAsync(stored, step, stored.Run.CompleteScan(now), stored.Checkpoint, delivery, cancellationToken);
            case ScanRunStepKind.StartIngestion:
                return await TransitionAsync(stored, step, stored.Run.StartIngestion(now), stored.Checkpoint, delivery, cancellationToken);
            case ScanRunStepKind.IngestPage:
                return await IngestPageAsync(stored, delivery, cancellationToken);
            case ScanRunStepKind.CompleteIngestion:
                return await TransitionAsync(stored, step, (await ReconcileAsync(stored, cancellationToken)).CompleteIngestion(now), stored.Checkpoint, delivery, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown step {step}.");
        }
    }

    /// <summary>
    /// Puts the run in admission's waiting list (if it is not known there yet), plans, and applies every decision to
    /// its run: admitted runs start and get their first step enqueued, the others become Queued or Throttled.
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

    private async Task<(StepOutcome Outcome, StoredRun? Next)> DiscoverPageAsync(StoredRun stored, Delivery? delivery, CancellationToken cancellationToken)
    {
        var run = stored.Run;
        var now = time.GetUtcNow();
        var dataSource = await registry.GetDataSourceAsync(run.DataSourceName, cancellationToken);
        var scan = await registry.GetScanAsync(run.DataSourceName, run.ScanName, cancellationToken);
        if (dataSource is null || scan is null)
        {
            return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage,
                run.FailScan("ScanNotFound", $"The data source '{run.DataSourceName}' or its scan '{run.ScanName}' no longer exists.", now), stored.Checkpoint, delivery, cancellationToken);
        }

        var scanner = scanners.FirstOrDefault(s => s.CanScan(dataSource.Kind));
        if (scanner is null)
        {
            return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage,
                run.FailScan("UnsupportedSourceKind", $"No scanner handles data sources of kind '{dataSource.Kind}' yet.", now), stored.Checkpoint, delivery, cancellationToken);
        }

        CredentialSecret? credential = null;
        if (!scan.UsesManagedIdentity && scan.CredentialName is { Length: > 0 } credentialName)
        {
            credential = await registry.GetCredentialSecretAsync(credentialName, cancellationToken);
            if (credential is null)
            {
                return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage,
                    run.FailScan("CredentialNotFound", $"The credential '{credentialName}' of scan '{run.ScanName}' does not exist.", now), stored.Checkpoint, delivery, cancellationToken);
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
                page = await (delivery?.TakeListing(stored.Checkpoint.DiscoveryToken) ?? scanner.ScanAsync(request, cancellationToken));
                if (delivery is not null && page.ContinuationToken is { } nextToken && delivery.MayContinue)
                {
                    // List the next page while this one is staged and committed (a read only: nothing moves until its step).
                    delivery.ListAhead(nextToken, scanner.ScanAsync(request with { ContinuationToken = nextToken }, cancellationToken));
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
            return await TransitionAsync(stored, ScanRunStepKind.DiscoverPage, run.FailScan(ex.Code, ex.Message, time.GetUtcNow()), stored.Checkpoint, delivery, cancellationToken);
        }

        // Stage first, then advance: a crash in between repeats the listing from the same token and overwrites the
        // same page; the counts only move with the checkpoint.
        if (page.Assets.Count > 0)
        {
            await staging.WritePageAsync(run.Id, stored.Checkpoint.PagesStaged, staged, cancellationToken);
        }

        var next = page.Assets.Count > 0 ? run.RecordDiscovered(page.Assets.Count, time.GetUtcNow()).Run.RecordClassified(classified, time.GetUtcNow()).Run : run;
        var checkpoint = stored.Checkpoint.AfterDiscoveryPage(page.Assets.Count, page.ContinuationToken);
        return await AdvanceAsync(stored, ScanRunStepKind.DiscoverPage, next, checkpoint, delivery, cancellationToken);
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> IngestPageAsync(StoredRun stored, Delivery? delivery, CancellationToken cancellationToken)
    {
        var run = stored.Run;
        var pageNumber = stored.Checkpoint.PagesIngested;
        if (delivery is not null)
        {
            // Pages after this one are read and upserted meanwhile: data-map upserts and the per-page exception log are
            // idempotent, and counts only move when each page's own step commits, in order.
            for (var ahead = pageNumber + 1; ahead <= pageNumber + options.IngestPagesAhead && ahead < stored.Checkpoint.PagesStaged && delivery.MayContinue; ahead++)
            {
                var aheadPage = ahead;
                delivery.IngestAhead(aheadPage, () => IngestStagedPageAsync(run, aheadPage, cancellationToken));
            }
        }

        var result = await (delivery?.TakeIngested(pageNumber) ?? IngestStagedPageAsync(run, pageNumber, cancellationToken));
        var recorded = run.RecordIngested(result.Assets.Succeeded, result.Assets.Failed, result.Relationships.Succeeded, result.Relationships.Failed, time.GetUtcNow());
        return await AdvanceAsync(stored, ScanRunStepKind.IngestPage, recorded.Run, stored.Checkpoint.AfterIngestedPage(), delivery, cancellationToken);
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

    private async Task<(StepOutcome Outcome, StoredRun? Next)> TransitionAsync(StoredRun stored, ScanRunStepKind step, TransitionResult result, ScanRunCheckpoint checkpoint, Delivery? delivery, CancellationToken cancellationToken)
    {
        if (result.IsRejected)
        {
            throw new InvalidOperationException($"Step {step} of run {stored.Run.Id} was rejected: {result.Reason}");
        }

        return await AdvanceAsync(stored, step, result.Run, checkpoint, delivery, cancellationToken);
    }

    private async Task<(StepOutcome Outcome, StoredRun? Next)> AdvanceAsync(StoredRun stored, ScanRunStepKind step, ScanRun next, ScanRunCheckpoint checkpoint, Delivery? delivery, CancellationToken cancellationToken)
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

        if (delivery is null)
        {
            // A single step (StepAsync): the orchestration that asked for it calls the next one itself.
            return (new StepOutcome(StepOutcomeKind.Done, step, saved.Sequence), null);
        }

        if (delivery.TryTakeStep())
        {
            return (new StepOutcome(StepOutcomeKind.Done, step, saved.Sequence), saved);
        }

        await queue.EnqueueAsync(new StepMessage(saved.Run.Id.Value, saved.Sequence), null, cancellationToken);
        return (new StepOutcome(StepOutcomeKind.Done, step, saved.Sequence), null);
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
                    await queue.EnqueueAsync(new StepMessage(saved.Run.Id.Value, saved.Sequence), null, cancellationToken);
                    await store.MarkEnqueuedAsync(saved.Run.Id, time.GetUtcNow(), cancellationToken);
                }

                break;
            }
        }
    }

    /// <summary>
    /// One queue delivery's allowance of further steps, and the reads it started ahead: the next listing page, and
    /// staged pages already written to the data map. Work started ahead that no step takes is only observed.
    /// </summary>
    private sealed class Delivery(ScanRunExecutionOptions options, TimeProvider time)
    {
        private readonly long _started = time.GetTimestamp();
        private readonly Dictionary<int, Task<PageIngested>> _ingesting = [];
        private int _steps = 1;
        private (string Token, Task<ScanPageResult> Page)? _listing;

        public bool MayContinue => _steps < options.StepsPerDelivery && time.GetElapsedTime(_started) < options.DeliveryBudget;

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
