using System.Text.Json.Serialization;
using Purview.Core.Classification;

namespace Purview.Api.Classification;

// Requests: the Purview Scanning API shapes (2023-09-01). Read-only fields a client may echo back from a GET are
// accepted and ignored; any other unknown field is a 400.

public sealed record ClassificationRuleRequest(string? Kind = null, ClassificationRulePropertiesRequest? Properties = null, string? Name = null, string? Id = null);

public sealed record ClassificationRulePropertiesRequest(
    string? ClassificationName = null,
    string? Description = null,
    string? RuleStatus = null,
    int? MinimumPercentageMatch = null,
    IReadOnlyList<PatternRequest>? DataPatterns = null,
    IReadOnlyList<PatternRequest>? ColumnPatterns = null,
    int? Version = null,
    string? ClassificationAction = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null);

public sealed record PatternRequest(string? Kind = null, string? Pattern = null);

public sealed record ScanRulesetRequest(string? Kind = null, string? ScanRulesetType = null, ScanRulesetPropertiesRequest? Properties = null, string? Name = null, string? Id = null, int? Version = null, string? Status = null);

public sealed record ScanRulesetPropertiesRequest(
    string? Description = null,
    IReadOnlyList<string>? ExcludedSystemClassifications = null,
    IReadOnlyList<string>? IncludedCustomClassificationRuleNames = null,
    ScanningRuleRequest? ScanningRule = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null);

public sealed record ScanningRuleRequest(IReadOnlyList<string>? FileExtensions = null, IReadOnlyList<CustomFileExtensionRequest>? CustomFileExtensions = null);

public sealed record CustomFileExtensionRequest(CustomFileTypeRequest? CustomFileType = null, string? Description = null, bool Enabled = true, string? FileExtension = null);

public sealed record CustomFileTypeRequest(string? BuiltInType = null, string? CustomDelimiter = null);

// Responses.

public sealed record ClassificationRuleResponse(string Id, string Name, string Kind, ClassificationRulePropertiesResponse Properties)
{
    public static ClassificationRuleResponse From(ClassificationRule r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new($"classificationRules/{r.Name}", r.Name, "Custom", new ClassificationRulePropertiesResponse(
            r.ClassificationName, r.Description, r.Enabled ? "Enabled" : "Disabled", r.MinimumPercentageMatch,
            r.DataPatterns.Select(p => new PatternResponse("Regex", p)).ToList(), r.ColumnPatterns.Select(p => new PatternResponse("Regex", p)).ToList(),
            r.Version, "Keep", r.CreatedAt, r.LastModifiedAt));
    }
}

public sealed record ClassificationRulePropertiesResponse(
    string ClassificationName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    string RuleStatus,
    int MinimumPercentageMatch,
    IReadOnlyList<PatternResponse> DataPatterns,
    IReadOnlyList<PatternResponse> ColumnPatterns,
    int Version,
    string ClassificationAction,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt);

public sealed record PatternResponse(string Kind, string Pattern);

public sealed record ScanRulesetResponse(string Kind, string ScanRulesetType, string Id, string Name, int Version, string Status, ScanRulesetPropertiesResponse Properties)
{
    public static ScanRulesetResponse From(ScanRuleset r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Kind, r.IsSystem ? ScanRuleset.SystemType : ScanRuleset.CustomType, r.IsSystem ? $"systemscanrulesets/{r.Name}" : $"scanrulesets/{r.Name}", r.Name, r.Version, "Enabled",
            new ScanRulesetPropertiesResponse(r.Description, r.ExcludedSystemClassifications, r.IncludedCustomClassificationRuleNames,
                new ScanningRuleResponse(r.FileExtensions, r.CustomFileExtensions.Select(c => new CustomFileExtensionResponse(new CustomFileTypeResponse(c.BuiltInType, c.CustomDelimiter), c.Description, c.Enabled, c.FileExtension)).ToList()),
                r.IsSystem ? null : r.CreatedAt, r.IsSystem ? null : r.LastModifiedAt));
    }
}

public sealed record ScanRulesetPropertiesResponse(
    string? Description,
    IReadOnlyList<string> ExcludedSystemClassifications,
    IReadOnlyList<string> IncludedCustomClassificationRuleNames,
    ScanningRuleResponse ScanningRule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? LastModifiedAt);

public sealed record ScanningRuleResponse(IReadOnlyList<string> FileExtensions, IReadOnlyList<CustomFileExtensionResponse> CustomFileExtensions);

public sealed record CustomFileExtensionResponse(CustomFileTypeResponse CustomFileType, string? Description, bool Enabled, string FileExtension);

public sealed record CustomFileTypeResponse(string? BuiltInType, string? CustomDelimiter);
