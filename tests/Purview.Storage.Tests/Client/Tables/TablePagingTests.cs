using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

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
}
