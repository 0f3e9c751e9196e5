using Azure.Data.Tables;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Storage.Tests.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests;

/// <summary>The deletions every store's retention and cascades go through, against Azurite.</summary>
public sealed class TableBatchesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task DeleteWhere_deletes_exactly_the_matching_rows_of_every_partition_and_counts_them()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        // 250 rows in one partition (three transactions), 3 in another, and rows the filter does not match.
        await TableBatches.UpsertAllAsync(table.Client, Enumerable.Range(0, 250).Select(i => new TableEntity("a", $"{i:D3}") { ["Day"] = "20250101" }), CancellationToken.None);
        await TableBatches.UpsertAllAsync(table.Client, Enumerable.Range(0, 3).Select(i => new TableEntity("b", $"{i:D3}") { ["Day"] = "20250102" }), CancellationToken.None);
        await TableBatches.UpsertAllAsync(table.Client, Enumerable.Range(0, 5).Select(i => new TableEntity(i % 2 == 0 ? "a" : "c", $"keep{i}") { ["Day"] = "20250301" }), CancellationToken.None);

        var deleted = await TableBatches.DeleteWhereAsync(table.Client, TableFilter.Compare("Day", "lt", "20250201"), CancellationToken.None);

        Assert.Equal(253, deleted);
        var left = await table.Client.QueryAsync().Select(e => e.PartitionKey + "/" + e.RowKey).ToListAsync();
        Assert.Equal(new[] { "a/keep0", "a/keep2", "a/keep4", "c/keep1", "c/keep3" }, left.Order(StringComparer.Ordinal));
        Assert.Equal(0, await TableBatches.DeleteWhereAsync(table.Client, TableFilter.Compare("Day", "lt", "20250201"), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAll_of_a_few_rows_of_one_partition_is_one_transaction_all_or_nothing()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(new TableEntity("p", "scan:x"));
        await table.Client.AddEntityAsync(new TableEntity("p", "filter:x"));
        var rows = new[] { new TableEntity("p", "scan:x"), new TableEntity("p", "filter:x"), new TableEntity("p", "trigger:x") };

        // One row is missing: the one transaction fails at its index and deletes nothing.
        var ex = await Assert.ThrowsAsync<StorageException>(() => TableBatches.DeleteAllAsync(table.Client, rows.ToAsyncEnumerable(), CancellationToken.None));

        Assert.Equal(404, ex.Status);
        Assert.Equal(2, ex.FailedOperationIndex);
        Assert.Equal(2, await table.Client.QueryAsync().CountAsync());
        Assert.Equal(2, await TableBatches.DeleteAllAsync(table.Client, rows.Take(2).ToAsyncEnumerable(), CancellationToken.None));
        Assert.Equal(0, await table.Client.QueryAsync().CountAsync());
    }
}
