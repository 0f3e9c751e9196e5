using Purview.Core.Classification;
using Xunit;

namespace Purview.Core.Tests.Classification;

public sealed class SystemClassificationNamesTests
{
    [Fact]
    public void Every_published_classification_is_known_once_with_a_distinct_matching_key()
    {
        var names = SystemClassificationNames.Names;

        Assert.True(names.Count >= 200, $"{names.Count} names");
        Assert.Equal(names.Count, names.Select(SystemClassificationNames.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.StartsWith("MICROSOFT.", n, StringComparison.Ordinal));
        Assert.All(names, n => Assert.Equal(n, SystemClassificationNames.Canonical(n)));
    }

    [Theory]
    [InlineData("MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER")]
    [InlineData("MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER")]
    [InlineData("MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER")]
    [InlineData("MICROSOFT.GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER")]
    [InlineData("MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER")]
    [InlineData("MICROSOFT.SECURITY.COMMON_PASSWORDS")]
    [InlineData("MICROSOFT.MISCELLANEOUS.IPADDRESS")]
    [InlineData("MICROSOFT.PERSONAL.EU.PHONE_NUMBER")]
    [InlineData("MICROSOFT.SYSTEM.TEMP_FILE")]
    public void Names_from_Microsofts_own_examples_are_known_as_spelled_there(string name)
    {
        Assert.Equal(name, SystemClassificationNames.Canonical(name));
        Assert.Contains(SystemClassificationNames.All, c => c.Name == name && c.Attested);
    }

    [Theory]
    [InlineData("microsoft.financial.australia.bank_account_number", "MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER")]
    [InlineData("MICROSOFT.GOVERNMENT.MALTA.DRIVERS_LICENSE_NUMBER", "MICROSOFT.GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER")]
    [InlineData("Microsoft.Government.Canada.Drivers.License.Number", "MICROSOFT.GOVERNMENT.CANADA.DRIVERS_LICENSE_NUMBER")]
    public void Names_match_ignoring_case_and_dot_or_underscore_and_resolve_to_the_canonical_spelling(string given, string canonical)
    {
        Assert.Equal(canonical, SystemClassificationNames.Canonical(given));
    }

    [Theory]
    [InlineData("MICROSOFT.GOVERNMENT.ATLANTIS.PASSPORT_NUMBER")]
    [InlineData("MICROSOFT.FINANCIAL.CREDIT_CARD")]
    [InlineData("MICROSOFT FINANCIAL CREDIT_CARD_NUMBER")]
    [InlineData("")]
    [InlineData(null)]
    public void Unpublished_names_are_not_known(string? name)
    {
        Assert.Null(SystemClassificationNames.Canonical(name));
    }
}
