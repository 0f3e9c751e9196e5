using System.Text.RegularExpressions;

namespace Purview.Core.Classification;

/// <summary>Payment cards, bank accounts, IBAN, SWIFT/BIC, ABA routing numbers, VAT numbers.</summary>
public static partial class SystemClassifications
{
    /// <summary>13-19 digits (spaces or hyphens allowed between groups), a known issuer prefix, and a valid Luhn check digit.</summary>
    public static bool IsCreditCardNumber(string value)
    {
        if (!CardPattern().IsMatch(value))
        {
            return false;
        }

        Span<byte> digits = stackalloc byte[19];
        var n = ReadDigits(value, digits, " -");
        return n >= 13 && !AllSame(digits[..n]) && KnownIssuer(digits[..n]) && Checksums.Luhn(digits[..n]);
    }

    /// <summary>16 digits of a European debit scheme (Visa 4, Mastercard/Maestro 5, Maestro 6), Luhn-valid.</summary>
    public static bool IsEuDebitCardNumber(string value)
    {
        Span<byte> digits = stackalloc byte[16];
        return ReadDigits(value, digits, " -") == 16 && CardPattern().IsMatch(value) && digits[0] is 4 or 5 or 6 && !AllSame(digits) && Checksums.Luhn(digits);
    }

    /// <summary>Country code, two check digits and the BBAN (spaces allowed), of the country's length, passing ISO 7064 mod-97.</summary>
    public static bool IsIban(string value)
    {
        Span<char> text = stackalloc char[34];
        var n = 0;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == text.Length || !char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            text[n++] = char.ToUpperInvariant(c);
        }

        if (n < 15 || !char.IsAsciiLetter(text[0]) || !char.IsAsciiLetter(text[1]) || !char.IsAsciiDigit(text[2]) || !char.IsAsciiDigit(text[3]))
        {
            return false;
        }

        if (IbanLength(text[0], text[1]) != n)
        {
            return false;
        }

        return Mod97Alphanumeric(text[..n], 4) == 1;
    }

    /// <summary>
    /// BIC (ISO 9362): 4 letters (bank), an ISO 3166 country code, 2 letters or digits (location; '0' second is a test
    /// BIC and not accepted), optionally 3 more (branch). Upper case, as published.
    /// </summary>
    public static bool IsSwiftCode(string value)
    {
        if (value.Length is not (8 or 11))
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var ok = i < 6 ? char.IsAsciiLetterUpper(c) : char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c);
            if (!ok)
            {
                return false;
            }
        }

        return IsCountryCode(value[4], value[5]) && value[7] != '0';
    }

    /// <summary>9 digits (optionally dddd-dddd-d), a Federal Reserve prefix (00-12, 21-32, 61-72, 80), 3-7-1 weights summing to a multiple of 10.</summary>
    public static bool IsAbaRoutingNumber(string value)
    {
        Span<byte> d = stackalloc byte[9];
        if (!TryDigits(value, d, "-", 9) || (value.Length != 9 && !SeparatedAt(value, [4, 9], "-")))
        {
            return false;
        }

        var prefix = (d[0] * 10) + d[1];
        return prefix is (>= 0 and <= 12) or (>= 21 and <= 32) or (>= 61 and <= 72) or 80
            && !AllSame(d)
            && ((3 * (d[0] + d[3] + d[6])) + (7 * (d[1] + d[4] + d[7])) + d[2] + d[5] + d[8]) % 10 == 0;
    }

    /// <summary>6-17 digits, in a column named like a bank account (no checksum exists).</summary>
    public static bool IsUsBankAccountNumber(string value)
    {
        Span<byte> d = stackalloc byte[17];
        var n = ReadDigits(value, d, "");
        return n is >= 6 and <= 17 && !AllSame(d[..n]);
    }

    /// <summary>6-10 digits, optionally after a BSB (ddd-ddd) and a space or hyphen.</summary>
    public static bool IsAustraliaBankAccountNumber(string value)
    {
        var m = AustraliaAccountPattern().Match(value);
        return m.Success && m.Groups[1].ValueSpan.ContainsAnyExcept('0');
    }

    /// <summary>7 or 12 digits, optionally after a transit number (ddddd-ddd).</summary>
    public static bool IsCanadaBankAccountNumber(string value) => CanadaAccountPattern().IsMatch(value);

    /// <summary>DE + 9 digits whose last is the ISO 7064 MOD 11,10 check digit of the first 8.</summary>
    public static bool IsGermanyVat(string value)
    {
        Span<byte> d = stackalloc byte[9];
        return TryVat(value, "DE", d, 9) && d[0] != 0 && Checksums.Iso7064Mod1110(d[..8]) == d[8];
    }

    /// <summary>FR + a 2-digit key + a 9-digit SIREN: key = (12 + 3 × (SIREN mod 97)) mod 97.</summary>
    public static bool IsFranceVat(string value)
    {
        Span<byte> d = stackalloc byte[11];
        return TryVat(value, "FR", d, 11) && ((d[0] * 10) + d[1]) == (12 + (3 * Checksums.Mod(d[2..], 97))) % 97;
    }

    /// <summary>IT + 11 digits (partita IVA), Luhn-valid, office code 001-100, 120, 121 or 888/999.</summary>
    public static bool IsItalyVat(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryVat(value, "IT", d, 11) || AllSame(d))
        {
            return false;
        }

        var office = (d[7] * 100) + (d[8] * 10) + d[9];
        return office is (>= 1 and <= 100) or 120 or 121 or 888 or 999 && Checksums.Luhn(d);
    }

    /// <summary>NL + 9 digits + B + 2 digits: the 9 digits pass the 11-test (older numbers) or the whole code passes mod-97 (since 2020).</summary>
    public static bool IsNetherlandsVat(string value)
    {
        Span<char> text = stackalloc char[14];
        var n = 0;
        foreach (var c in value)
        {
            if (c is ' ' or '.' or '-')
            {
                continue;
            }

            if (n == text.Length)
            {
                return false;
            }

            text[n++] = char.ToUpperInvariant(c);
        }

        if (n != 14 || text[0] != 'N' || text[1] != 'L' || text[11] != 'B')
        {
            return false;
        }

        Span<byte> d = stackalloc byte[9];
        for (var i = 0; i < 9; i++)
        {
            if (!char.IsAsciiDigit(text[2 + i]))
            {
                return false;
            }

            d[i] = (byte)(text[2 + i] - '0');
        }

        if (!char.IsAsciiDigit(text[12]) || !char.IsAsciiDigit(text[13]) || AllSame(d))
        {
            return false;
        }

        return ElevenTest(d) || Mod97Alphanumeric(text[..14], 0) == 1;
    }

    /// <summary>BE + 10 digits starting 0 or 1: 97 - (first 8 mod 97) = the last 2.</summary>
    public static bool IsBelgiumVat(string value)
    {
        Span<byte> d = stackalloc byte[10];
        if (!TryVat(value, "BE", d, 10) || d[0] > 1)
        {
            return false;
        }

        return 97 - Checksums.Mod(d[..8], 97) == (d[8] * 10) + d[9];
    }

    /// <summary>Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover 6011/644-649/65, JCB 35, Diners 30/36/38, UnionPay 62, Maestro 50/56-58/67, RuPay 60/81/82.</summary>
    private static bool KnownIssuer(ReadOnlySpan<byte> d)
    {
        var two = (d[0] * 10) + d[1];
        var four = (two * 100) + (d[2] * 10) + d[3];
        return d[0] == 4
            || two is >= 51 and <= 55 || four is >= 2221 and <= 2720
            || two is 34 or 37 or 35 or 30 or 36 or 38 or 62 or 65 or 50 or 56 or 57 or 58 or 67 or 60 or 81 or 82
            || four == 6011 || (four / 10) is >= 644 and <= 649;
    }

    /// <summary>The value is the country prefix (any case), then digits with optional space, dot, hyphen or comma separators.</summary>
    private static bool TryVat(ReadOnlySpan<char> value, string country, Span<byte> digits, int length)
    {
        if (value.Length < 2 + length || char.ToUpperInvariant(value[0]) != country[0] || char.ToUpperInvariant(value[1]) != country[1])
        {
            return false;
        }

        return ReadDigits(value[2..], digits, " .-,") == length;
    }

    /// <summary>Weights 9..2 on the first 8 digits and -1 on the ninth sum to a multiple of 11 (the Dutch "elfproef").</summary>
    private static bool ElevenTest(ReadOnlySpan<byte> d) =>
        ((9 * d[0]) + (8 * d[1]) + (7 * d[2]) + (6 * d[3]) + (5 * d[4]) + (4 * d[5]) + (3 * d[6]) + (2 * d[7]) - d[8]) % 11 == 0;

    /// <summary>ISO 7064 mod-97 over letters (10-35) and digits, read from <paramref name="rotate"/> round to the start (IBAN order).</summary>
    private static int Mod97Alphanumeric(ReadOnlySpan<char> text, int rotate)
    {
        var remainder = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[(i + rotate) % text.Length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }

    /// <summary>The IBAN length of a country (SWIFT's IBAN registry), or 0.</summary>
    private static int IbanLength(char a, char b)
    {
        for (var i = 0; i < IbanCountries.Length; i += 4)
        {
            if (IbanCountries[i] == a && IbanCountries[i + 1] == b)
            {
                return ((IbanCountries[i + 2] - '0') * 10) + (IbanCountries[i + 3] - '0');
            }
        }

        return 0;
    }

    private static bool IsCountryCode(char a, char b)
    {
        for (var i = 0; i < CountryCodes.Length; i += 3)
        {
            if (CountryCodes[i] == a && CountryCodes[i + 1] == b)
            {
                return true;
            }
        }

        return false;
    }

    private const string IbanCountries =
        "AD24AE23AL28AT20AZ28BA20BE16BG22BH22BR29CH21CR22CY28CZ24DE22DK18DO28EE20ES24FI18FO18FR27GB22GE22GI23GL18GR27GT28HR21HU28" +
        "IE22IL23IS26IT27JO30KW30KZ20LB28LI21LT20LU20LV21MC27MD24ME22MK19MR27MT31MU30NL18NO15PK24PL28PS29PT25QA29RO24RS22SA24SE24" +
        "SI19SK24SM27TL23TN24TR26VG24XK20";

    /// <summary>ISO 3166-1 alpha-2 codes (and XK, used by banks for Kosovo), each followed by a space.</summary>
    private const string CountryCodes =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI " +
        "CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ " +
        "GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS " +
        "LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG " +
        "PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK " +
        "TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW ";

    [GeneratedRegex(@"^\d{4}(?:[ -]?\d{2,7}){2,4}$|^\d{13,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"^(?:\d{3}-\d{3}[ -])?(\d{6,10})$", RegexOptions.CultureInvariant)]
    private static partial Regex AustraliaAccountPattern();

    [GeneratedRegex(@"^(?:\d{5}-\d{3}[ -]|0\d{8}[ -])?(?:\d{7}|\d{12})$", RegexOptions.CultureInvariant)]
    private static partial Regex CanadaAccountPattern();
}
