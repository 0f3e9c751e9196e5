using Purview.Core.Classification;
using Xunit;

namespace Purview.Core.Tests.Classification;

/// <summary>The schemes on their standard examples; each single-digit change of a valid value is caught.</summary>
public sealed class ChecksumsTests
{
    private static byte[] D(string digits) => digits.Select(c => (byte)(c - '0')).ToArray();

    [Fact]
    public void Luhn_Verhoeff_and_iso7064_accept_their_standard_examples()
    {
        Assert.True(Checksums.Luhn(D("79927398713")));
        Assert.True(Checksums.Verhoeff(D("2363")));
        Assert.True(Checksums.Verhoeff(D("234123412346")));
        Assert.Equal(10, Checksums.Iso7064Mod112(D("11010519491231002")));
        Assert.Equal(0, Checksums.Iso7064Mod1110(D("6943515153")));
        Assert.Equal(1, Checksums.Icao731("L01X00T47"));
        Assert.Equal(211, Checksums.Mod(D("0123456789"), 511));
    }

    [Theory]
    [InlineData("luhn", "79927398713")]
    [InlineData("verhoeff", "234123412346")]
    public void Every_single_digit_substitution_is_detected(string scheme, string valid)
    {
        Func<byte[], bool> check = scheme == "luhn" ? d => Checksums.Luhn(d) : d => Checksums.Verhoeff(d);
        Assert.True(check(D(valid)));
        for (var i = 0; i < valid.Length; i++)
        {
            for (var delta = 1; delta < 10; delta++)
            {
                var changed = D(valid);
                changed[i] = (byte)((changed[i] + delta) % 10);
                Assert.False(check(changed), $"position {i} +{delta}");
            }
        }
    }
}
