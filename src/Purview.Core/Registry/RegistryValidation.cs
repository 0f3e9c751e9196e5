using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>Input rules every registry resource shares.</summary>
public static class RegistryValidation
{
    public const int MaxSpecFieldsCharacters = 16 * 1024;

    /// <summary>Pass-through fields are stored as one table property: bounded so the entity stays well under its limit.</summary>
    public static Error? ValidateSpecFields(string? json, string field) =>
        json is { Length: > MaxSpecFieldsCharacters }
            ? Error.Validation(field, $"The descriptive fields under {field} add up to more than {MaxSpecFieldsCharacters:N0} characters.")
            : null;

    /// <summary>Credentials and integration runtimes are named as data sources are.</summary>
    public static Error? ValidateAccountLevelName(string name, string field) =>
        Names.IsValidDataSourceName(name)
            ? null
            : Error.Validation(field, $"{field} must be {Names.MinResourceNameLength}-{Names.MaxResourceNameLength} characters of letters and digits, optionally separated by single hyphens (no leading, trailing or doubled hyphen).");
}
