using Purview.Core.Connectors;
using Xunit;

namespace Purview.Core.Tests.Connectors;

public class AdminLogCsvTests
{
    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tcmd", "\"'\tcmd\"")]
    [InlineData("\rcmd", "\"'\rcmd\"")]
    [InlineData("=\"a\"", "\"'=\"\"a\"\"\"")]
    public void A_cell_starting_with_a_formula_character_gets_a_quote_prefix_and_is_quoted(string value, string expected) =>
        Assert.Equal(expected, AdminLogCsv.Cell(value));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a=b", "a=b")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("", "")]
    public void Other_cells_keep_their_value_with_RFC_4180_quoting(string value, string expected) =>
        Assert.Equal(expected, AdminLogCsv.Cell(value));
}
