namespace Purview.Core.Classification;

/// <summary>
/// The check-digit schemes national and financial identifiers use, over digit values (0-9, or 10-35 for letters where a
/// scheme reads them). Pure and allocation-free.
/// </summary>
public static class Checksums
{
    /// <summary>Luhn (ISO/IEC 7812): from the right, every second digit doubled; the sum is a multiple of 10.</summary>
    public static bool Luhn(ReadOnlySpan<byte> digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i];
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

    /// <summary>Σ digits[i] × weights[i] over the shorter of the two.</summary>
    public static int Weighted(ReadOnlySpan<byte> digits, ReadOnlySpan<byte> weights)
    {
        var sum = 0;
        var n = Math.Min(digits.Length, weights.Length);
        for (var i = 0; i < n; i++)
        {
            sum += digits[i] * weights[i];
        }

        return sum;
    }

    /// <summary>The number the digits spell, modulo <paramref name="modulus"/> (no overflow whatever the length).</summary>
    public static int Mod(ReadOnlySpan<byte> digits, int modulus)
    {
        var r = 0;
        foreach (var d in digits)
        {
            r = ((r * 10) + d) % modulus;
        }

        return r;
    }

    /// <summary>Verhoeff (dihedral group D5): detects every single-digit error and adjacent transposition.</summary>
    public static bool Verhoeff(ReadOnlySpan<byte> digits)
    {
        var c = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            c = VerhoeffD[(c * 10) + VerhoeffP[((i % 8) * 10) + digits[digits.Length - 1 - i]]];
        }

        return c == 0;
    }

    /// <summary>ISO 7064 MOD 11-2 (China's resident id): the check character is 0-9 or X (10).</summary>
    public static int Iso7064Mod112(ReadOnlySpan<byte> digits)
    {
        var p = 0;
        foreach (var d in digits)
        {
            p = ((p + d) * 2) % 11;
        }

        return (12 - p) % 11;
    }

    /// <summary>ISO 7064 MOD 11,10 (Croatia's OIB, Germany's tax id and VAT number): the check digit of the digits before it.</summary>
    public static int Iso7064Mod1110(ReadOnlySpan<byte> digits)
    {
        var p = 10;
        foreach (var d in digits)
        {
            var s = (p + d) % 10;
            if (s == 0)
            {
                s = 10;
            }

            p = (s * 2) % 11;
        }

        return (11 - p) % 10;
    }

    /// <summary>ICAO 9303's 7-3-1 check digit over digits and letters (A=10 ... Z=35), as German identity documents use it.</summary>
    public static int Icao731(ReadOnlySpan<char> text)
    {
        var sum = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var v = char.IsAsciiDigit(c) ? c - '0' : char.ToUpperInvariant(c) - 'A' + 10;
            sum += v * (i % 3) switch { 0 => 7, 1 => 3, _ => 1 };
        }

        return sum % 10;
    }

    private static readonly byte[] VerhoeffD =
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 0, 6, 7, 8, 9, 5, 2, 3, 4, 0, 1, 7, 8, 9, 5, 6, 3, 4, 0, 1, 2, 8, 9, 5, 6, 7,
        4, 0, 1, 2, 3, 9, 5, 6, 7, 8, 5, 9, 8, 7, 6, 0, 4, 3, 2, 1, 6, 5, 9, 8, 7, 1, 0, 4, 3, 2, 7, 6, 5, 9, 8, 2, 1, 0, 4, 3,
        8, 7, 6, 5, 9, 3, 2, 1, 0, 4, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
    ];

    private static readonly byte[] VerhoeffP =
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 5, 7, 6, 2, 8, 3, 0, 9, 4, 5, 8, 0, 3, 7, 9, 6, 1, 4, 2, 8, 9, 1, 6, 0, 4, 3, 5, 2, 7,
        9, 4, 5, 3, 1, 2, 6, 8, 7, 0, 4, 2, 8, 6, 5, 7, 3, 9, 0, 1, 2, 7, 9, 3, 8, 0, 6, 4, 1, 5, 7, 0, 4, 6, 9, 1, 3, 2, 5, 8,
    ];
}
