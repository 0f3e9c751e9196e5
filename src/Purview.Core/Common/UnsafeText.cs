namespace Purview.Core.Common;

/// <summary>
/// Characters a name or identifier may not hold: control characters, and the Unicode bidirectional controls, which
/// make a name display differently from what it is (a "Trojan Source" file name, a principal that reads as another).
/// </summary>
public static class UnsafeText
{
    public static bool IsUnsafe(char c) => char.IsControl(c) || IsBidiControl(c);

    public static bool HasUnsafe(string? value) => value is not null && value.Any(IsUnsafe);

    /// <summary>U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069.</summary>
    public static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
