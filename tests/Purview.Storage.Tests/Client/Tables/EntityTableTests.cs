using Azure;
using Azure.Data.Tables;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>What <see cref="EntityTable"/> adds to the SDK's TableClient, against Azurite: checks before sending, error mapping, null properties.</summary>
public sealed class EntityTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
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
    public async Task A_table_is_created_once_and_deleted_once()
    {
        var table = TempTable.Missing(azurite);

        Assert.True(await table.CreateIfNotExistsAsync());
        Assert.False(await table.CreateIfNotExistsAsync());
        await table.AddEntityAsync(Entity("p", "r"));
        Assert.True(await table.DeleteIfExistsAsync());
        Assert.False(await table.DeleteIfExistsAsync());

        var gone = await Assert.ThrowsAsync<StorageException>(() => table.GetEntityAsync("p", "r"));
        Assert.Equal("TableNotFound", gone.ErrorCode);
    }

    [Fact]
    public async Task Operations_on_a_missing_table_are_404_TableNotFound()
    {
        var table = TempTable.Missing(azurite);

        var add = await Assert.ThrowsAsync<StorageException>(() => table.AddEntityAsync(Entity("p", "r")));
        Assert.Equal(404, add.Status);
        Assert.Equal("TableNotFound", add.ErrorCode);
        Assert.True(add.IsNotFound);
        Assert.False(string.IsNullOrEmpty(add.RequestId));
        Assert.IsType<RequestFailedException>(add.InnerException);

        // A missing table is not a missing entity: the store would otherwise read "nothing there" from a broken deployment.
        var get = await Assert.ThrowsAsync<StorageException>(() => table.GetEntityOrDefaultAsync("p", "r"));
        Assert.Equal("TableNotFound", get.ErrorCode);

        var query = await Assert.ThrowsAsync<StorageException>(() => table.QueryPageAsync());
        Assert.Equal("TableNotFound", query.ErrorCode);

        var transaction = await Assert.ThrowsAsync<StorageException>(() => table.SubmitTransactionAsync([new(TableTransactionActionType.Add, Entity("p", "r"))]));
        Assert.Equal(404, transaction.Status);
        Assert.Equal("TableNotFound", transaction.ErrorCode);
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
        Assert.Equal(["Count", "Name"], EntitySamples.PropertyNames(read));
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
    public async Task TryAdd_inserts_a_new_entity_and_answers_false_for_an_existing_one_without_writing()
    {
        await using var table = await TempTable.CreateAsync(azurite);

        Assert.True(await table.Client.TryAddEntityAsync(Entity("p", "r", ("V", 1))));
        Assert.False(await table.Client.TryAddEntityAsync(Entity("p", "r", ("V", 2))));

        Assert.Equal(1, (await table.Client.GetEntityAsync("p", "r")).GetInt32("V"));
    }

    [Fact]
    public async Task TryUpdate_answers_the_new_etag_then_null_for_a_stale_or_deleted_entity_and_throws_for_a_missing_table()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var first = await table.Client.AddEntityAsync(Entity("p", "r", ("V", 1)));

        var second = await table.Client.TryUpdateEntityAsync(Entity("p", "r", ("V", 2)), first, TableUpdateMode.Replace);
        var stale = await table.Client.TryUpdateEntityAsync(Entity("p", "r", ("V", 3)), first, TableUpdateMode.Replace);

        var current = await table.Client.GetEntityAsync("p", "r");
        Assert.Equal(current.ETag, second);
        Assert.NotEqual(first, second);
        Assert.Null(stale);
        Assert.Equal(2, current.GetInt32("V"));

        await table.Client.DeleteEntityAsync("p", "r");
        Assert.Null(await table.Client.TryUpdateEntityAsync(Entity("p", "r", ("V", 4)), current.ETag));
        Assert.Null(await table.Client.GetEntityOrDefaultAsync("p", "r"));

        // A missing table is a broken deployment, not a lost race.
        var missing = await Assert.ThrowsAsync<StorageException>(() => TempTable.Missing(azurite).TryUpdateEntityAsync(Entity("p", "r"), ETag.All));
        Assert.Equal("TableNotFound", missing.ErrorCode);
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
        var noEtag = await Assert.ThrowsAsync<ArgumentException>(() => table.Client.UpdateEntityAsync(Entity("p", "r"), default));
        Assert.Equal("ifMatch", noEtag.ParamName);
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
        var client = TempTable.Missing(azurite);

        var slash = await Assert.ThrowsAsync<ArgumentException>(() => client.AddEntityAsync(Entity("a/b", "r")));
        Assert.Equal("PartitionKey", slash.ParamName);
        var hash = await Assert.ThrowsAsync<ArgumentException>(() => client.GetEntityAsync("p", "r#1"));
        Assert.Equal("RowKey", hash.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpsertEntityAsync(Entity("p", "tab\there")));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteEntityAsync("p", new string('x', 1025)));
        await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteEntityIfExistsAsync("p\u0001", "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateEntityAsync(Entity("p", "r?"), ETag.All));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("1starts")]
    [InlineData("dash-ed")]
    [InlineData("Name@odata.type")]
    [InlineData("odata.etag2")]
    [InlineData("ETag")]
    public async Task Invalid_property_names_are_rejected_naming_the_property_before_any_request(string name)
    {
        var client = TempTable.Missing(azurite);
        var entity = Entity("p", "r", ("Fine", 1), (name, "x"));

        var add = await Assert.ThrowsAsync<ArgumentException>(() => client.AddEntityAsync(entity));
        Assert.Contains($"'{name}'", add.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpsertEntityAsync(entity));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubmitTransactionAsync([new(TableTransactionActionType.UpsertMerge, entity)]));
    }

    [Fact]
    public async Task Property_values_of_types_tables_cannot_store_are_rejected_naming_the_property_and_type()
    {
        var client = TempTable.Missing(azurite);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.AddEntityAsync(Entity("p", "r", ("Price", 1.5m))));

        Assert.Contains("'Price'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Decimal", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpsertEntityAsync(Entity("p", "r", ("When", TimeSpan.FromHours(1)))));
        await Assert.ThrowsAsync<ArgumentException>(() => client.AddEntityAsync(Entity("p", "r", ("Small", (short)1))));
    }

    [Fact]
    public async Task Null_properties_are_left_out_so_a_merge_keeps_the_stored_value_and_a_replace_drops_it()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var written = Entity("p", "r", ("Kept", "k"), ("Missing", null));

        await table.Client.AddEntityAsync(written);
        var read = await table.Client.GetEntityAsync("p", "r");
        Assert.False(read.ContainsKey("Missing"));
        Assert.Equal("k", read.GetString("Kept"));
        // The caller's entity is not changed by leaving the null out.
        Assert.True(written.ContainsKey("Missing"));

        await table.Client.UpsertEntityAsync(Entity("p", "r", ("Kept", null), ("Other", 1)), TableUpdateMode.Merge);
        read = await table.Client.GetEntityAsync("p", "r");
        Assert.Equal("k", read.GetString("Kept"));
        Assert.Equal(1, read.GetInt32("Other"));

        await table.Client.UpdateEntityAsync(Entity("p", "r", ("Kept", null), ("Other", 2)), read.ETag, TableUpdateMode.Replace);
        read = await table.Client.GetEntityAsync("p", "r");
        Assert.False(read.ContainsKey("Kept"));
        Assert.Equal(2, read.GetInt32("Other"));
    }
}
