using Purview.Core.DataMap;
using Purview.Storage.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.DataMap;

public sealed class TableDataMapTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A data map over the tables of <paramref name="prefix"/>: a second instance on the same prefix is another process (no shared memory).</summary>
    private async Task<TableDataMap> CreateAsync(string prefix) =>
        (await StoresUnderTest.CreateAsync(azurite, prefix, layout => new TableDataMap(layout))).Store;

    private static DataMapEntity Dataset(string name) => DataMapEntity.Create("openlineage_dataset", "ns/" + name, name, "root", false, At);

    private static DataMapWrite Job(string key, string job, params string[] inputs)
    {
        var process = DataMapEntity.Create("openlineage_job", "ns/" + job, job, "root", true, At);
        var datasets = inputs.Select(Dataset).ToList();
        return new DataMapWrite(key, [process, .. datasets],
            datasets.Select(d => DataMapRelationship.Create(RelationKind.Lineage, "dataset_process_inputs", d.Guid, process.Guid)).ToList());
    }

    [Fact]
    public async Task Each_new_row_is_credited_to_the_first_writer_naming_it_and_known_rows_to_nobody_else()
    {
        var map = await CreateAsync("dm" + Guid.NewGuid().ToString("N")[..8]);

        var counts = await map.WriteAsync([Job("a", "job1", "x", "y"), Job("b", "job2", "y", "z"), Job("c", "job1", "x")], default);

        Assert.Equal([new DataMapWriteCounts(3, 2), new DataMapWriteCounts(2, 2), new DataMapWriteCounts(0, 0)], counts);
        var again = await map.WriteAsync([Job("d", "job1", "x", "y", "w")], default);
        Assert.Equal(new DataMapWriteCounts(1, 1), again[0]);
    }

    [Fact]
    public async Task A_writer_retried_by_another_process_is_credited_again_with_what_it_created_and_nobody_else_is()
    {
        var prefix = "dm" + Guid.NewGuid().ToString("N")[..8];
        var first = await CreateAsync(prefix);
        Assert.Equal(new DataMapWriteCounts(3, 2), (await first.WriteAsync([Job("event-1", "job1", "x", "y")], default))[0]);

        // A crash after the rows were written: the retry runs in a process that never saw them, and in the one that did.
        var other = await CreateAsync(prefix);
        var retried = await other.WriteAsync([Job("event-2", "job1", "x"), Job("event-1", "job1", "x", "y")], default);
        Assert.Equal([new DataMapWriteCounts(0, 0), new DataMapWriteCounts(3, 2)], retried);
        Assert.Equal([new DataMapWriteCounts(3, 2)], await first.WriteAsync([Job("event-1", "job1", "x", "y")], default));
        Assert.Equal(0, await other.UpsertEntitiesAsync([Dataset("x"), Dataset("y")], default));
        Assert.Equal(1, await other.UpsertEntitiesAsync([Dataset("x"), Dataset("new")], default));
    }

    [Fact]
    public async Task Relationships_written_in_batches_are_readable_as_lineage_both_ways()
    {
        var map = await CreateAsync("dm" + Guid.NewGuid().ToString("N")[..8]);
        var inputs = Enumerable.Range(0, 150).Select(i => "in" + i).ToArray();
        var counts = await map.WriteAsync([Job("big", "wide", inputs)], default);
        Assert.Equal(new DataMapWriteCounts(151, 150), counts[0]);

        var job = DataMapIds.EntityGuid("openlineage_job", "ns/wide");
        var upstream = await LineageWalk.RunAsync(map, job, LineageDirection.Input, 1, _ => true, default);
        Assert.Equal(150, upstream!.Relations.Count);
        var downstream = await LineageWalk.RunAsync(map, Dataset("in7").Guid, LineageDirection.Output, 1, _ => true, default);
        Assert.Equal(job, Assert.Single(downstream!.Relations).ToGuid);
    }

    private static DataMapEntity Scanned(string name, string collection) => DataMapEntity.Create("sqlite_table", "sqlite://race/" + name, name, collection, false, At) with
    {
        Scanned = new Purview.Core.DataMap.ScannedAttributes("ds-" + collection, 1, name, null, [], [], "run-" + collection, At),
    };

    [Fact]
    public async Task Two_processes_claiming_the_same_new_entities_at_once_agree_on_one_owner_for_each()
    {
        var prefix = "dm" + Guid.NewGuid().ToString("N")[..8];
        var (a, b) = (await CreateAsync(prefix), await CreateAsync(prefix));
        var entities = Enumerable.Range(0, 60).Select(i => Dataset("claim" + i)).ToList();

        var claims = await Task.WhenAll(a.ClaimAsync("alpha", entities, default), b.ClaimAsync("beta", entities, default));

        var stored = await a.GetOwnersAsync(entities.Select(e => e.Guid).ToList(), default);
        Assert.All(entities, e =>
        {
            Assert.Contains(stored[e.Guid], new[] { "alpha", "beta" });
            Assert.Equal(stored[e.Guid], claims[0][e.Guid]);
            Assert.Equal(stored[e.Guid], claims[1][e.Guid]);
        });
    }

    [Fact]
    public async Task Two_collections_writing_the_same_scanned_entities_at_once_each_write_is_either_stored_or_skipped()
    {
        var prefix = "dm" + Guid.NewGuid().ToString("N")[..8];
        var (a, b) = (await CreateAsync(prefix), await CreateAsync(prefix));
        var names = Enumerable.Range(0, 300).Select(i => "t" + i).ToList();

        var results = await Task.WhenAll(
            a.WriteScannedEntitiesAsync(names.Select(n => Scanned(n, "alpha")).ToList(), default),
            b.WriteScannedEntitiesAsync(names.Select(n => Scanned(n, "beta")).ToList(), default));

        var skippedByA = results[0].Skipped.Select(s => s.Guid).ToHashSet();
        var skippedByB = results[1].Skipped.Select(s => s.Guid).ToHashSet();
        foreach (var name in names)
        {
            var guid = Scanned(name, "alpha").Guid;
            var entity = await a.GetEntityByGuidAsync(guid, default);
            Assert.NotNull(entity);
            // Exactly one writer skipped it: the one that does not own it; the stored row is entirely the owner's.
            Assert.True(skippedByA.Contains(guid) ^ skippedByB.Contains(guid), name);
            Assert.Equal(skippedByA.Contains(guid) ? "beta" : "alpha", entity.Collection);
            Assert.Equal("ds-" + entity.Collection, entity.Scanned!.DataSource);
        }

        // A later write by the owner replaces its row; by the other collection, skips it again.
        var again = await b.WriteScannedEntitiesAsync(names.Select(n => Scanned(n, "beta")).ToList(), default);
        Assert.Equal(skippedByB, again.Skipped.Select(s => s.Guid).ToHashSet());
    }

    [Fact]
    public async Task An_entity_pushed_before_owner_rows_existed_keeps_the_collection_it_was_pushed_in()
    {
        var map = await CreateAsync("dm" + Guid.NewGuid().ToString("N")[..8]);
        var legacy = Dataset("legacy"); // collection "root", written by a link push (no owner row)
        await map.UpsertEntitiesAsync([legacy], default);

        var claimed = await map.ClaimAsync("beta", [legacy], default);

        Assert.Equal("root", claimed[legacy.Guid]);
        Assert.Equal("root", (await map.GetEntityByGuidAsync(legacy.Guid, default))!.Collection);
        Assert.True(await map.MoveAsync(legacy.Guid, "root", "beta", default));
        Assert.False(await map.MoveAsync(legacy.Guid, "root", "alpha", default));
        Assert.Equal("beta", (await map.GetEntityByGuidAsync(legacy.Guid, default))!.Collection);
        Assert.True(await map.AnyOwnedByAsync("beta", default));
        Assert.False(await map.AnyOwnedByAsync("root", default));
    }
}
