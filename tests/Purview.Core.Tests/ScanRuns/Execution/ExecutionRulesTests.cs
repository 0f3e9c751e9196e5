using Purview.Core.Monitoring;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Xunit;

namespace Purview.Core.Tests.ScanRuns.Execution;

public sealed class ExecutionRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static ScanRun NewRun() =>
        ScanRunLifecycle.Create(new ScanRunId(Guid.NewGuid()), new ScanRunDefinition("ds1", "scan1", "root", "AzureStorage", "default", ScanLevel.Full, ScanTrigger.Manual), T0).Run!;

    [Fact]
    public void A_new_run_is_counted_once_in_its_waiting_bucket()
    {
        var plan = RunCounterRules.Apply(null, NewRun());
        Assert.False(plan.Skip);
        Assert.Equal([new CounterDelta(RunBucket.Queued, +1)], plan.Deltas);
    }

    [Fact]
    public void A_bucket_change_moves_the_run_and_a_repeat_or_older_version_changes_nothing()
    {
        var run = NewRun();
        var started = run.Start(T0.AddMinutes(1)).Run;
        var marker = new CountedRun(RunBucket.Queued, run.Version);

        var move = RunCounterRules.Apply(marker, started);
        Assert.Equal([new CounterDelta(RunBucket.Queued, -1), new CounterDelta(RunBucket.InProgress, +1)], move.Deltas);
        Assert.Equal(new CountedRun(RunBucket.InProgress, started.Version), move.Marker);

        Assert.True(RunCounterRules.Apply(move.Marker, started).Skip);
        Assert.True(RunCounterRules.Apply(move.Marker, run).Skip);
    }

    [Fact]
    public void Progress_inside_a_bucket_needs_no_counter_write()
    {
        var started = NewRun().Start(T0.AddMinutes(1)).Run;
        var progressed = started.RecordDiscovered(10, T0.AddMinutes(2)).Run;
        Assert.True(RunCounterRules.Apply(new CountedRun(RunBucket.InProgress, started.Version), progressed).Skip);
    }

    [Fact]
    public void Waiting_buckets_follow_the_scan_phase()
    {
        var run = NewRun();
        Assert.Equal(RunBucket.Throttled, RunBuckets.Of(run.MarkThrottled(T0).Run));
        Assert.Equal(RunBucket.Canceled, RunBuckets.Of(run.Cancel(T0).Run));
    }

    [Fact]
    public void Steps_go_admit_discover_complete_ingest_complete_then_finish()
    {
        var run = NewRun();
        var cp = ScanRunCheckpoint.Start;
        Assert.Equal(ScanRunStepKind.Admit, ScanRunStepPlanner.Next(run, cp, T0));
        run = run.Start(T0).Run;
        Assert.Equal(ScanRunStepKind.DiscoverPage, ScanRunStepPlanner.Next(run, cp, T0));
        cp = cp.AfterDiscoveryPage(1000, "next").AfterDiscoveryPage(0, "more").AfterDiscoveryPage(500, null);
        Assert.Equal(new ScanRunCheckpoint(null, true, 2, 0), cp);
        Assert.Equal(ScanRunStepKind.CompleteScan, ScanRunStepPlanner.Next(run, cp, T0));
        run = run.RecordDiscovered(1500, T0).Run.CompleteScan(T0).Run;
        Assert.Equal(ScanRunStepKind.StartIngestion, ScanRunStepPlanner.Next(run, cp, T0));
        run = run.StartIngestion(T0).Run;
        Assert.Equal(ScanRunStepKind.IngestPage, ScanRunStepPlanner.Next(run, cp, T0));
        cp = cp.AfterIngestedPage().AfterIngestedPage();
        Assert.Equal(ScanRunStepKind.CompleteIngestion, ScanRunStepPlanner.Next(run, cp, T0));
        run = run.CompleteIngestion(T0).Run;
        Assert.Equal(ScanRunStepKind.Finish, ScanRunStepPlanner.Next(run, cp, T0));
    }

    [Fact]
    public void A_run_past_seven_days_times_out_before_anything_else()
    {
        Assert.Equal(ScanRunStepKind.TimeOut, ScanRunStepPlanner.Next(NewRun(), ScanRunCheckpoint.Start, T0.AddDays(7).AddSeconds(1)));
    }

    [Fact]
    public void Admission_throttles_past_the_account_limit_and_queues_on_a_full_runtime_FIFO()
    {
        var state = AdmissionState.Empty;
        var entries = Enumerable.Range(0, 4).Select(i => new AdmissionEntry(Guid.NewGuid(), i == 3 ? "other" : "shir", T0.AddSeconds(i), false)).ToList();
        foreach (var e in entries)
        {
            state = state.Request(e);
        }

        AccountConcurrencyLimit.TryCreate(3, out var limit);
        var (planned, changes) = state.Plan(limit, r => r == "shir" ? 1 : 5);
        Assert.Equal([AdmissionDecision.Admitted, AdmissionDecision.Queued, AdmissionDecision.Queued, AdmissionDecision.Admitted], changes.Select(c => c.Decision));
        Assert.Equal(2, planned.Active.Count);

        // The first run's scan phase ends: its runtime slot goes to the oldest queued run.
        var (afterRelease, next) = planned.ReleaseSlot(entries[0].RunId).Plan(limit, r => r == "shir" ? 1 : 5);
        Assert.Equal([AdmissionDecision.Admitted, AdmissionDecision.Throttled], next.Select(c => c.Decision));
        Assert.Equal(entries[1].RunId, next[0].RunId);
        Assert.Equal(3, afterRelease.Active.Count);
    }

    [Fact]
    public void A_schedule_is_due_once_per_occurrence_and_its_run_id_is_the_same_on_every_host()
    {
        var trigger = new ScanTriggerDefinition("ds1", "scan1", "Hour", 2, T0, null, ScanLevel.Full, T0, T0);
        Assert.Equal(T0.AddHours(2), ScanSchedule.LatestDueTime(trigger, T0.AddHours(1), T0.AddHours(2).AddSeconds(30)));
        Assert.Null(ScanSchedule.LatestDueTime(trigger, T0.AddHours(2), T0.AddHours(3)));
        byte[] key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        byte[] otherKey = [.. key.Reverse()];
        Assert.Equal(ScanSchedule.RunIdFor(key, "ds1", "scan1", T0), ScanSchedule.RunIdFor(key, "DS1", "scan1", T0));
        Assert.NotEqual(ScanSchedule.RunIdFor(key, "ds1", "scan1", T0), ScanSchedule.RunIdFor(key, "ds1", "scan1", T0.AddHours(2)));
        Assert.NotEqual(ScanSchedule.RunIdFor(key, "ds1", "scan1", T0), ScanSchedule.RunIdFor(otherKey, "ds1", "scan1", T0));
        Assert.NotEqual(ScanSchedule.RunIdFor(key, "ds1", "scan1", T0), ScanSchedule.RunIdFor(key, "ds1", "scan1", T0, attempt: 1));
        Assert.Equal(8, ScanSchedule.RunIdFor(key, "ds1", "scan1", T0).Value.Version);
    }

    [Fact]
    public void Monitoring_periods_validate_and_weeks_start_on_Monday()
    {
        Assert.Equal("period", MonitoringPeriod.Parse("90d", null, T0).Error!.Fields[0].Field);
        Assert.Equal("granularity", MonitoringPeriod.Parse("7d", "hour", T0).Error!.Fields[0].Field);
        var p = MonitoringPeriod.Parse("30d", "week", T0).Value!;
        Assert.Equal(30, p.Days().Count());
        Assert.Equal(new DateOnly(2026, 11, 2), p.BucketStart(new DateOnly(2026, 11, 8))); // Sunday -> Monday before
        Assert.Equal(new DateOnly(2026, 11, 2), p.BucketStart(new DateOnly(2026, 11, 2)));
    }
}
