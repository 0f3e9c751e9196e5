using Purview.Storage.Client.Tables;
using Xunit;

namespace Purview.Storage.Tests.Client.Tables;

public sealed class TableFilterTests
{
    [Fact]
    public void Strings_are_quoted_with_single_quotes_doubled_so_an_injection_stays_a_literal()
    {
        var attack = "x' or true or 'a'eq'a";

        var filter = TableFilter.Create($"PartitionKey eq {attack}");

        Assert.Equal("PartitionKey eq 'x'' or true or ''a''eq''a'", filter);
    }

    [Fact]
    public void Each_type_becomes_its_odata_literal()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var when = new DateTimeOffset(2026, 11, 22, 13, 14, 15, TimeSpan.FromHours(2)).AddTicks(1234567);

        var filter = TableFilter.Create($"A eq {id} and B eq {when} and C eq {123L} and D eq {-7} and E eq {2.5} and F eq {3.0} and G eq {true} and H eq {false} and I eq {new byte[] { 0x0A, 0xFF }}");

        Assert.Equal(
            "A eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and B eq datetime'2026-11-22T11:14:15.1234567Z' and C eq 123L and D eq -7"
            + " and E eq 2.5 and F eq 3.0 and G eq true and H eq false and I eq X'0AFF'",
            filter);
    }

    [Fact]
    public void Literals_for_utc_and_local_datetimes_are_utc()
    {
        Assert.Equal("datetime'1601-01-01T00:00:00Z'", TableFilter.Literal(new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("datetime'2000-01-01T00:00:00Z'", TableFilter.Literal(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified)));
        Assert.Equal("datetime'2000-01-01T00:00:00.001Z'", TableFilter.Literal(new DateTimeOffset(2000, 1, 1, 2, 0, 0, 1, TimeSpan.FromHours(2))));
    }

    [Fact]
    public void Whole_doubles_keep_a_decimal_point_so_the_service_compares_them_as_doubles()
    {
        // "Score gt 5" is an Int32 literal: the service finds no Double property equal to it.
        Assert.Equal("3.0", TableFilter.Literal(3.0));
        Assert.Equal("-0.0", TableFilter.Literal(-0.0));
        Assert.Equal("1E+308", TableFilter.Literal(1e308));
        Assert.Equal("0.1", TableFilter.Literal(0.1));
        Assert.Equal("2.0", TableFilter.Literal(2f));
        Assert.Equal("Ratio ge 1.0 and Count eq 1 and Name eq '{x}' and Big eq 3L", TableFilter.Create($"Ratio ge {1.0} and Count eq {1} and Name eq {"{x}"} and Big eq {3L}"));
        Assert.Equal("{A} eq 2.0", TableFilter.Create($"{{A}} eq {2.0}"));
        Assert.Equal("A eq 2.5 or B eq 2.0", TableFilter.Or(TableFilter.Equal("A", 2.5), TableFilter.Equal("B", 2.0)).Replace("(", "").Replace(")", ""));
    }

    [Fact]
    public void Unsupported_values_and_non_finite_doubles_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(new object()));
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(double.NaN));
        Assert.Throws<ArgumentException>(() => TableFilter.Literal(double.PositiveInfinity));
    }

    [Fact]
    public void Helpers_escape_values_and_parenthesise_combinations()
    {
        Assert.Equal("PartitionKey eq 'O''Brien'", TableFilter.PartitionKeyEquals("O'Brien"));
        Assert.Equal("RowKey eq ''''", TableFilter.RowKeyEquals("'"));
        Assert.Equal("(RowKey ge 'a') and (RowKey lt 'b''')", TableFilter.RowKeyRange("a", "b'"));
        Assert.Equal("RowKey ge 'a'", TableFilter.RowKeyRange("a", null));
        Assert.Equal(string.Empty, TableFilter.RowKeyRange(null, null));
        Assert.Equal("(PartitionKey eq 'p') and (Count gt 5L)",
            TableFilter.And(TableFilter.PartitionKeyEquals("p"), TableFilter.Compare("Count", "gt", 5L), string.Empty));
        Assert.Equal("(A eq 1) or (B eq 2)", TableFilter.Or(TableFilter.Equal("A", 1), TableFilter.Equal("B", 2)));
        Assert.Equal("not (A eq 1)", TableFilter.Not(TableFilter.Equal("A", 1)));
    }

    [Fact]
    public void Helpers_reject_property_names_and_operators_that_could_inject()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Equal("A eq 1 or B", 1));
        Assert.Throws<ArgumentException>(() => TableFilter.Compare("A", "eq 1 or A", 1));
    }
}
