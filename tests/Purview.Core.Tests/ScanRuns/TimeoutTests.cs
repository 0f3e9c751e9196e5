using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class TimeoutTests
{
    private static readonly DateTimeOffset Deadline = T0.AddDays(7);

    [Fact]
    public void A_run_exactly_seven_days_old_may_continue()
    {
        var result = Scanning().CheckTimeout(Deadline);

        Assert.Equal((TransitionOutcome.Unchanged, TransitionCode.WithinTimeLimit), (result.Outcome, result.Code));
    }

    [Fact]
    public void A_scanning_run_older_than_seven_days_fails_its_scan_phase_with_ScanRunTimeout()
    {
        var now = Deadline.AddSeconds(1);

        var result = Scanning().CheckTimeout(now);

        var run = result.Ok();
        Assert.Equal((ScanPhaseStatus.Failed, IngestionPhaseStatus.NotStarted, ScanRunStatus.Failed), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal(ScanRunErrorCodes.Timeout, run.Error!.Code);
        Assert.Contains("7 days", run.Error.Message, StringComparison.Ordinal);
        Assert.Equal((now, now), (run.Scan.EndTime!.Value, run.EndTime!.Value));
        Assert.Equal((ScanRunEventKind.TimedOut, "scan"), (result.Event!.Kind, result.Event.Details));
    }

    [Fact]
    public void A_run_still_waiting_after_seven_days_fails_and_counts_the_whole_wait()
    {
        var now = Deadline.AddHours(1);

        var run = Throttled().CheckTimeout(now).Ok();

        Assert.Equal(ScanPhaseStatus.Failed, run.Scan.Status);
        Assert.Equal(ScanRunErrorCodes.Timeout, run.Scan.Error!.Code);
        Assert.Equal(TimeSpan.FromMinutes(1), run.TimeQueued);
        Assert.Equal(now - At(1), run.TimeThrottled);
        Assert.Null(run.Scan.StartTime);
    }

    [Theory]
    [InlineData("ScanCompleted")]
    [InlineData("Ingesting")]
    public void A_run_timing_out_after_its_scan_phase_fails_ingestion(string state)
    {
        var result = InState(state).CheckTimeout(Deadline.AddMinutes(1));

        var run = result.Ok();
        Assert.Equal((ScanPhaseStatus.Completed, IngestionPhaseStatus.Failed, ScanRunStatus.Failed), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal(ScanRunErrorCodes.Timeout, run.Ingestion.Error!.Code);
        Assert.Equal("ingestion", result.Event!.Details);
    }

    [Fact]
    public void Timeout_is_measured_from_creation_not_from_the_start_of_the_scan()
    {
        var run = New().MarkThrottled(At(1)).Ok().Start(T0.AddDays(6)).Ok();

        Assert.Equal(TransitionCode.WithinTimeLimit, run.CheckTimeout(Deadline).Code);
        Assert.True(run.CheckTimeout(Deadline.AddTicks(1)).IsApplied);
    }
}
