using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class AdmissionTests
{
    private static readonly IntegrationRuntimeCapacity BigRuntime = new(Nodes: 4, ConcurrentScansPerNode: 8);

    private static AdmissionSnapshot Snapshot(int accountActive, IntegrationRuntimeCapacity? runtime = null, int runtimeActive = 0, int limit = 5)
    {
        Assert.True(AccountConcurrencyLimit.TryCreate(limit, out var accountLimit));
        return new AdmissionSnapshot(accountLimit, accountActive, runtime ?? BigRuntime, runtimeActive);
    }

    [Fact]
    public void The_sixth_run_with_the_default_limit_of_five_is_throttled()
    {
        var decisions = new List<AdmissionDecision>();
        var active = 0;
        for (var i = 0; i < 6; i++)
        {
            var decision = Admission.Decide(new AdmissionSnapshot(AccountConcurrencyLimit.Default, active, BigRuntime, active));
            decisions.Add(decision);
            if (decision == AdmissionDecision.Admitted)
            {
                active++;
            }
        }

        Assert.Equal([.. Enumerable.Repeat(AdmissionDecision.Admitted, 5), AdmissionDecision.Throttled], decisions);
    }

    [Fact]
    public void A_second_run_on_a_one_node_one_scan_runtime_is_queued()
    {
        var runtime = new IntegrationRuntimeCapacity(Nodes: 1, ConcurrentScansPerNode: 1);

        Assert.Equal(AdmissionDecision.Admitted, Admission.Decide(Snapshot(accountActive: 0, runtime, runtimeActive: 0)));
        Assert.Equal(AdmissionDecision.Queued, Admission.Decide(Snapshot(accountActive: 1, runtime, runtimeActive: 1)));
    }

    [Fact]
    public void Throttling_is_checked_before_runtime_capacity()
    {
        var fullRuntime = new IntegrationRuntimeCapacity(1, 1);

        Assert.Equal(AdmissionDecision.Throttled, Admission.Decide(Snapshot(accountActive: 5, fullRuntime, runtimeActive: 1)));
    }

    [Fact]
    public void A_raised_account_limit_admits_more_runs()
    {
        Assert.Equal(AdmissionDecision.Admitted, Admission.Decide(Snapshot(accountActive: 9, limit: 10)));
        Assert.Equal(AdmissionDecision.Throttled, Admission.Decide(Snapshot(accountActive: 10, limit: 10)));
    }

    [Fact]
    public void A_runtime_with_no_nodes_online_queues_every_run()
    {
        Assert.Equal(AdmissionDecision.Queued, Admission.Decide(Snapshot(accountActive: 0, new IntegrationRuntimeCapacity(0, 4))));
    }

    [Theory]
    [InlineData(2, 3, 6)]
    [InlineData(1, 1, 1)]
    [InlineData(0, 5, 0)]
    public void Runtime_slots_are_nodes_times_concurrent_scans_per_node(int nodes, int perNode, int slots)
    {
        Assert.Equal(slots, new IntegrationRuntimeCapacity(nodes, perNode).Slots);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(10, true)]
    [InlineData(0, false)]
    [InlineData(11, false)]
    [InlineData(-1, false)]
    public void The_account_limit_must_be_between_one_and_ten(int value, bool valid)
    {
        Assert.Equal(valid, AccountConcurrencyLimit.TryCreate(value, out var limit));
        Assert.Equal(valid ? value : AccountConcurrencyLimit.DefaultValue, limit.Value);
        Assert.Equal(valid, AccountConcurrencyLimit.Validate(value) is null);
    }

    [Fact]
    public void The_default_account_limit_is_five()
    {
        Assert.Equal(5, AccountConcurrencyLimit.Default.Value);
    }

    [Fact]
    public void Negative_active_counts_are_a_bug_not_a_decision()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Admission.Decide(Snapshot(accountActive: -1)));
    }

    [Fact]
    public void A_run_in_ingestion_counts_toward_the_account_limit_but_holds_no_runtime_slot()
    {
        var run = Ingesting();

        Assert.Equal((true, false), (run.IsActive, run.HoldsRuntimeSlot));
        Assert.Equal((true, true), (Scanning().IsActive, Scanning().HoldsRuntimeSlot));
        Assert.Equal((false, false), (Throttled().IsActive, Throttled().HoldsRuntimeSlot));
        Assert.Equal((false, false), (Succeeded().IsActive, Succeeded().HoldsRuntimeSlot));
    }
}

public class AdmissionPlanTests
{
    private static readonly Dictionary<string, int> OneFreeSlot = new() { ["shir-01"] = 1 };

    [Fact]
    public void Freed_slots_go_to_the_oldest_waiting_runs_first()
    {
        var newest = New(At(30));
        var oldest = New(At(10));
        var middle = New(At(20));

        var plan = Admission.Plan([newest, oldest, middle], accountFreeSlots: 5, new Dictionary<string, int> { ["shir-01"] = 2 });

        Assert.Equal(
            [
                new AdmissionAssignment(oldest.Id, AdmissionDecision.Admitted),
                new AdmissionAssignment(middle.Id, AdmissionDecision.Admitted),
                new AdmissionAssignment(newest.Id, AdmissionDecision.Queued),
            ],
            plan);
    }

    [Fact]
    public void When_the_account_has_fewer_free_slots_the_rest_are_throttled_in_order()
    {
        var first = New(At(1));
        var second = New(At(2));
        var third = New(At(3));

        var plan = Admission.Plan([third, second, first], accountFreeSlots: 1, new Dictionary<string, int> { ["shir-01"] = 5 });

        Assert.Equal(
            [AdmissionDecision.Admitted, AdmissionDecision.Throttled, AdmissionDecision.Throttled],
            plan.Select(a => a.Decision));
        Assert.Equal([first.Id, second.Id, third.Id], plan.Select(a => a.RunId));
    }

    [Fact]
    public void A_run_whose_runtime_is_full_does_not_block_a_younger_run_on_a_free_runtime()
    {
        var olderOnBusy = New(At(1), runtime: "shir-busy");
        var youngerOnFree = New(At(2), runtime: "shir-free");

        var plan = Admission.Plan(
            [youngerOnFree, olderOnBusy],
            accountFreeSlots: 1,
            new Dictionary<string, int> { ["shir-busy"] = 0, ["shir-free"] = 1 });

        Assert.Equal(
            [
                new AdmissionAssignment(olderOnBusy.Id, AdmissionDecision.Queued),
                new AdmissionAssignment(youngerOnFree.Id, AdmissionDecision.Admitted),
            ],
            plan);
    }

    [Fact]
    public void Runs_created_at_the_same_moment_are_ordered_by_id()
    {
        var b = New(At(1), id: Guid.Parse("00000000-0000-0000-0000-00000000000b"));
        var a = New(At(1), id: Guid.Parse("00000000-0000-0000-0000-00000000000a"));

        var plan = Admission.Plan([b, a], accountFreeSlots: 1, OneFreeSlot);

        Assert.Equal(
            [new AdmissionAssignment(a.Id, AdmissionDecision.Admitted), new AdmissionAssignment(b.Id, AdmissionDecision.Throttled)],
            plan);
    }

    [Fact]
    public void Runtime_names_match_without_regard_to_case_and_unknown_runtimes_have_no_slots()
    {
        var known = New(At(1), runtime: "SHIR-01");
        var unknown = New(At(2), runtime: "shir-unknown");

        var plan = Admission.Plan([known, unknown], accountFreeSlots: 5, OneFreeSlot);

        Assert.Equal([AdmissionDecision.Admitted, AdmissionDecision.Queued], plan.Select(a => a.Decision));
    }

    [Fact]
    public void Runs_that_are_no_longer_waiting_are_left_out_of_the_plan()
    {
        var running = Scanning();
        var waiting = New(At(5));

        var plan = Admission.Plan([running, waiting], accountFreeSlots: 1, OneFreeSlot);

        Assert.Equal([new AdmissionAssignment(waiting.Id, AdmissionDecision.Admitted)], plan);
    }

    [Fact]
    public void Throttled_and_queued_runs_compete_by_creation_time_alone()
    {
        var throttled = New(At(1)).MarkThrottled(At(3)).Ok();
        var queued = New(At(2));

        var plan = Admission.Plan([queued, throttled], accountFreeSlots: 1, OneFreeSlot);

        Assert.Equal(throttled.Id, plan[0].RunId);
        Assert.Equal(AdmissionDecision.Admitted, plan[0].Decision);
    }

    [Fact]
    public void Applying_the_plan_starts_and_parks_each_run()
    {
        var first = New(At(1));
        var second = New(At(2));
        var byId = new[] { first, second }.ToDictionary(r => r.Id);

        var plan = Admission.Plan([first, second], accountFreeSlots: 1, OneFreeSlot);
        var after = plan.Select(a => byId[a.RunId].Admit(a.Decision, At(10)).Ok()).ToList();

        Assert.Equal([ScanPhaseStatus.InProgress, ScanPhaseStatus.Throttled], after.Select(r => r.Scan.Status));
    }
}
