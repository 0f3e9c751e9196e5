using Azure.Data.Tables;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>Every property type through <see cref="EntityTable"/>'s writes and reads, and typed filters built with <see cref="TableFilter"/>.</summary>
public sealed class TableEntityTypeTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Every_property_type_round_trips_with_edge_values()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(EntitySamples.EveryType("p", "r"));

        EntitySamples.AssertEveryType(await table.Client.GetEntityAsync("p", "r"));
        EntitySamples.AssertEveryType(Assert.Single(await table.Client.QueryAsync().ToListAsync()));
    }

    [Fact]
    public async Task Every_property_type_round_trips_through_upsert_and_transactions()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        await table.Client.UpsertEntityAsync(EntitySamples.EveryType("p", "upsert"), TableUpdateMode.Replace);
        await table.Client.SubmitTransactionAsync([new(TableTransactionActionType.Add, EntitySamples.EveryType("p", "batch"))]);

        EntitySamples.AssertEveryType(await table.Client.GetEntityAsync("p", "upsert"));
        EntitySamples.AssertEveryType(await table.Client.GetEntityAsync("p", "batch"));
    }

    [Fact]
    public async Task Filters_compare_typed_values_on_the_server()
    {
        await using var table = await TempTable.CreateAsync(azurite);
        var id = Guid.NewGuid();
        var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "a") { ["Big"] = 5_000_000_000L, ["At"] = when, ["Id"] = id, ["Ratio"] = 0.5, ["Name"] = "O'Brien" }),
            new(TableTransactionActionType.Add, new TableEntity("p", "b") { ["Big"] = 1L, ["At"] = when.AddDays(1), ["Id"] = Guid.NewGuid(), ["Ratio"] = 2.0, ["Name"] = "x" }),
        ]);

        async Task<string[]> Rows(FormattableString filter) =>
            (await table.Client.QueryAsync(TableFilter.Create(filter)).ToListAsync()).Select(e => e.RowKey).Order().ToArray();

        Assert.Equal(["a"], await Rows($"Big gt {4_000_000_000L}"));
        Assert.Equal(["b"], await Rows($"At gt {when}"));
        Assert.Equal(["a"], await Rows($"Id eq {id}"));
        Assert.Equal(["b"], await Rows($"Ratio ge {1.0}"));
        Assert.Equal(["b"], await Rows($"Ratio eq {2.0}"));
        Assert.Equal(["a"], await Rows($"Name eq {"O'Brien"}"));
        Assert.Empty(await Rows($"Name eq {"x' or true or 'a' eq 'a"}"));
    }
}
