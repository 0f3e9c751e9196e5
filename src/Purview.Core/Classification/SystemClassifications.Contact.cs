using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Purview.Core.Classification;

/// <summary>Email, phone numbers, IP addresses, coordinates, U.S. states and ZIP codes, Azure storage keys.</summary>
public static partial class SystemClassifications
{
    public static bool IsEmail(string value) =>
        value.Length is >= 6 and <= 254 && value.Contains('@', StringComparison.Ordinal) && !value.Contains("..", StringComparison.Ordinal) && EmailPattern().IsMatch(value);

    /// <summary>A North American number: optional +1, area and exchange codes starting 2-9, in one of the usual spellings.</summary>
    public static bool IsUsPhoneNumber(string value) => value.Length <= 20 && UsPhonePattern().IsMatch(value);

    /// <summary>
    /// An international number of a European country (EU, EEA, the U.K., Switzerland): '+' or '00', the country code,
    /// then 6-12 digits with spaces, dots, hyphens or a "(0)".
    /// </summary>
    public static bool IsEuPhoneNumber(string value)
    {
        var rest = value.AsSpan();
        if (rest.StartsWith("+"))
        {
            rest = rest[1..];
        }
        else if (rest.StartsWith("00"))
        {
            rest = rest[2..];
        }
        else
        {
            return false;
        }

        Span<byte> d = stackalloc byte[15];
        var n = ReadDigits(rest, d, " .-()");
        if (n < 8 || !char.IsAsciiDigit(rest[0]))
        {
            return false;
        }

        var three = (d[0] * 100) + (d[1] * 10) + d[2];
        var two = three / 10;
        var cc = three is 350 or 351 or 352 or 353 or 354 or 356 or 357 or 358 or 359 or 370 or 371 or 372 or 385 or 386 or 420 or 421 or 423 ? 3
            : two is 30 or 31 or 32 or 33 or 34 or 36 or 39 or 40 or 41 or 43 or 44 or 45 or 46 or 47 or 48 or 49 ? 2
            : 0;
        return cc > 0 && n - cc is >= 6 and <= 12;
    }

    /// <summary>A national spelling (trunk prefix 0, then 8-11 digits, as in 020 7946 0958 or 01 23 45 67 89), in a column named like a phone number.</summary>
    public static bool IsEuNationalPhoneNumber(string value)
    {
        Span<byte> d = stackalloc byte[12];
        var n = ReadDigits(value, d, " .-()/");
        return n is >= 9 and <= 12 && d[0] == 0 && d[1] != 0 && (char.IsAsciiDigit(value[0]) || value[0] == '(');
    }

    /// <summary>A dotted-quad IPv4 address (no leading zeros) or an IPv6 address.</summary>
    public static bool IsIpAddress(string value) => IsIpv4Address(value) || IsIpv6Address(value);

    public static bool IsIpv4Address(string value) => value.Length <= 15 && Ipv4Pattern().IsMatch(value);

    public static bool IsIpv6Address(string value) =>
        value.Length is >= 2 and <= 45 && value.Contains(':', StringComparison.Ordinal) && Ipv6Characters().IsMatch(value)
        && IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>A latitude, longitude pair in decimal degrees ("47.6062, -122.3321"), each with 2+ decimals and in range.</summary>
    public static bool IsGeolocation(string value)
    {
        var m = GeoPattern().Match(value);
        return m.Success
            && double.TryParse(m.Groups[1].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) && Math.Abs(lat) <= 90
            && double.TryParse(m.Groups[2].ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture, out var lon) && Math.Abs(lon) <= 180;
    }

    /// <summary>5 digits, or ZIP+4 (ddddd-dddd), in a column named like a ZIP or postal code.</summary>
    public static bool IsUsZipCode(string value)
    {
        Span<byte> d = stackalloc byte[9];
        var n = ReadDigits(value, d, "-");
        return (n == 5 && value.Length == 5 || n == 9 && value.Length == 10 && value[5] == '-') && Number(d[..5]) != 0;
    }

    /// <summary>The name of one of the 50 states or D.C., in any case.</summary>
    public static bool IsUsStateName(string value) => UsStateNames.Contains(value);

    /// <summary>A two-letter USPS state code, in a column named like a state.</summary>
    public static bool IsUsStateCode(string value) => value.Length == 2 && UsStateCodes.IndexOf(value, StringComparison.Ordinal) is >= 0 and var at && at % 3 == 0;

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

        var key = value.AsSpan(at + "AccountKey=".Length);
        var end = key.IndexOf(';');
        return (value.Contains("AccountName=", StringComparison.OrdinalIgnoreCase) || value.Contains("DefaultEndpointsProtocol=", StringComparison.OrdinalIgnoreCase))
            && IsAccountKey(end < 0 ? key : key[..end]);
    }

    private static bool IsAccountKey(ReadOnlySpan<char> value)
    {
        if (value.Length != 88 || !value.EndsWith("=="))
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[66];
        return Convert.TryFromBase64Chars(value, bytes, out var written) && written == 64;
    }

    private const string UsStateCodes = "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC ";

    private static readonly HashSet<string> UsStateNames = new(
    [
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida", "Georgia", "Hawaii", "Idaho",
        "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
        "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina",
        "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
        "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
    ], StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^[0-9A-Fa-f:.]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6Characters();

    [GeneratedRegex(@"^(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]?\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsPhonePattern();

    [GeneratedRegex(@"^([+-]?\d{1,2}\.\d{2,12})\s*[, ]\s*([+-]?\d{1,3}\.\d{2,12})$", RegexOptions.CultureInvariant)]
    private static partial Regex GeoPattern();
}
