namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// Where a run's long phases stand, stored with the run and advanced with it in one ETag-guarded write, so counts
/// and progress never disagree. Pages are numbered from 0; pages below <see cref="PagesStaged"/> are complete in
/// staging, pages below <see cref="PagesIngested"/> are in the data map.
/// </summary>
/// <param name="DiscoveryToken">The scanner's token of the next page to list (null before the first page and after the last).</param>
public sealed record ScanRunCheckpoint(string? DiscoveryToken, bool DiscoveryDone, int PagesStaged, int PagesIngested)
{
    public static ScanRunCheckpoint Start { get; } = new(null, false, 0, 0);

    /// <summary>After listing one page: a non-empty page is staged as the next page number; an empty one only moves the token.</summary>
    public ScanRunCheckpoint AfterDiscoveryPage(int assetsInPage, string? nextToken) =>
        this with
        {
            DiscoveryToken = nextToken,
            DiscoveryDone = nextToken is null,
            PagesStaged = assetsInPage > 0 ? PagesStaged + 1 : PagesStaged,
        };

    public ScanRunCheckpoint AfterIngestedPage() => this with { PagesIngested = PagesIngested + 1 };
}

/// <summary>The next unit of work of a run; each is short (one page at most) and ends with one guarded write.</summary>
public enum ScanRunStepKind
{
    /// <summary>Waiting for admission: ask for (or take) a slot.</summary>
    Admit,

    /// <summary>List the next page of assets, stage it, advance counts and checkpoint.</summary>
    DiscoverPage,
    CompleteScan,
    StartIngestion,

    /// <summary>Write one staged page into the data map, advance counts and checkpoint.</summary>
    IngestPage,
    CompleteIngestion,

    /// <summary>The run is older than the longest allowed run: fail it.</summary>
    TimeOut,

    /// <summary>The run is final: release its admission slot and clean up.</summary>
    Finish,
}

public static class ScanRunStepPlanner
{
    /// <summary>
    /// Assets per step: one page of listing, one page of ingestion. 5,000 is the Blob service's largest list page: every
    /// list call has a fixed cost (on Azurite it filters and sorts the container's remaining blobs), so fewer, larger
    /// pages list a container faster (on Azurite, 50,000 blobs about twice as fast as in pages of 1,000).
    /// </summary>
    public const int PageSize = 5000;

    public static ScanRunStepKind Next(ScanRun run, ScanRunCheckpoint checkpoint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (run.IsFinal)
        {
            return ScanRunStepKind.Finish;
        }

        if (now > run.CreatedAt + ScanRun.MaxRunDuration)
        {
            return ScanRunStepKind.TimeOut;
        }

        if (run.IsWaiting)
        {
            return ScanRunStepKind.Admit;
        }

        if (run.Scan.Status == ScanPhaseStatus.InProgress)
        {
            return checkpoint.DiscoveryDone ? ScanRunStepKind.CompleteScan : ScanRunStepKind.DiscoverPage;
        }

        if (run.Ingestion.Status == IngestionPhaseStatus.Queued)
        {
            return ScanRunStepKind.StartIngestion;
        }

        return checkpoint.PagesIngested < checkpoint.PagesStaged ? ScanRunStepKind.IngestPage : ScanRunStepKind.CompleteIngestion;
    }
}
