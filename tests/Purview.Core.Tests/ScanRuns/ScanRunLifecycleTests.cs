using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class ScanRunLifecycleTests
{
    [Fact]
    public void Create_puts_both_phases_in_queued_and_the_run_in_accepted()
    {
        var id = new ScanRunId(Guid.Parse("3f0c8e0a-4a57-4c5e-9d7e-1b2c3d4e5f60"));

        var result = ScanRunLifecycle.Create(id, Definition(), T0);

        Assert.True(result.IsCreated);
        var run = result.Run!;
        Assert.Equal(ScanPhaseStatus.Queued, run.Scan.Status);
        Assert.Equal(IngestionPhaseStatus.Queued, run.Ingestion.Status);
        Assert.Equal(ScanRunStatus.Accepted, run.Status);
        Assert.Equal((1L, T0, T0, T0), (run.Version, run.CreatedAt, run.WaitingSince!.Value, run.LastUpdatedAt));
        Assert.Equal(
            ("adls-sales", "weekly-full", "sales", "AdlsGen2", "shir-01", ScanLevel.Full, ScanTrigger.Manual),
            (run.DataSourceName, run.ScanName, run.CollectionName, run.SourceKind, run.IntegrationRuntimeName, run.Level, run.Trigger));
        Assert.False(run.IsFinal);
        Assert.Equal(new ScanRunEvent(id, 1, ScanRunEventKind.Created, T0, null, ScanRunStatus.Accepted, null), result.Event);
    }

    [Fact]
    public void Create_refuses_invalid_names_and_an_empty_run_id_with_every_error()
    {
        var definition = Definition() with { DataSourceName = "-bad", ScanName = "ab", CollectionName = " " };

        var result = ScanRunLifecycle.Create(new ScanRunId(Guid.Empty), definition, T0);

        Assert.False(result.IsCreated);
        Assert.Null(result.Event);
        Assert.Equal(["dataSourceName", "scanName", "collectionName", "runId"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Create_stores_times_in_utc()
    {
        var local = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(2));

        var run = New(local);

        Assert.Equal(TimeSpan.Zero, run.CreatedAt.Offset);
        Assert.Equal(T0, run.CreatedAt);
    }

    [Fact]
    public void A_run_goes_from_accepted_to_succeeded_through_both_phases()
    {
        var created = New();
        var started = created.Start(At(2)).Ok();
        var discovered = started.RecordDiscovered(7, At(3)).Ok().RecordDiscovered(3, At(4)).Ok();
        var classified = discovered.RecordClassified(4, At(5)).Ok();
        var scanned = classified.CompleteScan(At(10)).Ok();
        var ingesting = scanned.StartIngestion(At(11)).Ok();
        var recorded = ingesting.RecordIngested(6, 0, 2, 0, At(12)).Ok().RecordIngested(4, 0, 1, 0, At(13)).Ok();
        var done = recorded.CompleteIngestion(At(20)).Ok();

        Assert.Equal(
            [ScanRunStatus.Accepted, ScanRunStatus.InProgress, ScanRunStatus.InProgress, ScanRunStatus.Succeeded],
            new[] { created, started, ingesting, done }.Select(r => r.Status));
        Assert.Equal(new ScanPhase(ScanPhaseStatus.Completed, At(2), At(10), 10, 4, null), done.Scan);
        Assert.Equal(new IngestionPhase(IngestionPhaseStatus.Completed, At(11), At(20), 10, 0, 3, 0, null), done.Ingestion);
        Assert.Equal(At(20), done.EndTime);
        Assert.Equal(TimeSpan.FromMinutes(20), done.Duration);
        Assert.Equal(TimeSpan.FromMinutes(8), done.Scan.Duration);
        Assert.Equal(TimeSpan.FromMinutes(9), done.Ingestion.Duration);
        Assert.Equal(10L, done.Version);
        Assert.Null(done.Error);
    }

    [Fact]
    public void Completing_the_scan_leaves_ingestion_queued_and_the_run_in_progress()
    {
        var run = Scanning().CompleteScan(At(10)).Ok();

        Assert.Equal((ScanPhaseStatus.Completed, IngestionPhaseStatus.Queued, ScanRunStatus.InProgress), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Null(run.Ingestion.StartTime);
        Assert.Null(run.EndTime);
    }

    [Fact]
    public void Classified_assets_cannot_exceed_discovered_assets()
    {
        var run = Scanning();

        var result = run.RecordClassified(11, At(4));

        Assert.Equal((TransitionOutcome.Rejected, TransitionCode.InvalidArgument), (result.Outcome, result.Code));
        Assert.Equal(0, result.Run.Scan.AssetsClassified);
    }

    [Theory]
    [InlineData("discovered")]
    [InlineData("classified")]
    [InlineData("ingested")]
    public void Negative_counts_are_refused(string which)
    {
        var result = which switch
        {
            "discovered" => Scanning().RecordDiscovered(-1, At(4)),
            "classified" => Scanning().RecordClassified(-1, At(4)),
            _ => Ingesting().RecordIngested(1, -1, 0, 0, At(13)),
        };

        Assert.Equal((TransitionOutcome.Rejected, TransitionCode.InvalidArgument), (result.Outcome, result.Code));
    }

    [Theory]
    [InlineData("discovered", "The discovered count must not be negative.")]
    [InlineData("classified", "The classified count must not be negative.")]
    [InlineData("ingested", "Ingestion counts must not be negative.")]
    public void A_negative_count_is_refused_with_the_count_it_names_and_leaves_the_run_as_it_was(string which, string reason)
    {
        var before = which == "ingested" ? Ingesting() : Scanning();
        var result = which switch
        {
            "discovered" => before.RecordDiscovered(-1, At(4)),
            "classified" => before.RecordClassified(-1, At(4)),
            _ => before.RecordIngested(0, 0, -1, 0, At(13)),
        };

        Assert.Equal(reason, result.Reason);
        Assert.Same(before, result.Run);
        Assert.Null(result.Event);
    }

    [Theory]
    [InlineData("discovered", -1)]
    [InlineData("discovered", 0)]
    [InlineData("classified", -1)]
    [InlineData("ingested", -1)]
    [InlineData("ingested", 0)]
    public void Outside_its_phase_a_count_is_an_illegal_transition_whatever_its_value(string which, long count)
    {
        // Scan-phase counts on an ingesting run, ingestion counts on a scanning one: the phase is checked first.
        var result = which switch
        {
            "discovered" => Ingesting().RecordDiscovered(count, At(14)),
            "classified" => Ingesting().RecordClassified(count, At(14)),
            _ => Scanning().RecordIngested(count, 0, 0, 0, At(4)),
        };

        Assert.Equal((TransitionOutcome.Rejected, TransitionCode.IllegalTransition), (result.Outcome, result.Code));
        Assert.StartsWith(which == "ingested" ? "Cannot record ingestion results:" : $"Cannot record {which} assets:", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("discovered", "No assets to add.")]
    [InlineData("classified", "No assets to add.")]
    [InlineData("ingested", "No ingestion results to add.")]
    public void Zero_counts_change_nothing(string which, string reason)
    {
        var result = which switch
        {
            "discovered" => Scanning().RecordDiscovered(0, At(4)),
            "classified" => Scanning().RecordClassified(0, At(4)),
            _ => Ingesting().RecordIngested(0, 0, 0, 0, At(13)),
        };

        Assert.Equal((TransitionOutcome.Unchanged, TransitionCode.NothingToRecord, reason), (result.Outcome, result.Code, result.Reason));
        Assert.Null(result.Event);
    }

    [Fact]
    public void Progress_events_keep_the_status_and_say_what_was_added()
    {
        var result = Scanning().RecordDiscovered(25, At(4));

        Assert.Equal(ScanRunEventKind.DiscoveryRecorded, result.Event!.Kind);
        Assert.False(result.Event.ChangesStatus);
        Assert.Equal("+25 discovered", result.Event.Details);
        Assert.Equal(35, result.Run.Scan.AssetsDiscovered);
    }

    [Fact]
    public void Failing_the_scan_fails_the_run_and_leaves_ingestion_not_started()
    {
        var result = Scanning().FailScan("SourceUnreachable", "Cannot connect to the storage account.", At(5));

        var run = result.Ok();
        Assert.Equal((ScanPhaseStatus.Failed, IngestionPhaseStatus.NotStarted, ScanRunStatus.Failed), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal(new ScanRunError("SourceUnreachable", "Cannot connect to the storage account."), run.Scan.Error);
        Assert.Equal(run.Scan.Error, run.Error);
        Assert.Equal((At(5), At(5)), (run.Scan.EndTime!.Value, run.EndTime!.Value));
        Assert.Null(run.Ingestion.StartTime);
        Assert.Equal(
            (ScanRunEventKind.ScanFailed, ScanRunStatus.InProgress, ScanRunStatus.Failed, "SourceUnreachable"),
            (result.Event!.Kind, result.Event.FromStatus!.Value, result.Event.ToStatus, result.Event.Details));
    }

    [Fact]
    public void Failing_the_scan_before_it_started_ends_the_wait_but_gives_the_phase_no_times()
    {
        var run = Queued().FailScan("IntegrationRuntimeOffline", "The runtime has no nodes online.", At(30)).Ok();

        Assert.Equal(ScanRunStatus.Failed, run.Status);
        Assert.Equal((null, null), (run.Scan.StartTime, run.Scan.EndTime));
        Assert.Equal(TimeSpan.FromMinutes(30), run.TimeQueued);
        Assert.Null(run.WaitingSince);
    }

    [Fact]
    public void Failing_ingestion_keeps_the_completed_scan_phase_and_fails_the_run()
    {
        var run = Ingesting().FailIngestion("DataMapUnavailable", "Data map is down.", At(15)).Ok();

        Assert.Equal((ScanPhaseStatus.Completed, IngestionPhaseStatus.Failed, ScanRunStatus.Failed), (run.Scan.Status, run.Ingestion.Status, run.Status));
        Assert.Equal(new ScanRunError("DataMapUnavailable", "Data map is down."), run.Error);
        Assert.Equal(TimeSpan.FromMinutes(4), run.Ingestion.Duration);
    }

    [Fact]
    public void Failing_queued_ingestion_gives_it_no_times()
    {
        var run = ScanCompleted().FailIngestion("DataMapUnavailable", "Data map is down.", At(12)).Ok();

        Assert.Equal(IngestionPhaseStatus.Failed, run.Ingestion.Status);
        Assert.Equal((null, null), (run.Ingestion.StartTime, run.Ingestion.EndTime));
        Assert.Equal(At(12), run.EndTime);
    }

    [Theory]
    [InlineData("", "message")]
    [InlineData("Code", " ")]
    public void A_failure_without_code_or_message_is_refused(string code, string message)
    {
        var scan = Scanning().FailScan(code, message, At(5));
        var ingestion = Ingesting().FailIngestion(code, message, At(15));

        Assert.Equal(TransitionCode.InvalidArgument, scan.Code);
        Assert.Equal(TransitionCode.InvalidArgument, ingestion.Code);
    }

    [Fact]
    public void A_time_before_the_last_update_is_taken_as_the_last_update()
    {
        var run = Scanning();

        var completed = run.CompleteScan(At(1)).Ok();

        Assert.Equal(At(3), completed.Scan.EndTime);
        Assert.True(completed.Scan.Duration >= TimeSpan.Zero);
    }

    [Fact]
    public void Times_with_an_offset_are_recorded_in_utc()
    {
        var run = Queued().Start(At(2).ToOffset(TimeSpan.FromHours(-5))).Ok();

        Assert.Equal(TimeSpan.Zero, run.Scan.StartTime!.Value.Offset);
        Assert.Equal(At(2), run.Scan.StartTime);
    }

    [Fact]
    public void Admit_applies_each_admission_decision()
    {
        Assert.Equal(ScanPhaseStatus.InProgress, Queued().Admit(AdmissionDecision.Admitted, At(1)).Ok().Scan.Status);
        Assert.Equal(ScanPhaseStatus.Throttled, Queued().Admit(AdmissionDecision.Throttled, At(1)).Ok().Scan.Status);
        Assert.Equal(ScanPhaseStatus.Queued, Throttled().Admit(AdmissionDecision.Queued, At(2)).Ok().Scan.Status);
    }

    [Fact]
    public void The_same_operations_at_the_same_times_give_the_same_run()
    {
        var id = Guid.NewGuid();

        ScanRun Replay() => New(T0, id: id).Start(At(1)).Ok().RecordDiscovered(4, At(2)).Ok().CompleteScan(At(3)).Ok();

        Assert.Equal(Replay(), Replay());
    }
}
