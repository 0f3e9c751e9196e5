namespace Purview.Core.Classification;

/// <summary>Character classes a value may contain, as bits of <see cref="ValueShape.Classes"/>.</summary>
[Flags]
public enum CharClasses
{
    None = 0,
    Digit = 1,
    Upper = 2,
    Lower = 4,
    Space = 8,
    Hyphen = 16,
    Dot = 32,
    Slash = 64,
    Plus = 128,
    Paren = 256,
    At = 512,
    Colon = 1024,
    Equals = 2048,
    Comma = 4096,
    Other = 8192,
    Letter = Upper | Lower,
    Separators = Space | Hyphen | Dot | Slash,
    Any = ~0,
}

/// <summary>
/// What one pass over a value tells about it: length, how many digits and letters, which character classes occur.
/// The classifier computes it once per sampled value so that each detector can turn most values down with a few integer
/// comparisons (<see cref="ShapeRule"/>) before it parses anything.
/// </summary>
public readonly record struct ValueShape(int Length, int Digits, int Letters, CharClasses Classes)
{
    public static ValueShape Of(ReadOnlySpan<char> value)
    {
        int digits = 0, letters = 0;
        var classes = CharClasses.None;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
                classes |= CharClasses.Digit;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                letters++;
                classes |= CharClasses.Upper;
            }
            else if (char.IsAsciiLetterLower(c))
            {
                letters++;
                classes |= CharClasses.Lower;
            }
            else
            {
                classes |= c switch
                {
                    ' ' => CharClasses.Space,
                    '-' => CharClasses.Hyphen,
                    '.' => CharClasses.Dot,
                    '/' => CharClasses.Slash,
                    '+' => CharClasses.Plus,
                    '(' or ')' => CharClasses.Paren,
                    '@' => CharClasses.At,
                    ':' => CharClasses.Colon,
                    '=' => CharClasses.Equals,
                    ',' => CharClasses.Comma,
                    _ => CharClasses.Other,
                };
            }
        }

        return new ValueShape(value.Length, digits, letters, classes);
    }
}

/// <summary>The extremes of a column's value shapes, and the classes every value has: enough to rule a detector out at once.</summary>
public readonly record struct ColumnShape(int MinLength, int MaxLength, int MinDigits, int MaxDigits, int MinLetters, int MaxLetters, CharClasses Common)
{
    public static ColumnShape Of(ReadOnlySpan<ValueShape> shapes)
    {
        if (shapes.IsEmpty)
        {
            return default;
        }

        int minLength = int.MaxValue, maxLength = 0, minDigits = int.MaxValue, maxDigits = 0, minLetters = int.MaxValue, maxLetters = 0;
        var common = CharClasses.Any;
        foreach (ref readonly var s in shapes)
        {
            minLength = Math.Min(minLength, s.Length);
            maxLength = Math.Max(maxLength, s.Length);
            minDigits = Math.Min(minDigits, s.Digits);
            maxDigits = Math.Max(maxDigits, s.Digits);
            minLetters = Math.Min(minLetters, s.Letters);
            maxLetters = Math.Max(maxLetters, s.Letters);
            common &= s.Classes;
        }

        return new ColumnShape(minLength, maxLength, minDigits, maxDigits, minLetters, maxLetters, common);
    }
}

/// <summary>The shapes a detector can possibly accept: a cheap necessary condition checked before its validator runs.</summary>
public sealed record ShapeRule(int MinLength, int MaxLength, int MinDigits, int MaxDigits, CharClasses Allowed, int MinLetters = 0, int MaxLetters = int.MaxValue)
{
    public bool Admits(in ValueShape shape) =>
        shape.Length >= MinLength && shape.Length <= MaxLength
        && shape.Digits >= MinDigits && shape.Digits <= MaxDigits
        && shape.Letters >= MinLetters && shape.Letters <= MaxLetters
        && (shape.Classes & ~Allowed) == 0;

    /// <summary>Whether some value of a column with these extremes could be admitted (false: none can).</summary>
    public bool MayAdmitSome(in ColumnShape column) =>
        column.MaxLength >= MinLength && column.MinLength <= MaxLength
        && column.MaxDigits >= MinDigits && column.MinDigits <= MaxDigits
        && column.MaxLetters >= MinLetters && column.MinLetters <= MaxLetters
        && (column.Common & ~Allowed) == 0;

    /// <summary>Only digits and the given separators, with a digit count in range.</summary>
    public static ShapeRule Digits(int minDigits, int maxDigits, CharClasses separators = CharClasses.None, int extraLength = 0) =>
        new(minDigits, maxDigits + extraLength, minDigits, maxDigits, CharClasses.Digit | separators, 0, 0);
}
