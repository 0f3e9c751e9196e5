using Purview.Storage.Client.Tables;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

public sealed class TableEntityTests
{
    [Fact]
    public void The_indexer_routes_keys_to_their_properties_and_the_bag_holds_only_custom_properties()
    {
        var entity = new TableEntity { ["PartitionKey"] = "p", ["RowKey"] = "r", ["A"] = 1 };

        Assert.Equal("p", entity.PartitionKey);
        Assert.Equal("r", entity.RowKey);
        Assert.Equal("p", entity["PartitionKey"]);
        Assert.Equal(["A"], entity.Keys);
        Assert.Throws<ArgumentException>(() => entity["RowKey"] = 5);
    }

    [Fact]
    public void Getters_widen_numbers_and_convert_datetime_and_binarydata()
    {
        var entity = new TableEntity("p", "r")
        {
            ["I"] = 5,
            ["L"] = 6L,
            ["Dt"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            ["Bd"] = BinaryData.FromBytes(new byte[] { 9, 8 }),
        };

        Assert.Equal(5L, entity.GetInt64("I"));
        Assert.Equal(5.0, entity.GetDouble("I"));
        Assert.Equal(6.0, entity.GetDouble("L"));
        Assert.Throws<InvalidOperationException>(() => entity.GetInt32("L"));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), entity.GetDateTimeOffset("Dt"));
        Assert.Equal(new byte[] { 9, 8 }, entity.GetBinary("Bd"));
        Assert.Null(entity.GetBoolean("Missing"));
    }
}
