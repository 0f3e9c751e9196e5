using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class WaitTimeAndBillingTests
{
    [Fact]
    public void Time_queued_and_throttled_accumulates_across_every_wait()
    {
        // queued 0-10, throttled 10-15, queued 15-17, throttled 17-20, started at 20.
        var run = New()
            .MarkThrottled(At(10)).Ok()
            .MarkQueued(At(15)).Ok()
            .MarkThrottled(At(17)).Ok()
            .Start(At(20)).Ok();

        Assert.Equal(TimeSpan.FromMinutes(12), run.TimeQueued);
        Assert.Equal(TimeSpan.FromMinutes(8), run.TimeThrottled);
        Assert.Null(run.WaitingSince);
        Assert.Equal(At(20), run.Scan.StartTime);
    }

    [Fact]
    public void Open_waits_count_up_to_now_without_changing_the_run()
    {
        var run = New().MarkThrottled(At(10)).Ok();

        Assert.Equal(TimeSpan.FromMinutes(10), run.TimeQueuedAt(At(25)));
        Assert.Equal(TimeSpan.FromMinutes(15), run.TimeThrottledAt(At(25)));
        Assert.Equal(TimeSpan.Zero, run.TimeThrottled);
    }

    [Fact]
    public void A_waiting_run_is_not_billed()
    {
        var run = New().MarkThrottled(At(10)).Ok();

        Assert.Equal(TimeSpan.Zero, run.BillableDurationAt(At(90)));
    }

    [Fact]
    public void Billable_duration_excludes_queued_throttled_and_the_gap_before_ingestion()
    {
        // queued 10, throttled 5, scan 30, ingestion queued 2, ingestion 20 => elapsed 67, billable 50.
        var run = New()
            .MarkThrottled(At(10)).Ok()
            .Start(At(15)).Ok()
            .CompleteScan(At(45)).Ok()
            .StartIngestion(At(47)).Ok()
            .RecordIngested(3, 0, 0, 0, At(50)).Ok()
            .CompleteIngestion(At(67)).Ok();

        Assert.Equal(TimeSpan.FromMinutes(67), run.Duration);
        Assert.Equal(TimeSpan.FromMinutes(50), run.BillableDurationAt(At(1000)));
        Assert.Equal(run.Duration - run.TimeQueued - run.TimeThrottled - TimeSpan.FromMinutes(2), run.BillableDurationAt(At(1000)));
    }

    [Fact]
    public void A_running_run_is_billed_up_to_now()
    {
        var run = New().MarkThrottled(At(10)).Ok().Start(At(15)).Ok();

        Assert.Equal(TimeSpan.FromMinutes(5), run.BillableDurationAt(At(20)));
    }

    [Fact]
    public void Marking_queued_when_already_queued_neither_bumps_the_version_nor_resets_the_wait()
    {
        var run = New();

        var result = run.MarkQueued(At(5));

        Assert.Equal((TransitionOutcome.Unchanged, TransitionCode.AlreadyInStatus), (result.Outcome, result.Code));
        Assert.Equal((1L, T0), (result.Run.Version, result.Run.WaitingSince!.Value));
    }

    [Fact]
    public void Waiting_status_changes_stay_accepted_at_the_top_level()
    {
        var result = New().MarkThrottled(At(1));

        Assert.Equal((ScanRunStatus.Accepted, ScanRunStatus.Accepted, false), (result.Event!.FromStatus!.Value, result.Event.ToStatus, result.Event.ChangesStatus));
        Assert.Equal(ScanRunEventKind.Throttled, result.Event.Kind);
    }
}
