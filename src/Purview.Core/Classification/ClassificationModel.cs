using Purview.Core.Registry;

namespace Purview.Core.Classification;

/// <summary>
/// A custom classification rule (Purview <c>ClassificationRule</c>, kind Custom): the classification it applies, regexes
/// on values and/or column names, and the share of sampled non-empty values that must match. <see cref="Version"/> grows
/// with every change.
/// </summary>
public sealed record ClassificationRule(
    string Name,
    string ClassificationName,
    string? Description,
    bool Enabled,
    int MinimumPercentageMatch,
    IReadOnlyList<string> DataPatterns,
    IReadOnlyList<string> ColumnPatterns,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt) : IVersionedRecord
{
    public const int DefaultMinimumPercentageMatch = 60;

    public ClassificationMatcher ToMatcher()
    {
        var data = DataPatterns.Select(p => RegexSafety.Compile(p)).ToList();
        Func<string, bool>? matches = data.Count == 0 ? null : value => data.Any(r => RegexSafety.IsMatch(r, value));
        return new ClassificationMatcher(ClassificationName, MinimumPercentageMatch, matches, ColumnPatterns.Select(p => RegexSafety.Compile(p, ignoreCase: true)).ToList());
    }
}

/// <summary>How a file type is read for schema and samples.</summary>
public enum SampleFormat
{
    Delimited,
    Json,
    JsonLines,
    Text,
}

/// <summary>A file extension the rule set maps to a reader: a built-in type, or delimited text with its own delimiter.</summary>
public sealed record CustomFileExtension(string FileExtension, string? BuiltInType, string? CustomDelimiter, bool Enabled, string? Description);

/// <summary>
/// A scan rule set (Purview <c>ScanRuleset</c>): for one data source kind, which system classifications are left out,
/// which custom rules are added, and which file types are read. System rule sets (one per kind, named after it) exist
/// without being stored; custom ones are stored.
/// </summary>
public sealed record ScanRuleset(
    string Name,
    string Kind,
    bool IsSystem,
    string? Description,
    IReadOnlyList<string> ExcludedSystemClassifications,
    IReadOnlyList<string> IncludedCustomClassificationRuleNames,
    IReadOnlyList<string> FileExtensions,
    IReadOnlyList<CustomFileExtension> CustomFileExtensions,
    int Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt) : IVersionedRecord
{
    public const string SystemType = "System";
    public const string CustomType = "Custom";

    /// <summary>The file types a system rule set of a file source reads (Purview's list; the ones we cannot parse are discovered without schema).</summary>
    public static IReadOnlyList<string> SystemFileExtensions { get; } = ["CSV", "JSON", "PSV", "SSV", "TSV", "TXT", "XML", "PARQUET", "AVRO", "ORC"];

    /// <summary>The file types we know how to read (others may be named in a rule set: they are discovered, not sampled).</summary>
    public static IReadOnlyList<string> KnownFileExtensions { get; } =
    [
        "CSV", "JSON", "PSV", "SSV", "TSV", "TXT", "XML", "PARQUET", "AVRO", "ORC", "JSONL", "NDJSON", "LOG",
        "Documents", "GZ", "DOC", "DOCM", "DOCX", "DOT", "ODP", "ODS", "ODT", "PDF", "POT", "PPS", "PPSX", "PPT", "PPTM", "PPTX", "XLC", "XLS", "XLSB", "XLSM", "XLSX", "XLT",
    ];

    public static ScanRuleset System(string kind) => new(
        kind,
        kind,
        IsSystem: true,
        $"The system scan rule set of {kind} data sources: every system classification{(DataSourceKinds.HasUrlEndpoint(kind) ? ", the usual file types" : string.Empty)}.",
        [],
        [],
        DataSourceKinds.HasUrlEndpoint(kind) ? SystemFileExtensions : [],
        [],
        1,
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch);

    /// <summary>What a file with this name is read as under this rule set, or null (not sampled: discovered without schema).</summary>
    public (SampleFormat Format, char Delimiter)? FormatOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var dot = fileName.LastIndexOf('.');
        var extension = dot < 0 ? string.Empty : fileName[(dot + 1)..];
        foreach (var custom in CustomFileExtensions)
        {
            if (custom.Enabled && string.Equals(custom.FileExtension.TrimStart('.'), extension, StringComparison.OrdinalIgnoreCase))
            {
                return custom.CustomDelimiter is { Length: 1 } d ? (SampleFormat.Delimited, d[0]) : BuiltIn(custom.BuiltInType ?? string.Empty);
            }
        }

        if (!FileExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            // JSON Lines files read with the JSON type; .log with TXT.
            var alias = extension.ToUpperInvariant() switch { "JSONL" or "NDJSON" => "JSON", "LOG" => "TXT", _ => null };
            if (alias is null || !FileExtensions.Contains(alias, StringComparer.OrdinalIgnoreCase))
            {
                return null;
            }

            return extension.Equals("LOG", StringComparison.OrdinalIgnoreCase) ? (SampleFormat.Text, '\0') : (SampleFormat.JsonLines, '\0');
        }

        return BuiltIn(extension);
    }

    private static (SampleFormat, char)? BuiltIn(string type) => type.ToUpperInvariant() switch
    {
        "CSV" => (SampleFormat.Delimited, ','),
        "TSV" => (SampleFormat.Delimited, '\t'),
        "PSV" => (SampleFormat.Delimited, '|'),
        "SSV" => (SampleFormat.Delimited, ';'),
        "JSON" => (SampleFormat.Json, '\0'),
        "TXT" => (SampleFormat.Text, '\0'),
        _ => null,
    };

    /// <summary>The matchers a scan under this rule set applies: system classifications not excluded, plus the included enabled custom rules.</summary>
    public ColumnClassifier Classifier(IReadOnlyList<ClassificationRule> customRules)
    {
        ArgumentNullException.ThrowIfNull(customRules);
        var matchers = SystemClassifications.All
            .Where(m => !ExcludedSystemClassifications.Contains(m.ClassificationName, StringComparer.OrdinalIgnoreCase))
            .ToList();
        foreach (var rule in customRules)
        {
            if (rule.Enabled && IncludedCustomClassificationRuleNames.Contains(rule.Name, StringComparer.OrdinalIgnoreCase))
            {
                matchers.Add(rule.ToMatcher());
            }
        }

        return new ColumnClassifier(matchers);
    }
}

/// <summary>Where classification rules and custom scan rule sets are stored (names compare case-insensitively).</summary>
public interface IClassificationRuleStore
{
    Task<IReadOnlyList<ClassificationRule>> ListRulesAsync(CancellationToken cancellationToken);

    Task<ClassificationRule?> GetRuleAsync(string name, CancellationToken cancellationToken);

    Task PutRuleAsync(ClassificationRule rule, CancellationToken cancellationToken);

    Task DeleteRuleAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ScanRuleset>> ListRulesetsAsync(CancellationToken cancellationToken);

    Task<ScanRuleset?> GetRulesetAsync(string name, CancellationToken cancellationToken);

    Task PutRulesetAsync(ScanRuleset ruleset, CancellationToken cancellationToken);

    Task DeleteRulesetAsync(string name, CancellationToken cancellationToken);
}
