using Azure;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

public sealed class TableClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static TableEntity Entity(string pk, string rk, params (string Name, object? Value)[] properties)
    {
        var entity = new TableEntity(pk, rk);
        foreach (var (name, value) in properties)
        {
            entity[name] = value;
        }

        return entity;
    }

    [Fact]
    public async Task Tables_are_created_once_reported_as_existing_and_deleted()
    {
        var service = new TableServiceClient(azurite.Account);
        var name = UniqueName.Table();

        Assert.False(await service.TableExistsAsync(name));
        Assert.True(await service.CreateTableIfNotExistsAsync(name));
        Assert.False(await service.CreateTableIfNotExistsAsync(name));
        Assert.True(await service.TableExistsAsync(name));
        Assert.Contains(name, await service.QueryTablesAsync(TableFilter.Create($"TableName eq {name}")).ToListAsync());

        await service.DeleteTableAsync(name);
        Assert.False(await service.TableExistsAsync(name));
        Assert.False(await service.DeleteTableIfExistsAsync(name));
    }

    [Fact]
    public async Task Creating_an_existing_table_is_a_409_TableAlreadyExists()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.CreateAsync());
        Assert.Equal(409, ex.Status);
        Assert.Equal("TableAlreadyExists", ex.ErrorCode);
    }

    [Fact]
    public async Task Operations_on_a_missing_table_are_404_TableNotFound()
    {
        var client = new TableServiceClient(azurite.Account).GetTableClient(UniqueName.Table());

        var add = await Assert.ThrowsAsync<StorageException>(() => client.AddEntityAsync(Entity("p", "r")));
        Assert.Equal(404, add.Status);
        Assert.Equal("TableNotFound", add.ErrorCode);
        Assert.True(add.IsNotFound);

        var get = await Assert.ThrowsAsync<StorageException>(() => client.GetEntityOrDefaultAsync("p", "r"));
        Assert.Equal("TableNotFound", get.ErrorCode);

        // Deleting a missing table addresses a missing resource (Tables('name')), so the code is the generic one.
        var delete = await Assert.ThrowsAsync<StorageException>(() => client.DeleteAsync());
        Assert.Equal(404, delete.Status);
        Assert.Equal("ResourceNotFound", delete.ErrorCode);
    }

    [Fact]
    public async Task Add_then_get_returns_the_properties_the_etag_and_a_timestamp()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        var etag = await table.Client.AddEntityAsync(Entity("p1", "r1", ("Name", "alpha"), ("Count", 3)));
        var read = await table.Client.GetEntityAsync("p1", "r1");

        Assert.NotEqual(default, etag);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("p1", read.PartitionKey);
        Assert.Equal("r1", read.RowKey);
        Assert.Equal("alpha", read.GetString("Name"));
        Assert.Equal(3, read.GetInt32("Count"));
        Assert.Equal(2, read.Count);
        Assert.NotNull(read.Timestamp);
        Assert.True(read.Timestamp > before);
    }

    [Fact]
    public async Task Adding_an_existing_entity_is_a_409_EntityAlreadyExists()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(Entity("p", "r", ("V", 1)));

        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.AddEntityAsync(Entity("p", "r", ("V", 2))));

        Assert.Equal(409, ex.Status);
        Assert.True(ex.IsConflict);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Equal(1, (await table.Client.GetEntityAsync("p", "r")).GetInt32("V"));
    }

    [Fact]
    public async Task Upsert_merge_keeps_properties_not_sent()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.UpsertEntityAsync(Entity("p", "r", ("A", "a"), ("B", 1)), TableUpdateMode.Merge);

        await table.Client.UpsertEntityAsync(Entity("p", "r", ("B", 2), ("C", true)), TableUpdateMode.Merge);

        var read = await table.Client.GetEntityAsync("p", "r");
        Assert.Equal("a", read.GetString("A"));
        Assert.Equal(2, read.GetInt32("B"));
        Assert.Equal(true, read.GetBoolean("C"));
    }

    [Fact]
    public async Task Upsert_replace_drops_properties_not_sent()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.UpsertEntityAsync(Entity("p", "r", ("A", "a"), ("B", 1)), TableUpdateMode.Replace);

        await table.Client.UpsertEntityAsync(Entity("p", "r", ("B", 2)), TableUpdateMode.Replace);

        var read = await table.Client.GetEntityAsync("p", "r");
        Assert.Null(read.GetString("A"));
        Assert.False(read.ContainsKey("A"));
        Assert.Equal(2, read.GetInt32("B"));
    }

    [Fact]
    public async Task Update_with_the_current_etag_succeeds_and_returns_a_new_etag()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var first = await table.Client.AddEntityAsync(Entity("p", "r", ("A", "a"), ("B", 1)));

        var second = await table.Client.UpdateEntityAsync(Entity("p", "r", ("B", 2)), first, TableUpdateMode.Merge);
        var third = await table.Client.UpdateEntityAsync(Entity("p", "r", ("C", 3)), second, TableUpdateMode.Replace);

        Assert.NotEqual(first, second);
        Assert.NotEqual(second, third);
        var read = await table.Client.GetEntityAsync("p", "r");
        Assert.Equal(third, read.ETag);
        Assert.False(read.ContainsKey("A"));
        Assert.False(read.ContainsKey("B"));
        Assert.Equal(3, read.GetInt32("C"));
    }

    [Fact]
    public async Task Update_with_a_stale_etag_is_a_412_UpdateConditionNotSatisfied()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var stale = await table.Client.AddEntityAsync(Entity("p", "r", ("V", 1)));
        await table.Client.UpdateEntityAsync(Entity("p", "r", ("V", 2)), stale);

        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.UpdateEntityAsync(Entity("p", "r", ("V", 3)), stale));

        Assert.Equal(412, ex.Status);
        Assert.True(ex.IsPreconditionFailed);
        Assert.Equal("UpdateConditionNotSatisfied", ex.ErrorCode);
        Assert.Equal(2, (await table.Client.GetEntityAsync("p", "r")).GetInt32("V"));

        var deleteEx = await Assert.ThrowsAsync<StorageException>(() => table.Client.DeleteEntityAsync("p", "r", stale));
        Assert.True(deleteEx.IsPreconditionFailed);
        Assert.Equal("UpdateConditionNotSatisfied", deleteEx.ErrorCode);
    }

    [Fact]
    public async Task Update_with_etag_all_overwrites_any_version_but_needs_the_entity()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(Entity("p", "r", ("V", 1)));

        await table.Client.UpdateEntityAsync(Entity("p", "r", ("V", 5)), ETag.All, TableUpdateMode.Replace);
        var missing = await Assert.ThrowsAsync<StorageException>(() => table.Client.UpdateEntityAsync(Entity("p", "other", ("V", 5)), ETag.All));

        Assert.Equal(5, (await table.Client.GetEntityAsync("p", "r")).GetInt32("V"));
        Assert.Equal(404, missing.Status);
        Assert.Equal("ResourceNotFound", missing.ErrorCode);
        Assert.Throws<ArgumentException>(() => { _ = table.Client.UpdateEntityAsync(Entity("p", "r"), default); });
    }

    [Fact]
    public async Task Get_of_a_missing_entity_throws_404_and_OrDefault_returns_null()
    {
        await using var table = await TempTable.CreateAsync(azurite);

        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.GetEntityAsync("p", "nope"));

        Assert.Equal(404, ex.Status);
        Assert.Equal("ResourceNotFound", ex.ErrorCode);
        Assert.Null(await table.Client.GetEntityOrDefaultAsync("p", "nope"));
    }

    [Fact]
    public async Task OrDefault_with_keys_that_could_never_be_stored_returns_null_and_Get_still_refuses_them()
    {
        await using var table = await TempTable.CreateAsync(azurite);

        Assert.Null(await table.Client.GetEntityOrDefaultAsync(new string('a', 2048), "r"));
        Assert.Null(await table.Client.GetEntityOrDefaultAsync("p", "a/b"));
        Assert.Null(await table.Client.GetEntityOrDefaultAsync("p#", "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => table.Client.GetEntityAsync("p", "a/b"));
    }

    [Fact]
    public async Task Get_with_select_returns_only_the_selected_properties()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(Entity("p", "r", ("A", "a"), ("B", 2), ("C", 3.5)));

        var read = await table.Client.GetEntityAsync("p", "r", select: ["B", "C"]);

        Assert.Equal(2, read.GetInt32("B"));
        Assert.Equal(3.5, read.GetDouble("C"));
        Assert.False(read.ContainsKey("A"));
    }

    [Fact]
    public async Task Delete_removes_the_entity_and_a_second_delete_is_404_unless_ignored()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var etag = await table.Client.AddEntityAsync(Entity("p", "r"));

        await table.Client.DeleteEntityAsync("p", "r", etag);

        Assert.Null(await table.Client.GetEntityOrDefaultAsync("p", "r"));
        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.DeleteEntityAsync("p", "r"));
        Assert.Equal(404, ex.Status);
        Assert.False(await table.Client.DeleteEntityIfExistsAsync("p", "r"));
        await table.Client.AddEntityAsync(Entity("p", "r2"));
        Assert.True(await table.Client.DeleteEntityIfExistsAsync("p", "r2"));
    }

    [Theory]
    [InlineData("with space", "a b  c")]
    [InlineData("quote'd", "it''s")]
    [InlineData("percent%20sign", "100%")]
    [InlineData("ünïcödé", "日本語")]
    [InlineData("emoji 🎉", "🚀👩‍💻")]
    [InlineData("", "")]
    [InlineData("plus+and&amp=eq", "(paren),comma;semi:colon@at")]
    public async Task Keys_with_awkward_characters_round_trip_through_every_operation(string pk, string rk)
    {
        await using var table = await TempTable.CreateAsync(azurite);

        var etag = await table.Client.AddEntityAsync(Entity(pk, rk, ("V", 1)));
        var read = await table.Client.GetEntityAsync(pk, rk);
        Assert.Equal(pk, read.PartitionKey);
        Assert.Equal(rk, read.RowKey);
        Assert.Equal(etag, read.ETag);

        var updated = await table.Client.UpdateEntityAsync(Entity(pk, rk, ("V", 2)), etag);
        await table.Client.UpsertEntityAsync(Entity(pk, rk, ("W", 3)), TableUpdateMode.Merge);
        var queried = await table.Client.QueryAsync(TableFilter.And(TableFilter.PartitionKeyEquals(pk), TableFilter.RowKeyEquals(rk))).ToListAsync();
        var only = Assert.Single(queried);
        Assert.Equal(2, only.GetInt32("V"));
        Assert.Equal(3, only.GetInt32("W"));
        Assert.NotEqual(updated, only.ETag);

        await table.Client.DeleteEntityAsync(pk, rk, only.ETag);
        Assert.Null(await table.Client.GetEntityOrDefaultAsync(pk, rk));
    }

    [Fact]
    public async Task Invalid_keys_are_rejected_before_any_request()
    {
        // The table does not exist: a request would fail with 404, so an ArgumentException proves nothing was sent.
        var client = new TableServiceClient(azurite.Account).GetTableClient(UniqueName.Table());

        var slash = await Assert.ThrowsAsync<ArgumentException>(() => client.AddEntityAsync(Entity("a/b", "r")));
        Assert.Equal("PartitionKey", slash.ParamName);
        var hash = await Assert.ThrowsAsync<ArgumentException>(() => client.GetEntityAsync("p", "r#1"));
        Assert.Equal("RowKey", hash.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpsertEntityAsync(Entity("p", "tab\there")));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteEntityAsync("p", new string('x', 1025)));
    }
}
