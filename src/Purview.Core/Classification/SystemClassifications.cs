using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Purview.Core.Classification;

/// <summary>
/// The system classifications we detect, by Purview's classification names, each with a validator that goes beyond a
/// pattern where the format has a checksum or reserved ranges (Luhn for card numbers, mod-97 for IBANs, SSA rules for
/// SSNs), so look-alike values (16 digits failing Luhn, 000-xx-xxxx) are not classified. Values are matched whole
/// after trimming: a column holds one value per row.
/// </summary>
public static partial class SystemClassifications
{
    public const string Email = "MICROSOFT.PERSONAL.EMAIL";
    public const string CreditCardNumber = "MICROSOFT.FINANCIAL.CREDIT_CARD_NUMBER";
    public const string UsSocialSecurityNumber = "MICROSOFT.GOVERNMENT.US.SOCIAL_SECURITY_NUMBER";
    public const string Iban = "MICROSOFT.FINANCIAL.INTERNATIONAL.BANK_ACCOUNT_NUMBER";
    public const string IpAddress = "MICROSOFT.PERSONAL.IPADDRESS";
    public const string UsPhoneNumber = "MICROSOFT.PERSONAL.US.PHONE_NUMBER";
    public const string AzureStorageAccountKey = "MICROSOFT.SECURITY.AZURE_STORAGE_ACCOUNT_KEY";

    /// <summary>Purview's fixed threshold for system classifications: 60% of the sampled non-empty values.</summary>
    public const int MinimumPercentageMatch = 60;

    public static IReadOnlyList<ClassificationMatcher> All { get; } =
    [
        new(Email, MinimumPercentageMatch, IsEmail, []),
        new(CreditCardNumber, MinimumPercentageMatch, IsCreditCardNumber, []),
        new(UsSocialSecurityNumber, MinimumPercentageMatch, IsUsSocialSecurityNumber, []),
        new(Iban, MinimumPercentageMatch, IsIban, []),
        new(IpAddress, MinimumPercentageMatch, IsIpAddress, []),
        new(UsPhoneNumber, MinimumPercentageMatch, IsUsPhoneNumber, []),
        new(AzureStorageAccountKey, MinimumPercentageMatch, IsAzureStorageKeyOrConnectionString, []),
    ];

    public static IReadOnlyList<string> Names { get; } = All.Select(m => m.ClassificationName).ToList();

    public static bool IsEmail(string value) =>
        value.Length is >= 6 and <= 254 && !value.Contains("..", StringComparison.Ordinal) && EmailPattern().IsMatch(value);

    /// <summary>13-19 digits (spaces or hyphens allowed between groups), a known issuer prefix, and a valid Luhn check digit.</summary>
    public static bool IsCreditCardNumber(string value)
    {
        if (!CardPattern().IsMatch(value))
        {
            return false;
        }

        Span<char> digits = stackalloc char[19];
        var n = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == digits.Length)
                {
                    return false;
                }

                digits[n++] = c;
            }
        }

        if (n < 13 || AllSame(digits[..n]) || !KnownIssuer(digits[..n]))
        {
            return false;
        }

        return Luhn(digits[..n]);
    }

    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>ddd-dd-dddd (or with spaces): area not 000, 666 or 9xx; group not 00; serial not 0000.</summary>
    public static bool IsUsSocialSecurityNumber(string value)
    {
        var m = SsnPattern().Match(value);
        if (!m.Success)
        {
            return false;
        }

        var area = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        return area is not (0 or 666) && area < 900 && m.Groups[2].ValueSpan is not "00" && m.Groups[3].ValueSpan is not "0000";
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

        if (!IbanLengths.TryGetValue(new string(text[..2]), out var length) || length != n)
        {
            return false;
        }

        // Move the first four characters to the end, letters become 10..35, and the number mod 97 must be 1.
        var remainder = 0;
        for (var i = 0; i < n; i++)
        {
            var c = text[(i + 4) % n];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    /// <summary>A dotted-quad IPv4 address (no leading zeros) or an IPv6 address.</summary>
    public static bool IsIpAddress(string value)
    {
        if (Ipv4Pattern().IsMatch(value))
        {
            return true;
        }

        return value.Length is >= 2 and <= 45 && value.Contains(':', StringComparison.Ordinal) && Ipv6Characters().IsMatch(value)
            && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>A North American number: optional +1, area and exchange codes starting 2-9, in one of the usual spellings.</summary>
    public static bool IsUsPhoneNumber(string value) => value.Length <= 20 && UsPhonePattern().IsMatch(value);

    /// <summary>An account key (88 characters of base64 decoding to 64 bytes), or a connection string carrying one.</summary>
    public static bool IsAzureStorageKeyOrConnectionString(string value)
    {
        if (value.Length == 88)
        {
            return IsAccountKey(value);
        }

        var at = value.Length > 4096 ? -1 : value.IndexOf("AccountKey=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var key = value[(at + "AccountKey=".Length)..];
        var end = key.IndexOf(';', StringComparison.Ordinal);
        return (value.Contains("AccountName=", StringComparison.OrdinalIgnoreCase) || value.Contains("DefaultEndpointsProtocol=", StringComparison.OrdinalIgnoreCase))
            && IsAccountKey(end < 0 ? key : key[..end]);
    }

    private static bool IsAccountKey(string value)
    {
        if (value.Length != 88 || !value.EndsWith("==", StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[66];
        return Convert.TryFromBase64String(value, bytes, out var written) && written == 64;
    }

    private static bool AllSame(ReadOnlySpan<char> digits)
    {
        foreach (var d in digits)
        {
            if (d != digits[0])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover 6011/644-649/65, JCB 35, Diners 30/36/38, UnionPay 62.</summary>
    private static bool KnownIssuer(ReadOnlySpan<char> d)
    {
        var two = ((d[0] - '0') * 10) + (d[1] - '0');
        var four = (two * 100) + ((d[2] - '0') * 10) + (d[3] - '0');
        return d[0] == '4'
            || two is >= 51 and <= 55 || four is >= 2221 and <= 2720
            || two is 34 or 37 or 35 or 30 or 36 or 38 or 62 or 65
            || four == 6011 || (four / 10) is >= 644 and <= 649;
    }

    private static readonly Dictionary<string, int> IbanLengths = new(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22, ["BR"] = 29,
        ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["ES"] = 24, ["FI"] = 18,
        ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IL"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LI"] = 21, ["LT"] = 20,
        ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18,
        ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24, ["SE"] = 24,
        ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["VG"] = 24, ["XK"] = 20,
    };

    [GeneratedRegex(@"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\d{4}(?:[ -]?\d{2,7}){2,4}$|^\d{13,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"^(\d{3})[- ](\d{2})[- ](\d{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex SsnPattern();

    [GeneratedRegex(@"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Characters();

    [GeneratedRegex(@"^(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]?\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsPhonePattern();
}
