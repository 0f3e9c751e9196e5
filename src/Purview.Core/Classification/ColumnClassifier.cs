using System.Text.RegularExpressions;
using Purview.Core.Scanners;

namespace Purview.Core.Classification;

/// <summary>
/// One classification as the classifier applies it: a value test (a system validator or a custom rule's regexes), the
/// share of sampled non-empty values that must pass, and column-name patterns that classify on the name alone.
/// System detectors add a <paramref name="Shape"/> (values of another shape are not tested at all) and, for formats too
/// weak to recognize alone (a bank account is any 6-17 digits), a <paramref name="ColumnHint"/>: the value test then only
/// applies to columns whose name matches it, as Purview's keywords do, and never to plain text (no column name there).
/// Several matchers may share a classification name (one format recognized alone, another only under a hint).
/// </summary>
public sealed record ClassificationMatcher(
    string ClassificationName,
    int MinimumPercentageMatch,
    Func<string, bool>? Matches,
    IReadOnlyList<Regex> ColumnPatterns,
    ShapeRule? Shape = null,
    Regex? ColumnHint = null)
{
    public bool Admits(in ValueShape shape) => Shape is null || Shape.Admits(shape);

    public bool HintMatches(string columnName) => ColumnHint is null || RegexSafety.IsMatch(ColumnHint, columnName);

    public bool NameMatches(string columnName)
    {
        foreach (var pattern in ColumnPatterns)
        {
            if (RegexSafety.IsMatch(pattern, columnName))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The result of classifying one sampled asset: its schema with the classifications of each column, and the asset's own.</summary>
public sealed record ClassifiedSample(IReadOnlyList<AssetColumn> Columns, IReadOnlyList<string> Classifications);

/// <summary>
/// Applies a set of matchers to sampled columns. A column gets a classification when its name matches one of the
/// classification's column patterns, or when at least <see cref="ClassificationMatcher.MinimumPercentageMatch"/>% of its
/// sampled non-empty values pass the value test (under its column hint, if it has one). Unstructured samples (plain text)
/// have no columns: a classification applies to the asset when any token of the sample passes a matcher without a hint.
/// Pure and thread-safe.
/// </summary>
public sealed class ColumnClassifier(IReadOnlyList<ClassificationMatcher> matchers)
{
    /// <summary>Values longer than this are not tested (no classification we know is that long; it bounds regex work).</summary>
    public const int MaxValueLength = 4096;

    public IReadOnlyList<ClassificationMatcher> Matchers { get; } = matchers;

    public ClassifiedSample Classify(AssetSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var columns = new List<AssetColumn>(sample.Columns.Count);
        var assetClassifications = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var column in sample.Columns)
        {
            if (string.Equals(column.DataType, SampleDataTypes.Unstructured, StringComparison.Ordinal))
            {
                foreach (var found in ClassifyText(column.Values))
                {
                    assetClassifications.Add(found);
                }

                continue;
            }

            var found2 = ClassifyColumn(column);
            assetClassifications.UnionWith(found2);
            columns.Add(new AssetColumn(column.Name, column.DataType, found2));
        }

        return new ClassifiedSample(columns, assetClassifications.ToList());
    }

    public IReadOnlyList<string> ClassifyColumn(SampledColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var values = new List<string>(column.Values.Count);
        foreach (var value in column.Values)
        {
            if (value is not null && value.AsSpan().Trim() is { Length: > 0 and <= MaxValueLength } trimmed)
            {
                values.Add(trimmed.Length == value.Length ? value : trimmed.ToString());
            }
        }

        // One pass per value, shared by every matcher; with the column's extremes most matchers turn it down in O(1).
        var shapes = new ValueShape[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            shapes[i] = ValueShape.Of(values[i]);
        }

        var summary = ColumnShape.Of(shapes);
        var result = new List<string>();
        foreach (var matcher in Matchers)
        {
            if (result.Contains(matcher.ClassificationName))
            {
                continue;
            }

            if (matcher.NameMatches(column.Name) || MeetsThreshold(matcher, column.Name, values, shapes, summary))
            {
                result.Add(matcher.ClassificationName);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private static bool MeetsThreshold(ClassificationMatcher matcher, string columnName, List<string> values, ValueShape[] shapes, in ColumnShape summary)
    {
        if (matcher.Matches is null || values.Count == 0)
        {
            return false;
        }

        // matched / values >= minimum%: stop as soon as the outcome is decided either way.
        var needed = (int)Math.Ceiling(values.Count * matcher.MinimumPercentageMatch / 100.0);
        needed = Math.Max(needed, 1);
        var candidates = values.Count;
        if (matcher.Shape is not null)
        {
            if (!matcher.Shape.MayAdmitSome(summary))
            {
                return false;
            }

            candidates = 0;
            foreach (ref readonly var shape in shapes.AsSpan())
            {
                if (matcher.Shape.Admits(shape))
                {
                    candidates++;
                }
            }

            if (candidates < needed)
            {
                return false;
            }
        }

        // The hint (a regex on the column name) only once the values could qualify.
        if (!matcher.HintMatches(columnName))
        {
            return false;
        }

        var matched = 0;
        for (var i = 0; i < values.Count && candidates >= needed - matched; i++)
        {
            if (!matcher.Admits(shapes[i]))
            {
                continue;
            }

            candidates--;
            if (matcher.Matches(values[i]) && ++matched >= needed)
            {
                return true;
            }
        }

        return false;
    }

    private SortedSet<string> ClassifyText(IReadOnlyList<string?> lines)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line is null)
            {
                continue;
            }

            foreach (var token in Tokens(line))
            {
                var shape = ValueShape.Of(token);
                foreach (var matcher in Matchers)
                {
                    if (matcher.Matches is not null && matcher.ColumnHint is null && matcher.Admits(shape) && !found.Contains(matcher.ClassificationName) && matcher.Matches(token))
                    {
                        found.Add(matcher.ClassificationName);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Whitespace- and punctuation-separated tokens of a line of text (card numbers with spaces are not seen whole: a known limit).</summary>
    private static IEnumerable<string> Tokens(string line)
    {
        var start = -1;
        for (var i = 0; i <= line.Length; i++)
        {
            var separator = i == line.Length || char.IsWhiteSpace(line[i]) || line[i] is ',' or ';' or '"' or '\'' or '<' or '>' or '(' or ')' or '[' or ']';
            if (separator)
            {
                if (start >= 0 && i - start <= MaxValueLength)
                {
                    yield return line[start..i].TrimEnd('.', ':');
                }

                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
    }
}

/// <summary>Data types sampled columns may carry beyond the source's own type names.</summary>
public static class SampleDataTypes
{
    /// <summary>A plain-text sample: its one column holds lines, not values of a field.</summary>
    public const string Unstructured = "unstructured";
}

/// <summary>Regexes from users run with a match timeout; a timeout counts as no match (a slow pattern cannot stall a scan).</summary>
public static class RegexSafety
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(50);

    public const int MaxPatternLength = 1000;

    /// <summary>Compiles a user pattern (column-name patterns ignore case): linear-time (non-backtracking) when the pattern allows it, else with the match timeout.</summary>
    public static Regex Compile(string pattern, bool ignoreCase = false)
    {
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking, MatchTimeout);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, options, MatchTimeout);
        }
    }

    /// <summary>Null when the pattern compiles, else why not.</summary>
    public static string? Validate(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > MaxPatternLength)
        {
            return $"a regular expression of 1-{MaxPatternLength} characters is required";
        }

        try
        {
            _ = Compile(pattern);
            return null;
        }
        catch (ArgumentException ex)
        {
            return "not a valid regular expression: " + ex.Message;
        }
    }

    public static bool IsMatch(Regex regex, string input)
    {
        ArgumentNullException.ThrowIfNull(regex);
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
