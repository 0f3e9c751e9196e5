using Purview.Core.Common;
using Purview.Core.ScanRuns;
using Xunit;

namespace Purview.Core.Tests.Common;

public class NamesTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("ADLS-sales-01")]
    [InlineData("a-b-c")]
    [InlineData("123")]
    [InlineData("a12345678901234567890123456789012345678901234567890123456789012")]
    public void Valid_data_source_and_scan_names_are_accepted(string name)
    {
        Assert.True(Names.IsValidDataSourceName(name));
        Assert.True(Names.IsValidScanName(name));
        Assert.Null(Names.ValidateDataSourceName(name));
        Assert.Null(Names.ValidateScanName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("ab--c")]
    [InlineData("ab_c")]
    [InlineData("ab c")]
    [InlineData("abc\n")]
    [InlineData("caf\u00e9")]
    [InlineData("abc/def")]
    public void Invalid_names_are_refused_with_the_field_named(string? name)
    {
        Assert.False(Names.IsValidDataSourceName(name));
        Assert.Equal("dataSourceName", Names.ValidateDataSourceName(name)!.Field);
        Assert.Equal("scanName", Names.ValidateScanName(name)!.Field);
    }

    [Fact]
    public void The_length_limits_are_three_and_sixty_three()
    {
        Assert.True(Names.IsValidScanName(new string('a', 63)));
        Assert.False(Names.IsValidScanName(new string('a', 64)));
        Assert.True(Names.IsValidScanName("aaa"));
        Assert.False(Names.IsValidScanName("aa"));
    }

    [Fact]
    public void A_canonical_guid_is_a_valid_run_id()
    {
        Assert.True(Names.TryParseRunId("3f0c8e0a-4a57-4c5e-9d7e-1b2c3d4e5f60", out var id));
        Assert.Equal(Guid.Parse("3f0c8e0a-4a57-4c5e-9d7e-1b2c3d4e5f60"), id);
        Assert.Null(Names.ValidateRunId("3F0C8E0A-4A57-4C5E-9D7E-1B2C3D4E5F60"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-guid")]
    [InlineData("3f0c8e0a4a574c5e9d7e1b2c3d4e5f60")]
    [InlineData("{3f0c8e0a-4a57-4c5e-9d7e-1b2c3d4e5f60}")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData(" 3f0c8e0a-4a57-4c5e-9d7e-1b2c3d4e5f60")]
    public void Anything_else_is_not_a_run_id(string? value)
    {
        Assert.False(Names.TryParseRunId(value, out _));
        Assert.Equal("runId", Names.ValidateRunId(value)!.Field);
    }

    [Fact]
    public void A_scan_run_id_parses_and_prints_in_the_canonical_form()
    {
        Assert.True(ScanRunId.TryParse("3F0C8E0A-4A57-4C5E-9D7E-1B2C3D4E5F60", out var id));
        Assert.Equal("3f0c8e0a-4a57-4c5e-9d7e-1b2c3d4e5f60", id.ToString());
        Assert.False(ScanRunId.TryParse("nope", out _));
    }

    [Fact]
    public void New_scan_run_ids_sort_by_creation_time()
    {
        var earlier = ScanRunId.New(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var later = ScanRunId.New(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero));

        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
        Assert.Equal(7, earlier.Value.Version);
    }
}
