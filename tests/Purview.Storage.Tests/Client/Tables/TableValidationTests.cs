using Purview.Storage.Client.Tables;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

public sealed class TableValidationTests
{
    [Theory]
    [InlineData("a/b", "'/'")]
    [InlineData("a\\b", "'\\'")]
    [InlineData("a#b", "'#'")]
    [InlineData("a?b", "'?'")]
    [InlineData("a\u0000b", "U+0000")]
    [InlineData("a\u001Fb", "U+001F")]
    [InlineData("a\u007Fb", "U+007F")]
    [InlineData("a\u009Fb", "U+009F")]
    public void Keys_with_forbidden_characters_are_rejected_naming_the_key_and_the_character(string key, string reason)
    {
        var ex = Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey(key, "RowKey"));

        Assert.Equal("RowKey", ex.ParamName);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_up_to_1_KiB_of_UTF8_are_accepted_and_longer_ones_rejected()
    {
        TableValidation.ValidateKey(new string('a', 1024), "PartitionKey");
        TableValidation.ValidateKey(string.Concat(Enumerable.Repeat("é", 512)), "PartitionKey");
        TableValidation.ValidateKey(string.Empty, "PartitionKey");
        TableValidation.ValidateKey("spaces, 'quotes', % and 🎉 are fine", "PartitionKey");

        Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey(new string('a', 1025), "PartitionKey"));
        var ex = Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey(string.Concat(Enumerable.Repeat("é", 513)), "PartitionKey"));
        Assert.Contains("1024 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TableValidation.ValidateKey(null, "PartitionKey"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("Table1")]
    [InlineData("a23456789012345678901234567890123456789012345678901234567890123")]
    public void Valid_table_names_are_accepted(string name) => TableValidation.ValidateTableName(name);

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("ab-c")]
    [InlineData("ab_c")]
    [InlineData("tables")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Invalid_table_names_are_rejected(string name) =>
        Assert.Throws<ArgumentException>(() => TableValidation.ValidateTableName(name));

    [Theory]
    [InlineData("PartitionKey")]
    [InlineData("RowKey")]
    [InlineData("Timestamp")]
    [InlineData("odata.etag")]
    [InlineData("Name@odata.type")]
    [InlineData("has space")]
    [InlineData("1starts")]
    [InlineData("")]
    public void Reserved_or_invalid_property_names_are_rejected(string name)
    {
        Assert.Throws<ArgumentException>(() => TableValidation.ValidatePropertyName(name));
    }

    [Theory]
    [InlineData("_ok")]
    [InlineData("Ünïcode1")]
    [InlineData("camelCase_2")]
    public void Identifier_like_property_names_are_accepted(string name) => TableValidation.ValidatePropertyName(name);

    [Fact]
    public void A_property_name_of_255_characters_is_accepted_and_256_rejected()
    {
        TableValidation.ValidatePropertyName(new string('a', 255));

        var ex = Assert.Throws<ArgumentException>(() => TableValidation.ValidatePropertyName(new string('a', 256)));
        Assert.Contains("1-255", ex.Message, StringComparison.Ordinal);
    }
}
