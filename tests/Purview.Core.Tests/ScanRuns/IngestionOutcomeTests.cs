using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class IngestionOutcomeTests
{
    private static ScanRun Started() => ScanCompleted().StartIngestion(At(11)).Ok();

    [Theory]
    [InlineData(10, 0, 4, 0, IngestionPhaseStatus.Completed, ScanRunStatus.Succeeded)]
    [InlineData(0, 0, 0, 0, IngestionPhaseStatus.Completed, ScanRunStatus.Succeeded)]
    [InlineData(9, 1, 4, 0, IngestionPhaseStatus.PartiallyCompleted, ScanRunStatus.Succeeded)]
    [InlineData(10, 0, 3, 1, IngestionPhaseStatus.PartiallyCompleted, ScanRunStatus.Succeeded)]
    [InlineData(0, 10, 5, 0, IngestionPhaseStatus.PartiallyCompleted, ScanRunStatus.Succeeded)]
    [InlineData(0, 10, 0, 4, IngestionPhaseStatus.Failed, ScanRunStatus.Failed)]
    [InlineData(0, 1, 0, 0, IngestionPhaseStatus.Failed, ScanRunStatus.Failed)]
    public void Completing_ingestion_derives_its_status_from_the_recorded_counts(
        long assetsOk, long assetsFailed, long relsOk, long relsFailed, IngestionPhaseStatus ingestion, ScanRunStatus run)
    {
        var started = Started();
        var recorded = assetsOk + assetsFailed + relsOk + relsFailed == 0
            ? started
            : started.RecordIngested(assetsOk, assetsFailed, relsOk, relsFailed, At(12)).Ok();

        var done = recorded.CompleteIngestion(At(20)).Ok();

        Assert.Equal((ingestion, run), (done.Ingestion.Status, done.Status));
        Assert.True(done.IsFinal);
    }

    [Fact]
    public void Partial_ingestion_is_a_succeeded_run_with_partial_succeeded_ingestion_and_no_error()
    {
        var run = PartiallySucceeded();

        Assert.Equal("Succeeded", PurviewStatusNames.Operation(run.Status));
        Assert.Equal("PartialSucceeded", PurviewStatusNames.Ingestion(run.Ingestion.Status));
        Assert.Null(run.Error);
        Assert.Equal((5L, 1L, 2L, 0L), (run.Ingestion.AssetsIngested, run.Ingestion.AssetsFailed, run.Ingestion.RelationshipsIngested, run.Ingestion.RelationshipsFailed));
    }

    [Fact]
    public void Ingestion_where_everything_failed_carries_an_error_saying_so()
    {
        var run = Started().RecordIngested(0, 3, 0, 2, At(12)).Ok().CompleteIngestion(At(20)).Ok();

        Assert.Equal(new ScanRunError(ScanRunErrorCodes.IngestionFailed, "All 5 assets and relationships failed to ingest; see the exception log."), run.Error);
    }

    [Fact]
    public void The_completion_event_names_the_ingestion_outcome()
    {
        var result = Ingesting().RecordIngested(0, 1, 0, 0, At(13)).Ok().CompleteIngestion(At(20));

        Assert.Equal(
            (ScanRunEventKind.IngestionCompleted, ScanRunStatus.InProgress, ScanRunStatus.Succeeded, "PartiallyCompleted"),
            (result.Event!.Kind, result.Event.FromStatus!.Value, result.Event.ToStatus, result.Event.Details));
    }

    [Fact]
    public void Ingestion_counts_add_up_across_batches()
    {
        var run = Started()
            .RecordIngested(3, 1, 2, 0, At(12)).Ok()
            .RecordIngested(4, 0, 1, 2, At(13)).Ok();

        Assert.Equal((7L, 1L, 3L, 2L), (run.Ingestion.AssetsIngested, run.Ingestion.AssetsFailed, run.Ingestion.RelationshipsIngested, run.Ingestion.RelationshipsFailed));
        Assert.Equal((13L, 3L), (run.Ingestion.ItemsAttempted, run.Ingestion.ItemsFailed));
    }
}
