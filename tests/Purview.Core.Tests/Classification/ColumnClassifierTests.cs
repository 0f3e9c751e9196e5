using Purview.Core.Classification;
using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Classification;

public sealed class ColumnClassifierTests
{
    private static readonly string StorageKey = Convert.ToBase64String(Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray());
    private static readonly ColumnClassifier SystemSet = ScanRuleset.System("AzureStorage").Classifier([]);

    /// <summary>Per system classification: planted values, and decoys that look alike but fail the validator.</summary>
    public static TheoryData<string, string[], string[]> Planted() => new()
    {
        {
            SystemClassifications.Email,
            ["ada@example.com", "grace.hopper@navy.mil", "x_y+tag@sub.example.co.uk", "o'brien@example.ie", "bob@example.org"],
            ["ada@", "@example.com", "ada@example", "ada..b@example.com", "ada example.com"]
        },
        {
            SystemClassifications.CreditCardNumber,
            ["4111111111111111", "5500 0000 0000 0004", "3400-000000-00009", "6011000000000004", "4012888888881881"],
            ["4111111111111112", "5500 0000 0000 0005", "1234567812345678", "0000000000000000", "6011000000000005"]
        },
        {
            SystemClassifications.UsSocialSecurityNumber,
            ["123-45-6789", "219-09-9999", "078-05-1120", "536 22 8726", "401-33-0001"],
            ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000"]
        },
        {
            SystemClassifications.Iban,
            ["GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00", "FR1420041010050500013M02606", "NL91ABNA0417164300", "BE68539007547034"],
            ["GB82WEST12345698765433", "DE89370400440532013001", "FR1420041010050500013M0260", "XX91ABNA0417164300", "NL92ABNA0417164300"]
        },
        {
            SystemClassifications.IpAddress,
            ["10.0.0.1", "192.168.1.254", "2001:db8::1", "fe80::1ff:fe23:4567:890a", "8.8.8.8"],
            ["256.1.1.1", "1.2.3", "01.2.3.4", "1.2.3.4.5", "2001:db8:::1"]
        },
        {
            SystemClassifications.UsPhoneNumber,
            ["(212) 555-0123", "415-555-2671", "+1 202 555 0143", "646.555.0199", "2125550123"],
            ["123-456-7890", "(012) 555-0123", "212-155-0123", "555-0123", "+44 20 7946 0958"]
        },
        {
            SystemClassifications.AzureStorageAccountKey,
            [StorageKey, $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={StorageKey};EndpointSuffix=core.windows.net", StorageKey, StorageKey, StorageKey],
            [StorageKey[..64], $"AccountName=acct;AccountKey={StorageKey[..60]}", "AccountKey=", StorageKey[..86] + "A=", Convert.ToBase64String(new byte[66])]
        },
    };

    [Theory]
    [MemberData(nameof(Planted))]
    public void Every_system_classification_is_found_where_planted_and_not_in_look_alike_decoys(string classification, string[] planted, string[] decoys)
    {
        var found = SystemSet.ClassifyColumn(new SampledColumn("data", "string", planted));
        var notFound = SystemSet.ClassifyColumn(new SampledColumn("data", "string", decoys));

        Assert.Equal([classification], found);
        Assert.Empty(notFound);
    }

    [Fact]
    public void A_column_is_classified_from_60_percent_of_its_non_empty_values_and_empty_values_do_not_count()
    {
        string?[] sixOfTen = ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com", "x", "y", "z", "w", null, "  "];
        string?[] fiveOfTen = ["a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "v", "x", "y", "z", "w"];

        Assert.Contains(SystemClassifications.Email, SystemSet.ClassifyColumn(new SampledColumn("c", null, sixOfTen)));
        Assert.Empty(SystemSet.ClassifyColumn(new SampledColumn("c", null, fiveOfTen)));
        Assert.Empty(SystemSet.ClassifyColumn(new SampledColumn("c", null, [null, "", " "])));
    }

    [Fact]
    public void A_custom_rule_classifies_by_its_own_threshold_or_by_column_name_and_only_when_the_rule_set_includes_it()
    {
        var at = DateTimeOffset.UnixEpoch;
        var rule = new ClassificationRule("employee-id", "CONTOSO.HR.EMPLOYEE_ID", null, true, 80, [@"^EMP-\d{6}$"], ["^emp(loyee)?_?id$"], 1, at, at);
        var ruleset = ScanRuleset.System("AzureStorage") with { IsSystem = false, IncludedCustomClassificationRuleNames = ["employee-id"] };
        var classifier = ruleset.Classifier([rule]);

        Assert.Contains("CONTOSO.HR.EMPLOYEE_ID", classifier.ClassifyColumn(new SampledColumn("code", null, ["EMP-000001", "EMP-000002", "EMP-000003", "EMP-000004", "x"])));
        Assert.DoesNotContain("CONTOSO.HR.EMPLOYEE_ID", classifier.ClassifyColumn(new SampledColumn("code", null, ["EMP-000001", "EMP-000002", "EMP-000003", "x", "y"])));
        Assert.Contains("CONTOSO.HR.EMPLOYEE_ID", classifier.ClassifyColumn(new SampledColumn("Employee_Id", null, ["1", "2"])));
        Assert.DoesNotContain("CONTOSO.HR.EMPLOYEE_ID", SystemSet.ClassifyColumn(new SampledColumn("employee_id", null, ["EMP-000001"])));
        Assert.DoesNotContain("CONTOSO.HR.EMPLOYEE_ID", (ruleset with { IncludedCustomClassificationRuleNames = [] }).Classifier([rule]).ClassifyColumn(new SampledColumn("employee_id", null, ["EMP-000001"])));
    }

    [Fact]
    public void A_rule_set_can_exclude_a_system_classification()
    {
        var ruleset = ScanRuleset.System("AzureStorage") with { ExcludedSystemClassifications = [SystemClassifications.Email] };

        Assert.Empty(ruleset.Classifier([]).ClassifyColumn(new SampledColumn("c", null, ["a@example.com", "b@example.com"])));
    }

    [Fact]
    public void Unstructured_text_is_classified_on_the_asset_when_any_token_matches_and_has_no_columns()
    {
        var sample = new AssetSample([new SampledColumn("content", SampleDataTypes.Unstructured, ["Contact ada@example.com or call (212) 555-0123.", "Nothing here."])], 60);

        var result = SystemSet.Classify(sample);

        Assert.Empty(result.Columns);
        Assert.Equal([SystemClassifications.Email], result.Classifications);
    }

    [Theory]
    [InlineData("(", "properties.dataPatterns[0].pattern")]
    [InlineData("[a-", "properties.dataPatterns[0].pattern")]
    public void Invalid_regexes_are_reported_and_a_catastrophic_pattern_cannot_stall_matching(string pattern, string _)
    {
        Assert.NotNull(RegexSafety.Validate(pattern));
        Assert.NotNull(RegexSafety.Validate(new string('a', RegexSafety.MaxPatternLength + 1)));
        Assert.Null(RegexSafety.Validate("^(a+)+$"));

        // Compiled non-backtracking: linear time even on the classic ReDoS input.
        var evil = RegexSafety.Compile("^(a+)+$");
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(RegexSafety.IsMatch(evil, new string('a', 5000) + "!"));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2));

        // Backreferences need the backtracking engine: they run with the match timeout instead.
        var backtracking = RegexSafety.Compile(@"^(\w+)\1$");
        Assert.True(RegexSafety.IsMatch(backtracking, "abab"));
    }
}
