using System.Text.RegularExpressions;

namespace Purview.Core.Classification;

/// <summary>National identifiers, tax identifiers and passports.</summary>
public static partial class SystemClassifications
{
    // ---- Americas ----

    /// <summary>ddd-dd-dddd (or with spaces): area not 000, 666 or 9xx; group not 00; serial not 0000.</summary>
    public static bool IsUsSocialSecurityNumber(string value)
    {
        Span<byte> d = stackalloc byte[9];
        if (!TryDigits(value, d, " -", 9) || !SeparatedAt(value, [3, 6], " -"))
        {
            return false;
        }

        var area = Number(d[..3]);
        return area is not (0 or 666) && area < 900 && Number(d[3..5]) != 0 && Number(d[5..]) != 0;
    }

    /// <summary>9dd-gg-dddd (spaces, hyphens or none) with the IRS's ITIN group ranges 50-65, 70-88, 90-92, 94-99.</summary>
    public static bool IsUsItin(string value)
    {
        Span<byte> d = stackalloc byte[9];
        if (!TryDigits(value, d, " -", 9) || (value.Length != 9 && !SeparatedAt(value, [3, 6], " -")))
        {
            return false;
        }

        var group = (d[3] * 10) + d[4];
        return d[0] == 9 && group is (>= 50 and <= 65) or (>= 70 and <= 88) or (>= 90 and <= 92) or (>= 94 and <= 99);
    }

    public static bool IsNineDigits(string value) => value.Length == 9 && !value.AsSpan().ContainsAnyExceptInRange('0', '9') && value.AsSpan().ContainsAnyExcept('0');

    public static bool IsTenDigits(string value) => value.Length == 10 && !value.AsSpan().ContainsAnyExceptInRange('0', '9');

    public static bool IsTwelveDigits(string value) => value.Length == 12 && !value.AsSpan().ContainsAnyExceptInRange('0', '9');

    /// <summary>ddd-ddd-ddd or ddd ddd ddd, not a business number (8), Luhn-valid.</summary>
    public static bool IsCanadaSinFormatted(string value) => value.Length == 11 && SeparatedAt(value, [3, 7], " -") && IsCanadaSin(value);

    /// <summary>9 digits (separators allowed), not a business number (8), not all one digit, Luhn-valid.</summary>
    public static bool IsCanadaSin(string value)
    {
        Span<byte> d = stackalloc byte[9];
        return TryDigits(value, d, " -", 9) && d[0] != 8 && !AllSame(d) && Checksums.Luhn(d);
    }

    public static bool IsCanadaPassportNumber(string value) =>
        value.Length == 8 && char.IsAsciiLetterUpper(value[0]) && char.IsAsciiLetterUpper(value[1]) && !value.AsSpan(2).ContainsAnyExceptInRange('0', '9');

    /// <summary>11 digits (ddd.ddd.ddd-dd), not all one digit, with its two mod-11 check digits.</summary>
    public static bool IsBrazilCpf(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, ".-", 11) || AllSame(d))
        {
            return false;
        }

        return CpfDigit(d[..9], 10) == d[9] && CpfDigit(d[..10], 11) == d[10];
    }

    /// <summary>14 digits (dd.ddd.ddd/dddd-dd), not all one digit, with its two mod-11 check digits.</summary>
    public static bool IsBrazilCnpj(string value)
    {
        Span<byte> d = stackalloc byte[14];
        if (!TryDigits(value, d, "./-", 14) || AllSame(d))
        {
            return false;
        }

        return CnpjDigit(d[..12], [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) == d[12] && CnpjDigit(d[..13], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) == d[13];
    }

    /// <summary>Chile's RUN/RUT: 7-8 digits (dots allowed), a hyphen, and the mod-11 check character 0-9 or K.</summary>
    public static bool IsChileRut(string value)
    {
        var dash = value.LastIndexOf('-');
        if (dash < 0 || dash != value.Length - 2)
        {
            return false;
        }

        Span<byte> d = stackalloc byte[8];
        var n = ReadDigits(value.AsSpan(0, dash), d, ".");
        if (n is < 7 or > 8 || d[0] == 0)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += d[n - 1 - i] * (2 + (i % 6));
        }

        var check = 11 - (sum % 11);
        var expected = check switch { 11 => '0', 10 => 'K', _ => (char)('0' + check) };
        return char.ToUpperInvariant(value[^1]) == expected;
    }

    // ---- Europe ----

    /// <summary>
    /// Two prefix letters HMRC allows (not D, F, I, Q, U, V; second not O; not BG, GB, KN, NK, NT, TN, ZZ), 6 digits
    /// (grouped by spaces or hyphens, or not), suffix A-D.
    /// </summary>
    public static bool IsUkNino(string value)
    {
        var m = NinoPattern().Match(value);
        if (!m.Success)
        {
            return false;
        }

        var a = char.ToUpperInvariant(value[0]);
        var b = char.ToUpperInvariant(value[1]);
        if ("DFIQUV".Contains(a, StringComparison.Ordinal) || "DFIOQUV".Contains(b, StringComparison.Ordinal))
        {
            return false;
        }

        return (a, b) is not (('B', 'G') or ('G', 'B') or ('K', 'N') or ('N', 'K') or ('N', 'T') or ('T', 'N') or ('Z', 'Z'));
    }

    /// <summary>10 digits (3-3-4), weights 10..2, 11 - (sum mod 11) is the last digit (11 reads 0, 10 is never issued).</summary>
    public static bool IsUkNhsNumber(string value)
    {
        Span<byte> d = stackalloc byte[10];
        if (!TryDigits(value, d, " -", 10) || (value.Length != 10 && !SeparatedAt(value, [3, 7], " -")) || AllSame(d))
        {
            return false;
        }

        var check = 11 - (Checksums.Weighted(d, [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11);
        return check != 10 && (check == 11 ? 0 : check) == d[9];
    }

    /// <summary>
    /// INSEE number: 13 digits (sex 1-4/7/8, year, month, department - 2A/2B in Corsica -, commune, order) and a 2-digit key
    /// = 97 - (the 13 digits mod 97), spaces allowed.
    /// </summary>
    public static bool IsFranceInsee(string value)
    {
        Span<char> t = stackalloc char[15];
        var n = 0;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == t.Length)
            {
                return false;
            }

            t[n++] = char.ToUpperInvariant(c);
        }

        if (n != 15 || t[0] is not ('1' or '2' or '3' or '4' or '7' or '8'))
        {
            return false;
        }

        // Corsica: departments 2A and 2B count as 19 and 18 in the key.
        if (t[5] == '2' && t[6] is 'A' or 'B')
        {
            t[5] = '1';
            t[6] = t[6] == 'A' ? '9' : '8';
        }

        Span<byte> d = stackalloc byte[15];
        for (var i = 0; i < 15; i++)
        {
            if (!char.IsAsciiDigit(t[i]))
            {
                return false;
            }

            d[i] = (byte)(t[i] - '0');
        }

        var month = (d[3] * 10) + d[4];
        return month is (>= 1 and <= 12) or (>= 20 and <= 42) or (>= 50 and <= 99) && 97 - Checksums.Mod(d[..13], 97) == (d[13] * 10) + d[14];
    }
    /// <summary>France's passport: 2 digits, 2 letters, 5 digits.</summary>
    public static bool IsFrancePassportNumber(string value) => FrancePassportPattern().IsMatch(value);

    /// <summary>France's SPI tax number: 13 digits starting 0-3; the last 3 are the first 10 mod 511.</summary>
    public static bool IsFranceTaxId(string value)
    {
        Span<byte> d = stackalloc byte[13];
        return TryDigits(value, d, " ", 13) && d[0] <= 3 && !AllSame(d) && Checksums.Mod(d[..10], 511) == Number(d[10..]);
    }

    /// <summary>Germany's identity card (since 2010): a letter from L-Y, 8 more of [0-9CFGHJKLMNPRTVWXYZ], and the 7-3-1 check digit.</summary>
    public static bool IsGermanyIdCardWithCheck(string value) =>
        value.Length == 10 && IsGermanyIdCard(value[..9]) && char.IsAsciiDigit(value[9]) && Checksums.Icao731(value.AsSpan(0, 9)) == value[9] - '0';

    /// <summary>The 9-character serial of Germany's identity card, without its check digit (column hint needed).</summary>
    public static bool IsGermanyIdCard(string value) => value.Length == 9 && "LMNPRTVWXY".Contains(value[0], StringComparison.Ordinal) && GermanDocumentChars(value.AsSpan(1));

    /// <summary>Germany's passport: C, F, G, H, J or K, 8 more of [0-9CFGHJKLMNPRTVWXYZ], and the 7-3-1 check digit.</summary>
    public static bool IsGermanyPassportNumber(string value) =>
        value.Length == 10 && "CFGHJK".Contains(value[0], StringComparison.Ordinal) && GermanDocumentChars(value.AsSpan(1, 8))
        && char.IsAsciiDigit(value[9]) && Checksums.Icao731(value.AsSpan(0, 9)) == value[9] - '0';

    /// <summary>
    /// Germany's tax id (Steuer-IdNr): 11 digits, first not 0; in the first 10 exactly one digit occurs twice or three
    /// times (never three in a row) and the rest at most once; ISO 7064 MOD 11,10 check digit.
    /// </summary>
    public static bool IsGermanyTaxId(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, " ", 11) || d[0] == 0)
        {
            return false;
        }

        Span<byte> counts = stackalloc byte[10];
        foreach (var x in d[..10])
        {
            counts[x]++;
        }

        int repeated = 0, missing = 0;
        foreach (var c in counts)
        {
            if (c is 2 or 3)
            {
                repeated++;
            }
            else if (c > 3)
            {
                return false;
            }
            else if (c == 0)
            {
                missing++;
            }
        }

        for (var i = 2; i < 10; i++)
        {
            if (d[i] == d[i - 1] && d[i] == d[i - 2])
            {
                return false;
            }
        }

        return repeated == 1 && missing is 1 or 2 && Checksums.Iso7064Mod1110(d[..10]) == d[10];
    }

    /// <summary>Spain's DNI: 8 digits, an optional space or hyphen, and the letter TRWAGMYFPDXBNJZSQVHLCKE[number mod 23].</summary>
    public static bool IsSpainDni(string value)
    {
        if (value.Length is not (9 or 10) || (value.Length == 10 && value[8] is not (' ' or '-')))
        {
            return false;
        }

        Span<byte> d = stackalloc byte[8];
        return TryDigits(value.AsSpan(0, 8), d, "", 8) && DniLetters[Number(d) % 23] == char.ToUpperInvariant(value[^1]);
    }

    /// <summary>Spain's NIF: a DNI (8 digits + letter), or an NIE (X/Y/Z as 0/1/2 + 7 digits + letter) or K/L/M + 7 digits + letter, upper case.</summary>
    public static bool IsSpainNif(string value)
    {
        if (value.Length != 9 || !char.IsAsciiLetterUpper(value[8]))
        {
            return false;
        }

        var first = value[0];
        var lead = first switch { 'X' => 0, 'Y' => 1, 'Z' => 2, 'K' or 'L' or 'M' => 0, _ => char.IsAsciiDigit(first) ? first - '0' : -1 };
        Span<byte> d = stackalloc byte[7];
        if (lead < 0 || !TryDigits(value.AsSpan(1, 7), d, "", 7))
        {
            return false;
        }

        return DniLetters[((lead * 10_000_000) + Number(d)) % 23] == value[8];
    }

    /// <summary>Spain's social security number: province (2 digits), 7-8 digits, and 2 control digits = (province and number) mod 97; slashes allowed.</summary>
    public static bool IsSpainSocialSecurityNumber(string value)
    {
        Span<byte> d = stackalloc byte[12];
        var n = ReadDigits(value, d, "/");
        if (n is not (11 or 12) || AllSame(d[..n]))
        {
            return false;
        }

        var province = (d[0] * 10) + d[1];
        long number = Number(d[2..(n - 2)]);
        var control = (d[n - 2] * 10) + d[n - 1];
        var joined = number < 10_000_000 ? (province * 10_000_000L) + number : (province * 100_000_000L) + number;
        return province is >= 1 and <= 53 or 66 && joined % 97 == control;
    }

    /// <summary>Italy's codice fiscale: 6 letters, birth data (omocodia letters allowed for digits), and the check letter of its odd/even tables.</summary>
    public static bool IsItalyFiscalCode(string value)
    {
        if (!FiscalCodePattern().IsMatch(value))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            var c = char.ToUpperInvariant(value[i]);
            var index = char.IsAsciiDigit(c) ? c - '0' : c - 'A';
            sum += i % 2 == 0 ? FiscalOdd[index] : index;
        }

        return (char)('A' + (sum % 26)) == char.ToUpperInvariant(value[15]);
    }

    /// <summary>The Netherlands' BSN: 8-9 digits (3-3-3 with spaces or dots allowed) passing the 11-test.</summary>
    public static bool IsNetherlandsBsn(string value)
    {
        Span<byte> d = stackalloc byte[9];
        var n = ReadDigits(value, d, " .");
        if (n is not (8 or 9))
        {
            return false;
        }

        if (n == 8)
        {
            d[..8].CopyTo(d[1..]);
            d[0] = 0;
        }

        return !AllSame(d) && Number(d[..8]) != 0 && ElevenTest(d);
    }

    /// <summary>Belgium's national number: yy.mm.dd-nnn.cc; cc = 97 - (the 9 digits mod 97), with a 2 prepended for births from 2000.</summary>
    public static bool IsBelgiumNationalNumber(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, " .-", 11) || AllSame(d))
        {
            return false;
        }

        var body = Number(d[..9]);
        var check = (d[9] * 10) + d[10];
        var month = (d[2] * 10) + d[3];
        return month is >= 0 and <= 12 or (>= 20 and <= 32) or (>= 40 and <= 52)
            && (97 - (body % 97) == check || 97 - ((2_000_000_000L + body) % 97) == check);
    }

    /// <summary>Poland's PESEL: 11 digits, a birth date (months +20/+40/+60/+80 for other centuries), weights 1-3-7-9, check = (10 - sum mod 10) mod 10.</summary>
    public static bool IsPolandPesel(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, "", 11) || AllSame(d))
        {
            return false;
        }

        var month = (d[2] * 10) + d[3];
        var century = (month / 20) switch { 0 => 1900, 1 => 2000, 2 => 2100, 3 => 2200, _ => 1800 };
        if (!IsDate(century + (d[0] * 10) + d[1], month % 20, (d[4] * 10) + d[5]))
        {
            return false;
        }

        return (10 - (Checksums.Weighted(d, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10 == d[10];
    }

    /// <summary>Sweden's personnummer: (yy)yymmdd, optional - or +, 4 digits; a birth date (day +60 for coordination numbers) and Luhn over the 10-digit form.</summary>
    public static bool IsSwedenPersonalNumber(string value)
    {
        Span<byte> d = stackalloc byte[12];
        var n = ReadDigits(value, d, "-+");
        if (n is not (10 or 12) || (value.Length != n && value[^5] is not ('-' or '+')))
        {
            return false;
        }

        var ten = d[(n - 10)..n];
        var day = (ten[4] * 10) + ten[5];
        return IsDate(2000, (ten[2] * 10) + ten[3], day > 60 ? day - 60 : day) && !AllSame(ten) && Checksums.Luhn(ten);
    }

    /// <summary>Norway's fødselsnummer: ddmmyy (day +40 for D-numbers, month +40 for H-numbers), 3 digits, and two mod-11 check digits.</summary>
    public static bool IsNorwayIdNumber(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, " ", 11))
        {
            return false;
        }

        var day = (d[0] * 10) + d[1];
        var month = (d[2] * 10) + d[3];
        if (!IsDate(2000, month > 40 ? month - 40 : month, day > 40 ? day - 40 : day))
        {
            return false;
        }

        var k1 = Mod11Check(Checksums.Weighted(d, [3, 7, 6, 1, 8, 9, 4, 5, 2]));
        var k2 = Mod11Check(Checksums.Weighted(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]));
        return k1 == d[9] && k2 == d[10];
    }

    /// <summary>Denmark's CPR number: ddmmyy-nnnn, a birth date, and weights 4-3-2-7-6-5-4-3-2-1 summing to a multiple of 11.</summary>
    public static bool IsDenmarkCpr(string value)
    {
        Span<byte> d = stackalloc byte[10];
        if (!TryDigits(value, d, "-", 10) || (value.Length == 11 && value[6] != '-'))
        {
            return false;
        }

        return IsDate(2000, (d[2] * 10) + d[3], (d[0] * 10) + d[1]) && Checksums.Weighted(d, [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0;
    }

    /// <summary>Finland's HETU: ddmmyy, a century sign (+, -, A-F, U-Y), 3 digits, and the check character of the 9 digits mod 31.</summary>
    public static bool IsFinlandHetu(string value)
    {
        if (value.Length != 11 || "+-ABCDEFUVWXY".IndexOf(char.ToUpperInvariant(value[6])) < 0)
        {
            return false;
        }

        Span<byte> d = stackalloc byte[9];
        if (!TryDigits(value.AsSpan(0, 6), d, "", 6) || !TryDigits(value.AsSpan(7, 3), d[6..], "", 3))
        {
            return false;
        }

        return IsDate(2000, (d[2] * 10) + d[3], (d[0] * 10) + d[1]) && "0123456789ABCDEFHJKLMNPRSTUVWXY"[Number(d) % 31] == char.ToUpperInvariant(value[10]);
    }

    /// <summary>Ireland's PPS number: 7 digits, a check letter (weights 8..2, the optional second letter weighs 9; sum mod 23, W for 0), and an optional A-I or W.</summary>
    public static bool IsIrelandPps(string value)
    {
        if (value.Length is not (8 or 9))
        {
            return false;
        }

        Span<byte> d = stackalloc byte[7];
        if (!TryDigits(value.AsSpan(0, 7), d, "", 7))
        {
            return false;
        }

        var check = char.ToUpperInvariant(value[7]);
        var sum = Checksums.Weighted(d, [8, 7, 6, 5, 4, 3, 2]);
        if (value.Length == 9)
        {
            var second = char.ToUpperInvariant(value[8]);
            if (second is not ((>= 'A' and <= 'I') or 'W'))
            {
                return false;
            }

            sum += second == 'W' ? 0 : 9 * (second - 'A' + 1);
        }

        var r = sum % 23;
        return check == (r == 0 ? 'W' : (char)('A' + r - 1));
    }

    /// <summary>Portugal's NIF: 9 digits, weights 9..2, check = 11 - (sum mod 11), 10 and 11 read 0.</summary>
    public static bool IsPortugalNif(string value)
    {
        Span<byte> d = stackalloc byte[9];
        if (!TryDigits(value, d, " ", 9) || d[0] == 0)
        {
            return false;
        }

        var check = 11 - (Checksums.Weighted(d, [9, 8, 7, 6, 5, 4, 3, 2]) % 11);
        return (check >= 10 ? 0 : check) == d[8];
    }

    /// <summary>Croatia's OIB: 11 digits with an ISO 7064 MOD 11,10 check digit.</summary>
    public static bool IsCroatiaOib(string value)
    {
        Span<byte> d = stackalloc byte[11];
        return TryDigits(value, d, "", 11) && !AllSame(d) && Checksums.Iso7064Mod1110(d[..10]) == d[10];
    }

    /// <summary>Switzerland's AHV/AVS number: 756, 9 digits and an EAN-13 check digit (756.dddd.dddd.dd).</summary>
    public static bool IsSwitzerlandAhv(string value)
    {
        Span<byte> d = stackalloc byte[13];
        if (!TryDigits(value, d, ".", 13) || d[0] != 7 || d[1] != 5 || d[2] != 6 || (value.Length != 13 && !SeparatedAt(value, [3, 8, 13], ".")))
        {
            return false;
        }

        return (10 - (Checksums.Weighted(d, [1, 3, 1, 3, 1, 3, 1, 3, 1, 3, 1, 3]) % 10)) % 10 == d[12];
    }

    /// <summary>Turkey's T.C. Kimlik No: 11 digits, first not 0; d10 = (7 × odd sum - even sum) mod 10, d11 = sum of the first 10 mod 10.</summary>
    public static bool IsTurkeyIdNumber(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, "", 11) || d[0] == 0)
        {
            return false;
        }

        var odd = d[0] + d[2] + d[4] + d[6] + d[8];
        var even = d[1] + d[3] + d[5] + d[7];
        var sum10 = odd + even + d[9];
        return (((odd * 7) - even) % 10 + 10) % 10 == d[9] && sum10 % 10 == d[10];
    }

    // ---- Asia, Oceania, Africa ----

    /// <summary>India's PAN: 3 letters, a holder-type letter (C P H F A T B L J G), a letter, 4 digits, a letter.</summary>
    public static bool IsIndiaPan(string value) => PanPattern().IsMatch(value);

    /// <summary>Aadhaar: 12 digits (4-4-4 with spaces or hyphens), first 2-9, Verhoeff check digit.</summary>
    public static bool IsIndiaAadhaar(string value)
    {
        Span<byte> d = stackalloc byte[12];
        return TryDigits(value, d, " -", 12) && (value.Length == 12 || SeparatedAt(value, [4, 9], " -")) && d[0] >= 2 && !AllSame(d) && Checksums.Verhoeff(d);
    }

    /// <summary>China's resident identity number: 6-digit area, yyyymmdd birth date, 3-digit order, ISO 7064 MOD 11-2 check (0-9 or X).</summary>
    public static bool IsChinaResidentId(string value)
    {
        if (value.Length != 18)
        {
            return false;
        }

        Span<byte> d = stackalloc byte[17];
        if (!TryDigits(value.AsSpan(0, 17), d, "", 17) || d[0] == 0)
        {
            return false;
        }

        var last = char.ToUpperInvariant(value[17]);
        var check = Checksums.Iso7064Mod112(d);
        return IsDate(Number(d[6..10]), Number(d[10..12]), Number(d[12..14])) && (check == 10 ? last == 'X' : last == '0' + check);
    }

    /// <summary>Japan's My Number (individual): 12 digits (4-4-4), the last a check digit over weights 6..2, 7..2 from the left.</summary>
    public static bool IsJapanMyNumberPersonal(string value)
    {
        Span<byte> d = stackalloc byte[12];
        if (!TryDigits(value, d, " .-", 12) || (value.Length != 12 && !SeparatedAt(value, [4, 9], " .-")) || AllSame(d))
        {
            return false;
        }

        var r = Checksums.Weighted(d, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
        return (r <= 1 ? 0 : 11 - r) == d[11];
    }

    /// <summary>Japan's corporate number: 13 digits, the first a check digit 1-9 = 9 - (weights 1,2 from the right mod 9).</summary>
    public static bool IsJapanMyNumberCorporate(string value)
    {
        Span<byte> d = stackalloc byte[13];
        if (!TryDigits(value, d, "", 13) || d[0] == 0)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += d[12 - i] * (i % 2 == 0 ? 1 : 2);
        }

        return 9 - (sum % 9) == d[0];
    }

    /// <summary>South Korea's RRN: yymmdd-gnnnnnc, a birth date, and c = (11 - (weights 2..9,2..5 mod 11)) mod 10.</summary>
    public static bool IsSouthKoreaRrn(string value)
    {
        Span<byte> d = stackalloc byte[13];
        if (value.Length != 14 || value[6] != '-' || !TryDigits(value, d, "-", 13))
        {
            return false;
        }

        return IsDate(2000, (d[2] * 10) + d[3], (d[4] * 10) + d[5]) && d[6] <= 8
            && (11 - (Checksums.Weighted(d, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11)) % 10 == d[12];
    }

    /// <summary>Singapore's NRIC/FIN: S, T, F or G, 7 digits, and the check letter of weights 2-7-6-5-4-3-2 (+4 for T and G).</summary>
    public static bool IsSingaporeNric(string value)
    {
        if (value.Length != 9)
        {
            return false;
        }

        var prefix = char.ToUpperInvariant(value[0]);
        Span<byte> d = stackalloc byte[7];
        if (prefix is not ('S' or 'T' or 'F' or 'G') || !TryDigits(value.AsSpan(1, 7), d, "", 7))
        {
            return false;
        }

        var r = (Checksums.Weighted(d, [2, 7, 6, 5, 4, 3, 2]) + (prefix is 'T' or 'G' ? 4 : 0)) % 11;
        var table = prefix is 'S' or 'T' ? "JZIHGFEDCBA" : "XWUTRQPNMLK";
        return table[r] == char.ToUpperInvariant(value[8]);
    }

    /// <summary>Hong Kong's HKID: 1-2 letters, 6 digits, and the check digit (0-9 or A) in optional parentheses: weights 9..2 with a blank as 36.</summary>
    public static bool IsHongKongId(string value)
    {
        var m = HkidPattern().Match(value);
        if (!m.Success)
        {
            return false;
        }

        var letters = m.Groups[1].ValueSpan;
        var sum = letters.Length == 1 ? (36 * 9) + ((char.ToUpperInvariant(letters[0]) - 'A' + 10) * 8) : ((char.ToUpperInvariant(letters[0]) - 'A' + 10) * 9) + ((char.ToUpperInvariant(letters[1]) - 'A' + 10) * 8);
        var digits = m.Groups[2].ValueSpan;
        for (var i = 0; i < 6; i++)
        {
            sum += (digits[i] - '0') * (7 - i);
        }

        var check = (11 - (sum % 11)) % 11;
        var last = char.ToUpperInvariant((m.Groups[3].Success ? m.Groups[3] : m.Groups[4]).ValueSpan[0]);
        return check == 10 ? last == 'A' : last == '0' + check;
    }

    /// <summary>Taiwan's national id: a letter (its area code 10-35), 1 or 2, 8 digits; weights 1,9,8..1,1 sum to a multiple of 10.</summary>
    public static bool IsTaiwanId(string value)
    {
        if (value.Length != 10)
        {
            return false;
        }

        var letter = char.ToUpperInvariant(value[0]);
        Span<byte> d = stackalloc byte[9];
        if (!char.IsAsciiLetterUpper(letter) || !TryDigits(value.AsSpan(1), d, "", 9) || d[0] is not (1 or 2))
        {
            return false;
        }

        var code = TaiwanAreaCodes[letter - 'A'];
        var sum = (code / 10) + ((code % 10) * 9) + Checksums.Weighted(d, [8, 7, 6, 5, 4, 3, 2, 1, 1]);
        return sum % 10 == 0;
    }

    /// <summary>Australia's TFN: 9 digits (or 8, older), weighted sum (1,4,3,7,5,8,6,9,10) a multiple of 11.</summary>
    public static bool IsAustraliaTfn(string value)
    {
        Span<byte> d = stackalloc byte[9];
        var n = ReadDigits(value, d, " ");
        if (n is not (8 or 9) || AllSame(d[..n]) || (value.Length != n && !SeparatedAt(value, [3, 7], " ")))
        {
            return false;
        }

        var sum = n == 9 ? Checksums.Weighted(d, [1, 4, 3, 7, 5, 8, 6, 9, 10]) : Checksums.Weighted(d, [10, 7, 8, 4, 6, 3, 5, 1]);
        return sum % 11 == 0;
    }

    /// <summary>Australia's ABN: 11 digits; with 1 taken from the first, weights 10,1,3,...,19 sum to a multiple of 89.</summary>
    public static bool IsAustraliaAbn(string value)
    {
        Span<byte> d = stackalloc byte[11];
        if (!TryDigits(value, d, " -", 11) || d[0] == 0)
        {
            return false;
        }

        d[0]--;
        return Checksums.Weighted(d, [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) % 89 == 0;
    }

    /// <summary>Australia's ACN: 9 digits (3-3-3), weights 8..1 on the first 8, check = (10 - sum mod 10) mod 10.</summary>
    public static bool IsAustraliaAcn(string value)
    {
        Span<byte> d = stackalloc byte[9];
        if (!TryDigits(value, d, " ", 9) || (value.Length != 9 && !SeparatedAt(value, [3, 7], " ")) || AllSame(d))
        {
            return false;
        }

        return (10 - (Checksums.Weighted(d, [8, 7, 6, 5, 4, 3, 2, 1]) % 10)) % 10 == d[8];
    }

    /// <summary>Australia's Medicare number: 10-11 digits, first 2-6, ninth = weights 1,3,7,9 on the first 8 mod 10.</summary>
    public static bool IsAustraliaMedicare(string value)
    {
        Span<byte> d = stackalloc byte[11];
        var n = ReadDigits(value, d, " ");
        return n is 10 or 11 && d[0] is >= 2 and <= 6 && Checksums.Weighted(d, [1, 3, 7, 9, 1, 3, 7, 9]) % 10 == d[8];
    }

    /// <summary>Australia's passport: N, E, D, F, A, C, U or X and 7 digits, or P plus one of A-F, U, W, X, Z and 7 digits.</summary>
    public static bool IsAustraliaPassportNumber(string value) => AustraliaPassportPattern().IsMatch(value);

    /// <summary>New Zealand's NHI (AAANNNC): 3 letters without I and O, 3 digits, and the mod-11 check digit (10 reads 0).</summary>
    public static bool IsNewZealandNhi(string value)
    {
        var compact = value.Length == 8 && value[3] == ' ' ? string.Concat(value.AsSpan(0, 3), value.AsSpan(4)) : value;
        if (compact.Length != 7)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 3; i++)
        {
            var c = char.ToUpperInvariant(compact[i]);
            if (!char.IsAsciiLetterUpper(c) || c is 'I' or 'O')
            {
                return false;
            }

            sum += NhiLetterValue(c) * (7 - i);
        }

        for (var i = 3; i < 7; i++)
        {
            if (!char.IsAsciiDigit(compact[i]))
            {
                return false;
            }
        }

        for (var i = 3; i < 6; i++)
        {
            sum += (compact[i] - '0') * (7 - i);
        }

        var r = sum % 11;
        if (r == 0)
        {
            return false;
        }

        var check = 11 - r;
        return (check == 10 ? 0 : check) == compact[6] - '0';
    }

    /// <summary>New Zealand's IRD number: 8-9 digits between 10,000,000 and 150,000,000, mod-11 check with the secondary weights when the first give 10.</summary>
    public static bool IsNewZealandIrd(string value)
    {
        Span<byte> d = stackalloc byte[9];
        var n = ReadDigits(value, d, " -");
        if (n is not (8 or 9))
        {
            return false;
        }

        if (n == 8)
        {
            d[..8].CopyTo(d[1..]);
            d[0] = 0;
        }

        var number = Number(d);
        if (number is < 10_000_000 or > 150_000_000)
        {
            return false;
        }

        var check = IrdCheck(d[..8], [3, 2, 7, 6, 5, 4, 3, 2]);
        if (check == 10)
        {
            check = IrdCheck(d[..8], [7, 4, 3, 2, 5, 2, 7, 6]);
        }

        return check != 10 && check == d[8];
    }

    /// <summary>South Africa's id: yymmdd, 4 digits, citizenship 0-2, a digit, and a Luhn check digit.</summary>
    public static bool IsSouthAfricaId(string value)
    {
        Span<byte> d = stackalloc byte[13];
        return TryDigits(value, d, " ", 13) && IsDate(2000, (d[2] * 10) + d[3], (d[4] * 10) + d[5]) && d[10] <= 2 && Checksums.Luhn(d);
    }

    // ---- Helpers ----

    private static int CpfDigit(ReadOnlySpan<byte> d, int firstWeight)
    {
        var sum = 0;
        for (var i = 0; i < d.Length; i++)
        {
            sum += d[i] * (firstWeight - i);
        }

        return sum * 10 % 11 % 10;
    }

    private static int CnpjDigit(ReadOnlySpan<byte> d, ReadOnlySpan<byte> weights)
    {
        var r = Checksums.Weighted(d, weights) % 11;
        return r < 2 ? 0 : 11 - r;
    }

    /// <summary>11 - (sum mod 11), where 11 reads 0 and 10 is invalid (returned as 10).</summary>
    private static int Mod11Check(int sum)
    {
        var check = 11 - (sum % 11);
        return check == 11 ? 0 : check;
    }

    private static int IrdCheck(ReadOnlySpan<byte> d, ReadOnlySpan<byte> weights)
    {
        var r = Checksums.Weighted(d, weights) % 11;
        return r == 0 ? 0 : 11 - r;
    }

    private static bool GermanDocumentChars(ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            if (!char.IsAsciiDigit(c) && !"CFGHJKLMNPRTVWXYZ".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A=1 ... Z=24, skipping I and O (the NHI alphabet).</summary>
    private static int NhiLetterValue(char c) => c - 'A' + 1 - (c > 'I' ? 1 : 0) - (c > 'O' ? 1 : 0);

    private const string DniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

    /// <summary>Odd-position values of the codice fiscale for 0-9 / A-Z (digits share the values of A-J).</summary>
    private static readonly byte[] FiscalOdd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

    /// <summary>Taiwan's area codes of A-Z.</summary>
    private static readonly byte[] TaiwanAreaCodes = [10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21, 22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33];

    [GeneratedRegex(@"^[A-Za-z]{2}(?:\d{6}|(?:[ -]\d{2}){3}[ -]?)[A-Da-d]$", RegexOptions.CultureInvariant)]
    private static partial Regex NinoPattern();

    [GeneratedRegex(@"^\d{2}[A-Za-z]{2}\d{5}$", RegexOptions.CultureInvariant)]
    private static partial Regex FrancePassportPattern();

    [GeneratedRegex(@"^[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[ABCDEHLMPRSTabcdehlmprst][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]$", RegexOptions.CultureInvariant)]
    private static partial Regex FiscalCodePattern();

    [GeneratedRegex(@"^[A-Za-z]{3}[CPHFATBLJGcphfatbljg][A-Za-z]\d{4}[A-Za-z]$", RegexOptions.CultureInvariant)]
    private static partial Regex PanPattern();

    [GeneratedRegex(@"^([A-Za-z]{1,2})(\d{6})(?:\(([0-9Aa])\)|([0-9Aa]))$", RegexOptions.CultureInvariant)]
    private static partial Regex HkidPattern();

    [GeneratedRegex(@"^(?:[NEDFACUX]\d{7}|P[A-FUWXZ]\d{7})$", RegexOptions.CultureInvariant)]
    private static partial Regex AustraliaPassportPattern();
}
