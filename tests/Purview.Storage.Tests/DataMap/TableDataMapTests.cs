using Microsoft.Extensions.Logging.Abstractions;
using Purview.Core.DataMap;
using Purview.Storage.Client;
using Purview.Storage.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.DataMap;

public sealed class TableDataMapTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A data map over the tables of <paramref name="prefix"/>: a second instance on the same prefix is another process (no shared memory).</summary>
    private async Task<TableDataMap> CreateAsync(string prefix)
    {
        var layout = new StorageLayout(azurite.Account, new StorageClientOptions(), NullLoggerFactory.Instance, prefix);
        var map = new TableDataMap(layout);
        foreach (var table in layout.TableNames)
        {
            await layout.Tables.CreateTableIfNotExistsAsync(table);
        }

        return map;
    }

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
        var upstream = await map.GetLineageAsync(job, LineageDirection.Input, 1, _ => true, default);
        Assert.Equal(150, upstream!.Relations.Count);
        var downstream = await map.GetLineageAsync(Dataset("in7").Guid, LineageDirection.Output, 1, _ => true, default);
        Assert.Equal(job, Assert.Single(downstream!.Relations).ToGuid);
    }
}
