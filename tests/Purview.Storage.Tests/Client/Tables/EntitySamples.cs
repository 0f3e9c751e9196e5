using System.Text;
using Azure.Data.Tables;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>An entity with every property type at its edge values, shared by the round-trip and interop tests.</summary>
internal static class EntitySamples
{
    internal static readonly DateTimeOffset AzureMinimumDate = new(1601, 1, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset LatestDate = new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(9_999_999);

    /// <summary>One entity holding every type with its edge values; shared with the interop tests.</summary>
    internal static TableEntity EveryType(string pk, string rk)
    {
        var large = new byte[64 * 1024];
        for (var i = 0; i < large.Length; i++)
        {
            large[i] = (byte)(i * 31 % 251);
        }

        return new TableEntity(pk, rk)
        {
            ["Str"] = "hello",
            ["EmptyStr"] = string.Empty,
            ["Unicode"] = "Grüße, 日本語, עברית, 🎉👩‍💻, quote ' and \"double\" and \\ back",
            ["Int32Min"] = int.MinValue,
            ["Int32Max"] = int.MaxValue,
            ["Int32Zero"] = 0,
            ["Int64Min"] = long.MinValue,
            ["Int64Max"] = long.MaxValue,
            ["Int64Small"] = 42L,
            ["DoubleWhole"] = 1.0,
            ["DoubleFraction"] = 3.141592653589793,
            ["DoubleBig"] = 1e308,
            ["DoubleTiny"] = double.Epsilon,
            ["DoubleNegZero"] = -0.0,
            ["DoubleNaN"] = double.NaN,
            ["DoublePosInf"] = double.PositiveInfinity,
            ["DoubleNegInf"] = double.NegativeInfinity,
            ["BoolTrue"] = true,
            ["BoolFalse"] = false,
            ["DateMin"] = AzureMinimumDate,
            ["DateMax"] = LatestDate,
            ["DateTicks"] = new DateTimeOffset(2026, 11, 22, 13, 14, 15, TimeSpan.FromHours(2)).AddTicks(1234567),
            ["DateUtcDateTime"] = new DateTime(2020, 2, 29, 12, 0, 0, DateTimeKind.Utc),
            ["Guid"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            ["GuidEmpty"] = Guid.Empty,
            ["BinaryEmpty"] = Array.Empty<byte>(),
            ["BinarySmall"] = new byte[] { 0, 1, 2, 254, 255 },
            ["BinaryData"] = BinaryData.FromString("binary data"),
            ["BinaryLarge"] = large,
        };
    }

    /// <summary>Asserts that <paramref name="read"/> holds exactly the values of <see cref="EveryType"/>, with their types.</summary>
    internal static void AssertEveryType(TableEntity read)
    {
        var expected = EveryType(read.PartitionKey, read.RowKey);
        Assert.Equal("hello", read["Str"]);
        Assert.Equal(string.Empty, read["EmptyStr"]);
        Assert.Equal(expected["Unicode"], read["Unicode"]);
        Assert.Equal(int.MinValue, read["Int32Min"]);
        Assert.Equal(int.MaxValue, read["Int32Max"]);
        Assert.Equal(0, read["Int32Zero"]);
        Assert.Equal(long.MinValue, read["Int64Min"]);
        Assert.Equal(long.MaxValue, read["Int64Max"]);
        Assert.Equal(42L, read["Int64Small"]);
        Assert.Equal(1.0, Assert.IsType<double>(read["DoubleWhole"]));
        Assert.Equal(3.141592653589793, read["DoubleFraction"]);
        Assert.Equal(1e308, read["DoubleBig"]);
        Assert.Equal(double.Epsilon, read["DoubleTiny"]);
        // We send -0 but Azurite re-serializes it with JSON.stringify, which drops the sign: assert the value and type only.
        Assert.Equal(0.0, Assert.IsType<double>(read["DoubleNegZero"]));
        Assert.True(double.IsNaN(Assert.IsType<double>(read["DoubleNaN"])));
        Assert.Equal(double.PositiveInfinity, read["DoublePosInf"]);
        Assert.Equal(double.NegativeInfinity, read["DoubleNegInf"]);
        Assert.Equal(true, read["BoolTrue"]);
        Assert.Equal(false, read["BoolFalse"]);
        Assert.Equal(AzureMinimumDate, read["DateMin"]);
        Assert.Equal(LatestDate, read["DateMax"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 11, 14, 15, TimeSpan.Zero).AddTicks(1234567), read["DateTicks"]);
        Assert.Equal(TimeSpan.Zero, read.GetDateTimeOffset("DateTicks")!.Value.Offset);
        Assert.Equal(new DateTimeOffset(2020, 2, 29, 12, 0, 0, TimeSpan.Zero), read["DateUtcDateTime"]);
        Assert.Equal(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), read["Guid"]);
        Assert.Equal(Guid.Empty, read["GuidEmpty"]);
        Assert.Equal(Array.Empty<byte>(), read["BinaryEmpty"]);
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, read["BinarySmall"]);
        Assert.Equal(Encoding.UTF8.GetBytes("binary data"), read["BinaryData"]);
        Assert.Equal((byte[])expected["BinaryLarge"]!, read.GetBinary("BinaryLarge"));
        Assert.Equal(PropertyNames(expected), PropertyNames(read));
    }

    /// <summary>The entity's own properties, sorted: the SDK's entity also holds the keys, Timestamp and ETag as entries.</summary>
    internal static string[] PropertyNames(TableEntity entity) =>
        entity.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).Order(StringComparer.Ordinal).ToArray();
}
