using Azure.Data.Tables;
using Purview.Core.Links;
using Purview.Storage.Client.Tables;
using Purview.Storage.Links;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Links;

public sealed class TableLinkRunStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly OpenLineageDataset Input = new("pg://db", "orders");
    private static readonly OpenLineageDataset Output = new("s3://lake", "daily");

    private readonly ManualTimeProvider _time = new(At);

    /// <summary>A store over the tables of <paramref name="prefix"/>: a second instance on the same prefix is another process (no shared memory).</summary>
    private async Task<(TableLinkRunStore Store, StorageLayout Layout)> CreateAsync(string prefix) =>
        await StoresUnderTest.CreateAsync(azurite, prefix, layout => new TableLinkRunStore(layout, _time));

    private static string Prefix() => "lr" + Guid.NewGuid().ToString("N")[..8];

    private static LinkRun State(string runId, string state, int minute, bool datasets = false) =>
        new(LinkSourceType.OpenLineage, "ns", runId, "dag", "task", state, At.AddMinutes(minute), new LineageReport(LineageReport.NotReported, null, 0, 0),
            datasets ? [Input] : null, datasets ? [Output] : null);

    private static Task<IReadOnlyList<LinkRun>> LineageStatesAsync(TableLinkRunStore store, string runId) =>
        store.ListLineageStatesAsync(LinkSourceType.OpenLineage, "ns", runId, default);

    /// <summary>Deletes the head rows of <paramref name="runId"/> and the layout row: what a table written before heads existed holds.</summary>
    private static async Task ForgetHeadsAsync(StorageLayout layout, string runId, bool layoutToo)
    {
        var table = layout.Table("linkruns");
        var rows = await table.QueryAsync(TableFilter.RowKeyEquals(runId + "|~head")).ToListAsync();
        if (layoutToo)
        {
            rows.Add(new TableEntity("~layout", "runheads"));
        }

        foreach (var row in rows)
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }

    [Fact]
    public async Task A_run_whose_events_named_datasets_or_completed_it_lists_every_state_oldest_first()
    {
        var (store, _) = await CreateAsync(Prefix());
        await store.RecordStatesAsync([State("r-datasets", "START", 0, datasets: true), State("r-complete", "START", 0)], default);
        await store.RecordStatesAsync([State("r-datasets", "RUNNING", 1), State("r-complete", "COMPLETE", 2)], default);

        var withDatasets = await LineageStatesAsync(store, "r-datasets");
        var completed = await LineageStatesAsync(store, "r-complete");

        Assert.Equal(["START", "RUNNING"], withDatasets.Select(s => s.State));
        Assert.Equal([Input], withDatasets[0].Inputs);
        Assert.Equal([Output], withDatasets[0].Outputs);
        Assert.Equal(["START", "COMPLETE"], completed.Select(s => s.State));
    }

    [Fact]
    public async Task A_run_whose_events_named_no_datasets_and_did_not_complete_lists_none_yet_stays_readable()
    {
        var (store, _) = await CreateAsync(Prefix());
        await store.RecordStatesAsync([State("r-1", "START", 0), State("r-1", "RUNNING", 1)], default);

        Assert.Empty(await LineageStatesAsync(store, "r-1"));
        Assert.Equal("RUNNING", (await store.GetAsync(LinkSourceType.OpenLineage, "ns", "r-1", default))!.State);
    }

    [Fact]
    public async Task States_are_listed_through_their_head_only_once_the_table_has_heads_from_the_start()
    {
        var prefix = Prefix();
        var (store, layout) = await CreateAsync(prefix);
        await store.RecordStatesAsync([State("r-1", "START", 0, datasets: true)], default);
        await ForgetHeadsAsync(layout, "r-1", layoutToo: false);

        // The table was empty when heads began: a run without one has no states that matter, and is not queried.
        Assert.Empty(await LineageStatesAsync((await CreateAsync(prefix)).Store, "r-1"));
    }

    [Fact]
    public async Task States_recorded_before_heads_existed_are_listed_for_the_link_retention_then_no_longer()
    {
        var prefix = Prefix();
        var (before, layout) = await CreateAsync(prefix);
        await before.RecordStatesAsync([State("old-run", "START", 0, datasets: true)], default);
        await ForgetHeadsAsync(layout, "old-run", layoutToo: true);

        var (upgraded, _) = await CreateAsync(prefix);
        var listed = await LineageStatesAsync(upgraded, "old-run");
        _time.SetUtcNow(At + LinkService.Retention + TimeSpan.FromMinutes(1));
        var afterRetention = await LineageStatesAsync(upgraded, "old-run");

        Assert.Equal([Input], Assert.Single(listed).Inputs);
        Assert.Empty(afterRetention);
    }

    [Fact]
    public async Task Completing_a_new_run_lists_nothing_and_records_the_completion_before_any_state()
    {
        var (store, _) = await CreateAsync(Prefix());

        var listed = await store.CompleteAndListLineageStatesAsync(LinkSourceType.OpenLineage, "ns", "r-new", default);

        Assert.Empty(listed);
        Assert.True(await store.IsCompletedAsync(LinkSourceType.OpenLineage, "ns", "r-new", default));
        Assert.False(await store.IsCompletedAsync(LinkSourceType.OpenLineage, "ns", "r-other", default));
    }

    [Fact]
    public async Task Completing_a_run_whose_events_named_datasets_lists_them_and_marks_it_completed()
    {
        var (store, _) = await CreateAsync(Prefix());
        await store.RecordStatesAsync([State("r-1", "START", 0, datasets: true)], default);
        var completedBefore = await store.IsCompletedAsync(LinkSourceType.OpenLineage, "ns", "r-1", default);

        var listed = await store.CompleteAndListLineageStatesAsync(LinkSourceType.OpenLineage, "ns", "r-1", default);

        Assert.False(completedBefore);
        Assert.Equal([Input], Assert.Single(listed).Inputs);
        Assert.True(await store.IsCompletedAsync(LinkSourceType.OpenLineage, "ns", "r-1", default));
        // The head keeps both flags: a later START of the run still lists its states.
        Assert.Single(await LineageStatesAsync(store, "r-1"));
    }

    [Fact]
    public async Task Completing_a_run_recorded_before_heads_existed_lists_its_states()
    {
        var prefix = Prefix();
        var (before, layout) = await CreateAsync(prefix);
        await before.RecordStatesAsync([State("old-run", "START", 0, datasets: true)], default);
        await ForgetHeadsAsync(layout, "old-run", layoutToo: true);

        var listed = await (await CreateAsync(prefix)).Store.CompleteAndListLineageStatesAsync(LinkSourceType.OpenLineage, "ns", "old-run", default);

        Assert.Equal([Input], Assert.Single(listed).Inputs);
    }

    [Fact]
    public async Task An_array_with_more_states_of_one_partition_than_a_transaction_holds_records_them_all()
    {
        var (store, _) = await CreateAsync(Prefix());
        var runs = Enumerable.Range(0, 400).Select(i => "run-" + i).ToList();
        await store.RecordStatesAsync(runs.Select(r => State(r, "START", 0, datasets: true)).Concat(runs.Select(r => State(r, "COMPLETE", 1))).ToList(), default);

        var listed = await Task.WhenAll(runs.Select(r => LineageStatesAsync(store, r)));

        Assert.All(listed, states => Assert.Equal(["START", "COMPLETE"], states.Select(s => s.State)));
    }

    [Fact]
    public async Task The_same_state_twice_in_one_list_is_recorded_once()
    {
        var (store, _) = await CreateAsync(Prefix());
        await store.RecordStatesAsync([State("r-1", "COMPLETE", 0), State("r-1", "COMPLETE", 0)], default);

        Assert.Equal(["COMPLETE"], (await LineageStatesAsync(store, "r-1")).Select(s => s.State));
    }
}
