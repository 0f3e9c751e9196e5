using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class CancelTests
{
    [Fact]
    public void Cancel_while_queued_cancels_both_phases_without_phase_times()
    {
        var run = Queued().Cancel(At(4)).Ok();

        Assert.Equal((ScanPhaseStatus.Canceled, IngestionPhaseStatus.Canceled, ScanRunStatus.Canceled), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal((null, null), (run.Scan.StartTime, run.Scan.EndTime));
        Assert.Equal(TimeSpan.FromMinutes(4), run.TimeQueued);
        Assert.Equal(TimeSpan.Zero, run.BillableDurationAt(At(60)));
        Assert.Equal(At(4), run.EndTime);
    }

    [Fact]
    public void Cancel_while_throttled_cancels_both_phases_and_closes_the_throttled_time()
    {
        var run = Throttled().Cancel(At(6)).Ok();

        Assert.Equal((ScanPhaseStatus.Canceled, IngestionPhaseStatus.Canceled), (run.Scan.Status, run.Ingestion.Status));
        Assert.Equal((TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)), (run.TimeQueued, run.TimeThrottled));
        Assert.Null(run.WaitingSince);
    }

    [Fact]
    public void Cancel_during_scan_phase_cancels_ingestion()
    {
        var run = Scanning().Cancel(At(5)).Ok();

        Assert.Equal((ScanPhaseStatus.Canceled, IngestionPhaseStatus.Canceled, ScanRunStatus.Canceled), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal(At(5), run.Scan.EndTime);
        Assert.Equal(10, run.Scan.AssetsDiscovered);
        Assert.Null(run.Ingestion.StartTime);
    }

    [Fact]
    public void Cancel_after_the_scan_completed_cancels_only_queued_ingestion()
    {
        var run = ScanCompleted().Cancel(At(10.5)).Ok();

        Assert.Equal((ScanPhaseStatus.Completed, IngestionPhaseStatus.Canceled, ScanRunStatus.Canceled), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal(At(10), run.Scan.EndTime);
        Assert.Null(run.Ingestion.EndTime);
    }

    [Fact]
    public void Cancel_during_ingestion_cancels_ingestion_and_keeps_what_was_ingested()
    {
        var run = Ingesting().Cancel(At(14)).Ok();

        Assert.Equal((ScanPhaseStatus.Completed, IngestionPhaseStatus.Canceled, ScanRunStatus.Canceled), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal((At(11), At(14)), (run.Ingestion.StartTime!.Value, run.Ingestion.EndTime!.Value));
        Assert.Equal((5L, 2L), (run.Ingestion.AssetsIngested, run.Ingestion.RelationshipsIngested));
    }

    [Fact]
    public void Cancel_records_when_it_was_requested_and_emits_a_status_change()
    {
        var result = Ingesting().Cancel(At(14));

        Assert.True(result.Run.IsCancelRequested);
        Assert.Equal(At(14), result.Run.CancelRequestedAt);
        Assert.Equal(
            (ScanRunEventKind.Canceled, ScanRunStatus.InProgress, ScanRunStatus.Canceled, true),
            (result.Event!.Kind, result.Event.FromStatus!.Value, result.Event.ToStatus, result.Event.ChangesStatus));
    }

    [Fact]
    public void Canceling_a_canceled_run_again_reports_already_canceled_and_changes_nothing()
    {
        var canceled = Canceled();

        var again = canceled.Cancel(At(40));

        Assert.Equal((TransitionOutcome.Unchanged, TransitionCode.AlreadyCanceled), (again.Outcome, again.Code));
        Assert.Same(canceled, again.Run);
        Assert.Equal(At(5), again.Run.CancelRequestedAt);
    }

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("PartiallySucceeded")]
    [InlineData("ScanFailed")]
    [InlineData("IngestionFailed")]
    [InlineData("TimedOut")]
    public void Canceling_a_finished_run_is_refused(string state)
    {
        var run = InState(state);

        var result = run.Cancel(T0.AddDays(9));

        Assert.Equal((TransitionOutcome.Rejected, TransitionCode.RunIsFinal), (result.Outcome, result.Code));
        Assert.False(result.Run.IsCancelRequested);
    }
}
