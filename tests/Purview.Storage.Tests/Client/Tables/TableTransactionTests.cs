using Azure;
using Azure.Data.Tables;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary><see cref="EntityTable.SubmitTransactionAsync"/>: all or nothing, the failed operation's index, the checks made before sending.</summary>
public sealed class TableTransactionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static TableTransactionAction Op(TableTransactionActionType type, string pk, string rk, int? value = null, ETag etag = default)
    {
        var entity = new TableEntity(pk, rk);
        if (value is { } v)
        {
            entity["V"] = v;
        }

        return new TableTransactionAction(type, entity, etag);
    }

    [Fact]
    public async Task A_transaction_applies_every_kind_of_operation_and_returns_per_operation_etags()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var mergeTarget = await table.Client.AddEntityAsync(new TableEntity("p", "merge") { ["Kept"] = "k", ["V"] = 0 });
        await table.Client.AddEntityAsync(new TableEntity("p", "replace") { ["Dropped"] = "d", ["V"] = 0 });
        var deleteTarget = await table.Client.AddEntityAsync(new TableEntity("p", "delete"));
        await table.Client.AddEntityAsync(new TableEntity("p", "upsertmerge") { ["Kept"] = "k" });

        var result = await table.Client.SubmitTransactionAsync(
        [
            Op(TableTransactionActionType.Add, "p", "add", 1),
            Op(TableTransactionActionType.UpsertMerge, "p", "upsertmerge", 2),
            Op(TableTransactionActionType.UpsertReplace, "p", "upsertreplace", 3),
            Op(TableTransactionActionType.UpdateMerge, "p", "merge", 4, mergeTarget),
            Op(TableTransactionActionType.UpdateReplace, "p", "replace", 5, ETag.All),
            Op(TableTransactionActionType.Delete, "p", "delete", etag: deleteTarget),
        ]);

        Assert.Equal(6, result.ETags.Count);
        var rows = (await table.Client.QueryAsync().ToListAsync()).ToDictionary(e => e.RowKey);
        Assert.Equal(["add", "merge", "replace", "upsertmerge", "upsertreplace"], rows.Keys.Order());
        for (var i = 0; i < 5; i++)
        {
            Assert.NotEqual(default, result.ETags[i]);
        }

        Assert.Equal(result.ETags[0], rows["add"].ETag);
        Assert.Equal(result.ETags[3], rows["merge"].ETag);
        Assert.Equal(result.ETags[4], rows["replace"].ETag);
        Assert.Equal(1, rows["add"].GetInt32("V"));
        Assert.Equal(2, rows["upsertmerge"].GetInt32("V"));
        Assert.Equal("k", rows["upsertmerge"].GetString("Kept"));
        Assert.Equal(3, rows["upsertreplace"].GetInt32("V"));
        Assert.Equal(4, rows["merge"].GetInt32("V"));
        Assert.Equal("k", rows["merge"].GetString("Kept"));
        Assert.Equal(5, rows["replace"].GetInt32("V"));
        Assert.False(rows["replace"].ContainsKey("Dropped"));
    }

    [Fact]
    public async Task A_batch_whose_third_operation_conflicts_reports_index_2_and_writes_nothing()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(new TableEntity("p", "c") { ["V"] = 0 });

        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.SubmitTransactionAsync(
        [
            Op(TableTransactionActionType.Add, "p", "a", 1),
            Op(TableTransactionActionType.Add, "p", "b", 1),
            Op(TableTransactionActionType.Add, "p", "c", 1),
            Op(TableTransactionActionType.Add, "p", "d", 1),
        ]));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(2, ex.FailedOperationIndex);
        Assert.False(string.IsNullOrWhiteSpace(ex.ServiceMessage));
        var rows = await table.Client.QueryAsync().ToListAsync();
        var only = Assert.Single(rows);
        Assert.Equal("c", only.RowKey);
        Assert.Equal(0, only.GetInt32("V"));
    }

    [Fact]
    public async Task A_stale_etag_in_a_transaction_is_a_412_at_its_index()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var stale = await table.Client.AddEntityAsync(new TableEntity("p", "x") { ["V"] = 0 });
        await table.Client.UpsertEntityAsync(new TableEntity("p", "x") { ["V"] = 1 });

        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.SubmitTransactionAsync(
        [
            Op(TableTransactionActionType.UpsertMerge, "p", "y", 1),
            Op(TableTransactionActionType.UpdateReplace, "p", "x", 9, stale),
        ]));

        Assert.Equal(412, ex.Status);
        Assert.True(ex.IsPreconditionFailed);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal(1, ex.FailedOperationIndex);
        Assert.Null(await table.Client.GetEntityOrDefaultAsync("p", "y"));
    }

    [Fact]
    public async Task A_full_batch_of_100_commits()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var actions = Enumerable.Range(0, 100).Select(i => Op(TableTransactionActionType.Add, "p", $"r{i:D3}", i)).ToList();

        var result = await table.Client.SubmitTransactionAsync(actions);

        Assert.Equal(100, result.ETags.Count);
        var rows = await table.Client.QueryAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(0, 100), rows.Select(e => e.GetInt32("V")!.Value).Order());
    }

    [Fact]
    public async Task Invalid_transactions_are_rejected_before_any_request()
    {
        // A missing table: anything sent would fail with 404, so an ArgumentException proves nothing was sent.
        var client = TempTable.Missing(azurite);

        var tooMany = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SubmitTransactionAsync(Enumerable.Range(0, 101).Select(i => Op(TableTransactionActionType.Add, "p", $"r{i}")).ToList()));
        Assert.Contains("101", tooMany.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubmitTransactionAsync([]));
        var partitions = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SubmitTransactionAsync([Op(TableTransactionActionType.Add, "p1", "r"), Op(TableTransactionActionType.Add, "p2", "r")]));
        Assert.Contains("PartitionKey", partitions.Message, StringComparison.Ordinal);
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SubmitTransactionAsync([Op(TableTransactionActionType.Add, "p", "r"), Op(TableTransactionActionType.Delete, "p", "r")]));
        Assert.Contains("RowKey 'r'", duplicate.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubmitTransactionAsync([Op(TableTransactionActionType.Add, "p", "bad/key")]));
        var nullAction = await Assert.ThrowsAsync<ArgumentException>(() => client.SubmitTransactionAsync([Op(TableTransactionActionType.Add, "p", "a"), null!]));
        Assert.Contains("Operation 1", nullAction.Message, StringComparison.Ordinal);
        var unknownType = await Assert.ThrowsAsync<ArgumentException>(() =>
            client.SubmitTransactionAsync([new TableTransactionAction((TableTransactionActionType)42, new TableEntity("p", "r"))]));
        Assert.Contains("unknown type", unknownType.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_properties_are_left_out_of_every_operation_of_a_transaction()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(new TableEntity("p", "merged") { ["Kept"] = "k" });
        var added = new TableEntity("p", "added") { ["Gone"] = null, ["V"] = 1 };

        await table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, added),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "merged") { ["Kept"] = null, ["V"] = 2 }),
        ]);

        var rows = (await table.Client.QueryAsync().ToListAsync()).ToDictionary(e => e.RowKey);
        Assert.False(rows["added"].ContainsKey("Gone"));
        Assert.Equal(1, rows["added"].GetInt32("V"));
        Assert.Equal("k", rows["merged"].GetString("Kept"));
        Assert.Equal(2, rows["merged"].GetInt32("V"));
        Assert.True(added.ContainsKey("Gone"));
    }
}
