using Purview.Core.DataMap;
using Purview.Storage.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.DataMap;

public sealed class TableRollupStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A store over the tables of <paramref name="prefix"/>: a second instance on the same prefix is another process (no shared memory).</summary>
    private async Task<TableRollupStore> CreateAsync(string prefix) =>
        (await StoresUnderTest.CreateAsync(azurite, prefix, layout => new TableRollupStore(layout))).Store;

    private static string Prefix() => "ru" + Guid.NewGuid().ToString("N")[..8];

    private static RollupSighting Run(int i) => new("entity-1", "run-" + i, At.AddMinutes(i));

    [Fact]
    public async Task Two_processes_taking_turns_on_one_entity_count_every_run_once_each_whatever_each_remembers()
    {
        var prefix = Prefix();
        var (one, two) = (await CreateAsync(prefix), await CreateAsync(prefix));

        // Each process's remembered summary is stale after the other's turn: its replace is refused and it reads again.
        for (var i = 0; i < 6; i++)
        {
            await (i % 2 == 0 ? one : two).RecordAsync([Run(i)], default);
        }

        await one.RecordAsync([Run(1), Run(6)], default); // run-1 was counted by the other process
        await two.RecordAsync([Run(6), Run(0)], default); // both counted before

        var summary = (await (await CreateAsync(prefix)).GetAsync(["entity-1"], default))["entity-1"];
        Assert.Equal(7, summary.Count);
        Assert.Equal("run-6", summary.Latest.Key);
        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => "run-" + i), summary.Recent.Select(r => r.Key));
    }

    [Fact]
    public async Task Concurrent_pushes_from_two_processes_on_one_entity_lose_no_run_and_count_none_twice()
    {
        var prefix = Prefix();
        var stores = new[] { await CreateAsync(prefix), await CreateAsync(prefix) };

        await Parallel.ForEachAsync(Enumerable.Range(0, 40), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => await stores[(i + (i / 30)) % 2].RecordAsync([Run(i % 30)], ct)); // runs 0-9 are sent twice, once from each process

        Assert.Equal(30, (await stores[0].GetAsync(["entity-1"], default))["entity-1"].Count);
    }
}
