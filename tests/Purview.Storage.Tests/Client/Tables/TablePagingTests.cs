using Azure.Data.Tables;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary><see cref="EntityTable.QueryPageAsync"/>'s pages and continuation tokens, and <see cref="EntityTable.QueryAsync"/> following them.</summary>
public sealed class TablePagingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Pages_of_500_carry_continuation_tokens_and_QueryAsync_yields_every_entity_once()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        // 1,250 entities in 5 partitions of 250, written 100 at a time (Azurite slows down with partition size).
        var expected = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < 5; p++)
        {
            for (var start = 0; start < 250; start += 100)
            {
                var actions = Enumerable.Range(start, Math.Min(100, 250 - start))
                    .Select(r => new TableTransactionAction(TableTransactionActionType.Add,
                        new TableEntity($"p{p}", $"r{r:D4}") { ["N"] = (p * 1000) + r }))
                    .ToList();
                await table.Client.SubmitTransactionAsync(actions);
                expected.UnionWith(actions.Select(a => a.Entity.PartitionKey + "/" + a.Entity.RowKey));
            }
        }

        var pages = new List<TableQueryPage<TableEntity>>();
        string? token = null;
        do
        {
            var page = await table.Client.QueryPageAsync(top: 500, continuationToken: token);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null && pages.Count < 20);

        Assert.Equal(3, pages.Count);
        Assert.Equal([500, 500, 250], pages.Select(p => p.Items.Count));
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.NotNull(pages[1].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
        var paged = pages.SelectMany(p => p.Items).Select(e => e.PartitionKey + "/" + e.RowKey).ToList();
        Assert.Equal(1250, paged.Count);
        Assert.True(expected.SetEquals(paged));

        var streamed = await table.Client.QueryAsync(pageSize: 300).ToListAsync();
        Assert.Equal(1250, streamed.Count);
        Assert.Equal(1250, streamed.Select(e => e.PartitionKey + "/" + e.RowKey).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(p => Enumerable.Range(0, 250).Select(r => (p * 1000) + r)).Order(),
            streamed.Select(e => e.GetInt32("N")!.Value).Order());

        // A filtered query with a projection also pages, and only returns what was selected.
        var filtered = await table.Client.QueryAsync(
            TableFilter.And(TableFilter.PartitionKeyEquals("p3"), TableFilter.RowKeyRange("r0100", "r0200")), select: ["N"], pageSize: 40).ToListAsync();
        Assert.Equal(Enumerable.Range(3100, 100), filtered.Select(e => e.GetInt32("N")!.Value).Order());
    }

    [Fact]
    public async Task A_continuation_token_from_a_page_resumes_on_a_fresh_adapter_and_tokens_it_never_made_are_refused()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.SubmitTransactionAsync(Enumerable.Range(0, 30)
            .Select(r => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{r:D2}"))).ToList());

        var first = await table.Client.QueryPageAsync(top: 20);
        // A token travels to callers (an API's $skipToken) and comes back to another instance.
        var second = await new EntityTable(TempTable.ServiceFor(azurite), table.Name).QueryPageAsync(top: 20, continuationToken: first.ContinuationToken);

        Assert.Equal(Enumerable.Range(0, 20).Select(r => $"r{r:D2}"), first.Items.Select(e => e.RowKey));
        Assert.Equal(Enumerable.Range(20, 10).Select(r => $"r{r:D2}"), second.Items.Select(e => e.RowKey));
        Assert.Null(second.ContinuationToken);
        foreach (var bad in new[] { "", "nospace", " leadingspace" })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(() => table.Client.QueryPageAsync(continuationToken: bad));
            Assert.Equal("continuationToken", ex.ParamName);
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.Client.QueryPageAsync(top: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.Client.QueryPageAsync(top: 1001));
        Assert.Equal(30, (await table.Client.QueryPageAsync(top: 1000)).Items.Count);
    }
}
