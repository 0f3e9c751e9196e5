using Purview.Core.ScanRuns;
using Xunit;

namespace Purview.Core.Tests.ScanRuns;

public class ScanRunExceptionCsvTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void An_empty_log_is_just_the_header()
    {
        Assert.Equal("TimeStamp,ErrorCode,OperationItem,Message\r\n", ScanRunExceptionCsv.Format([]));
    }

    [Fact]
    public void Rows_follow_the_header_with_crlf_line_ends_and_iso_utc_timestamps()
    {
        var csv = ScanRunExceptionCsv.Format(
        [
            new ScanRunException(When, "AssetTooLarge", "https://acct.dfs.core.windows.net/raw/big.parquet", "Asset exceeds the size limit."),
            new ScanRunException(When.AddSeconds(1), "AccessDenied", "sales/2026", "Permission denied."),
        ]);

        Assert.Equal(
            "TimeStamp,ErrorCode,OperationItem,Message\r\n" +
            "2026-11-01T08:30:15.123Z,AssetTooLarge,https://acct.dfs.core.windows.net/raw/big.parquet,Asset exceeds the size limit.\r\n" +
            "2026-11-01T08:30:16.123Z,AccessDenied,sales/2026,Permission denied.\r\n",
            csv);
    }

    [Fact]
    public void Timestamps_with_an_offset_are_written_in_utc()
    {
        var row = ScanRunExceptionCsv.FormatRow(new ScanRunException(When.ToOffset(TimeSpan.FromHours(9)), "E", "i", "m"));

        Assert.StartsWith("2026-11-01T08:30:15.123Z,", row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("line1\nline2", "\"line1\nline2\"")]
    [InlineData("line1\r\nline2", "\"line1\r\nline2\"")]
    [InlineData("plain text", "plain text")]
    [InlineData("", "")]
    public void Fields_are_quoted_per_rfc_4180(string value, string cell)
    {
        var row = ScanRunExceptionCsv.FormatRow(new ScanRunException(When, "E", "item", value));

        Assert.Equal("2026-11-01T08:30:15.123Z,E,item," + cell, row);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("=1,2", "\"'=1,2\"")]
    [InlineData("a=b", "a=b")]
    public void Cells_that_a_spreadsheet_would_run_as_formulas_get_a_leading_quote(string value, string cell)
    {
        Assert.Equal(cell, ScanRunExceptionCsv.Cell(value));
    }

    [Fact]
    public void The_injection_guard_covers_every_text_column()
    {
        var row = ScanRunExceptionCsv.FormatRow(new ScanRunException(When, "=code", "+item", "@message"));

        Assert.Equal("2026-11-01T08:30:15.123Z,'=code,'+item,'@message", row);
    }

    [Fact]
    public void Missing_text_is_written_as_an_empty_cell()
    {
        var row = ScanRunExceptionCsv.FormatRow(new ScanRunException(When, "E", null!, "m"));

        Assert.Equal("2026-11-01T08:30:15.123Z,E,,m", row);
    }

    [Fact]
    public void Write_streams_the_same_text_as_format()
    {
        ScanRunException[] entries = [new(When, "E", "i", "m, with comma")];
        using var writer = new StringWriter();

        ScanRunExceptionCsv.Write(writer, entries);

        Assert.Equal(ScanRunExceptionCsv.Format(entries), writer.ToString());
    }
}
