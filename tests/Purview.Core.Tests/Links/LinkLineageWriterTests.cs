using Purview.Core.DataMap;
using Purview.Core.Links;
using Purview.Core.Tests.Fakes;
using Xunit;

namespace Purview.Core.Tests.Links;

public sealed class LinkLineageWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 30, 0, TimeSpan.Zero);

    private readonly InMemoryDataMap _dataMap = new();
    private readonly InMemoryRollupStore _rollups = new();
    private readonly InMemoryLinkEventStore _events = new();
    private readonly InMemoryLinkAggregateStore _aggregates = new();

    private LinkLineageWriter Writer => new(_dataMap, _rollups, _events, _aggregates);

    private static DataMapEntity Entity(string name, bool process = false) => DataMapEntity.Create(process ? "adf_copy_operation" : "azure_blob_path", "https://a/" + name, name, "finance", process, Now);

    private static LineagePlan Plan(DataMapEntity from, DataMapEntity process, string runKey) => new(
        [from, process], [DataMapRelationship.Create(RelationKind.Lineage, "dataset_process_inputs", from.Guid, process.Guid)])
    {
        Sightings = [new RollupSighting(process.Guid, runKey, Now)],
    };

    [Fact]
    public async Task A_row_two_plans_name_is_credited_to_the_first_and_a_retried_write_is_credited_again()
    {
        var shared = Entity("shared");
        var first = new LineageWrite("k1", "finance", Plan(shared, Entity("p1", process: true), "run-1"));
        var second = new LineageWrite("k2", "finance", Plan(shared, Entity("p2", process: true), "run-2"));

        var credits = await Writer.WriteAsync([first, second], default);
        var retried = await Writer.WriteAsync([first], default);

        Assert.Equal((2, 1), (credits[0].Entities, credits[0].Relationships));
        Assert.Equal((1, 1), (credits[1].Entities, credits[1].Relationships));
        Assert.Equal((2, 1), (retried[0].Entities, retried[0].Relationships));
        Assert.Equal(3, _dataMap.Entities.Count);
    }

    [Fact]
    public async Task Entities_owned_by_another_collection_are_skipped_and_their_run_counts_not_recorded()
    {
        var process = Entity("p1", process: true);
        await _dataMap.ClaimAsync("sales", [process], default);

        var credit = Assert.Single(await Writer.WriteAsync([new LineageWrite("k1", "finance", Plan(Entity("in"), process, "run-1"))], default));

        Assert.Equal(process.QualifiedName, Assert.Single(credit.Skipped!).QualifiedName);
        Assert.Equal(1, credit.Entities);
        Assert.Empty(await _rollups.GetAsync([process.Guid], default));
    }

    [Fact]
    public async Task Run_counts_are_recorded_once_per_run_key()
    {
        var process = Entity("p1", process: true);
        await Writer.WriteAsync([new LineageWrite("k1", "finance", Plan(Entity("in"), process, "run-1"))], default);
        await Writer.WriteAsync([new LineageWrite("k1", "finance", Plan(Entity("in"), process, "run-1"))], default);
        await Writer.WriteAsync([new LineageWrite("k2", "finance", Plan(Entity("in"), process, "run-2"))], default);

        Assert.Equal(2, (await _rollups.GetAsync([process.Guid], default))[process.Guid].Count);
    }

    [Fact]
    public async Task The_data_map_write_credits_each_plan_and_leaves_its_run_counts_to_the_rollup_step()
    {
        var process = Entity("p1", process: true);
        var written = await Writer.WriteDataMapAsync([new LineageWrite("k1", "finance", Plan(Entity("in"), process, "run-1"))], default);
        var countsBefore = await _rollups.GetAsync([process.Guid], default);
        await Writer.RecordRollupsAsync(written, default);

        Assert.Equal((2, 1), (Assert.Single(written.Credits).Entities, written.Credits[0].Relationships));
        Assert.Empty(countsBefore);
        Assert.Equal(["run-1"], written.Sightings.Select(s => s.Key));
        Assert.Equal(1, (await _rollups.GetAsync([process.Guid], default))[process.Guid].Count);
    }

    [Fact]
    public async Task Only_closed_hours_within_retention_are_marked_for_aggregation()
    {
        LinkEvent At(DateTimeOffset t, string key) => new(LinkSourceType.AzureDataFactory, "adf", "p/a", key, t, Now, "activityrun", 1, 1, true);

        await Writer.MarkLateHoursAsync([At(Now.AddMinutes(-10), "current"), At(Now.AddHours(-2), "late"), At(Now.AddHours(-2).AddMinutes(5), "late-too"), At(Now - LinkService.Retention - TimeSpan.FromHours(1), "expired")], Now, default);

        Assert.Equal([new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero)], await _aggregates.ListDirtyHoursAsync(default));
    }

    [Fact]
    public async Task Recording_reports_duplicates_and_keeps_nothing_past_retention()
    {
        LinkEvent At(DateTimeOffset t, string key) => new(LinkSourceType.AzureDataFactory, "adf", "p/a", key, t, Now, "activityrun", 1, 1, true);

        var first = await Writer.RecordAsync([At(Now, "a"), At(Now - LinkService.Retention - TimeSpan.FromDays(1), "old")], Now, default);
        var second = await Writer.RecordAsync([At(Now, "a"), At(Now, "b")], Now, default);

        Assert.Equal([true, true], first);
        Assert.Equal([false, true], second);
        Assert.Equal(["a", "b"], _events.Events.Select(e => e.DedupeKey).Order());
    }
}
