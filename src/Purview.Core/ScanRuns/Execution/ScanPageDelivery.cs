using Purview.Core.Registry;
using Purview.Core.Scanners;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// What a page step hands to its guarded write: the run and checkpoint after the page, or the transition that ends
/// the scan (a source, scan or credential gone, a scanner that failed).
/// </summary>
public sealed record PageStepResult(TransitionResult? Failure, ScanRun Run, ScanRunCheckpoint Checkpoint)
{
    public static PageStepResult Failed(TransitionResult failure, ScanRunCheckpoint checkpoint) => new(failure, failure.Run, checkpoint);
}

/// <summary>
/// The delivery of a run's assets, page by page: discovery lists a page through the source's scanner (classified,
/// resource sets, incremental, see <see cref="ScanPageProcessor"/>) and stages it; ingestion reads a staged page and
/// upserts its assets and relationships into the data map; reconciliation closes ingestion. Every write here is
/// idempotent: nothing moves until the step's guarded write of the run (<see cref="ScanRunWriter"/>).
/// </summary>
public sealed class ScanPageDelivery(
    IScanRegistry registry,
    IEnumerable<IScanner> scanners,
    IStagingStore staging,
    IAssetSink assets,
    IScanRunExceptionLog exceptionLog,
    ScanRunExecutionOptions options,
    TimeProvider time,
    ScanPageProcessor? pages = null,
    ScanReconciler? reconciler = null)
{
    /// <summary>Lists and stages the run's next discovery page (listing the one after it ahead when a budget allows).</summary>
    internal async Task<PageStepResult> DiscoverAsync(StoredRun stored, StepBudget? budget, CancellationToken cancellationToken)
    {
        var run = stored.Run;
        var now = time.GetUtcNow();
        var dataSource = await registry.GetDataSourceAsync(run.DataSourceName, cancellationToken);
        var scan = await registry.GetScanAsync(run.DataSourceName, run.ScanName, cancellationToken);
        if (dataSource is null || scan is null)
        {
            return PageStepResult.Failed(
                run.FailScan("ScanNotFound", $"The data source '{run.DataSourceName}' or its scan '{run.ScanName}' no longer exists.", now), stored.Checkpoint);
        }

        var scanner = scanners.FirstOrDefault(s => s.CanScan(dataSource.Kind));
        if (scanner is null)
        {
            return PageStepResult.Failed(run.FailScan("UnsupportedSourceKind", $"No scanner handles data sources of kind '{dataSource.Kind}' yet.", now), stored.Checkpoint);
        }

        CredentialSecret? credential = null;
        if (!scan.UsesManagedIdentity && scan.CredentialName is { Length: > 0 } credentialName)
        {
            credential = await registry.GetCredentialSecretAsync(credentialName, cancellationToken);
            if (credential is null)
            {
                return PageStepResult.Failed(
                    run.FailScan("CredentialNotFound", $"The credential '{credentialName}' of scan '{run.ScanName}' does not exist.", now), stored.Checkpoint);
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
                // No listing ahead here: what a page samples depends on what the pages before it sampled.
                var processed = await pages.ScanAsync(scanner, request, stored, cancellationToken);
                (page, staged, classified) = (processed.Page, processed.Staged, processed.Classified);
            }
        }
        catch (ScanFailedException ex)
        {
            return PageStepResult.Failed(run.FailScan(ex.Code, ex.Message, time.GetUtcNow()), stored.Checkpoint);
        }

        // Stage first, then advance: a crash in between repeats the listing from the same token and overwrites the
        // same page; the counts only move with the checkpoint.
        if (page.Assets.Count > 0)
        {
            await staging.WritePageAsync(run.Id, stored.Checkpoint.PagesStaged, staged, cancellationToken);
        }

        var next = page.Assets.Count > 0 ? run.RecordDiscovered(page.Assets.Count, time.GetUtcNow()).Run.RecordClassified(classified, time.GetUtcNow()).Run : run;
        return new PageStepResult(null, next, stored.Checkpoint.AfterDiscoveryPage(page.Assets.Count, page.ContinuationToken));
    }

    /// <summary>Ingests the run's next staged page (and, within a budget, reads and upserts the pages after it ahead).</summary>
    internal async Task<PageStepResult> IngestAsync(StoredRun stored, StepBudget? budget, CancellationToken cancellationToken)
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
        return new PageStepResult(null, recorded.Run, stored.Checkpoint.AfterIngestedPage());
    }

    /// <summary>End of ingestion: resource sets and deletions (<see cref="ScanReconciler"/>); their failures count as failed assets.</summary>
    public async Task<ScanRun> ReconcileAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
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

    /// <summary>Drops a finished run's staged pages.</summary>
    public Task DropStagedAsync(ScanRunId runId, int pagesStaged, CancellationToken cancellationToken) =>
        staging.DeletePagesAsync(runId, pagesStaged, cancellationToken);

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
}
