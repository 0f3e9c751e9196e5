using System.Text.RegularExpressions;

namespace Purview.Core.Common;

/// <summary>Name rules of the Purview Scanning API (dataSourceName, scanName, runId).</summary>
public static partial class Names
{
    public const int MinResourceNameLength = 3;
    public const int MaxResourceNameLength = 63;

    // The spec writes the pattern with ^...$; .NET's $ also matches before a trailing newline,
    // so \A...\z keeps "abc\n" out of URLs and table keys.
    [GeneratedRegex(@"\A[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceNamePattern();

    public static bool IsValidDataSourceName(string? value) => IsValidResourceName(value);

    public static bool IsValidScanName(string? value) => IsValidResourceName(value);

    public static ValidationError? ValidateDataSourceName(string? value) =>
        ValidateResourceName(value, "dataSourceName");

    public static ValidationError? ValidateScanName(string? value) =>
        ValidateResourceName(value, "scanName");

    /// <summary>
    /// Accepts only the canonical 36-character form (8-4-4-4-12): one spelling per run keeps URLs and
    /// storage keys unambiguous. The all-zero GUID is refused: a client choosing it has forgotten to choose.
    /// </summary>
    public static bool TryParseRunId(string? value, out Guid runId)
    {
        // TryParseExact trims surrounding whitespace; the length check keeps " <guid>" out.
        if (value is { Length: 36 } && Guid.TryParseExact(value, "D", out runId) && runId != Guid.Empty)
        {
            return true;
        }

        runId = Guid.Empty;
        return false;
    }

    public static ValidationError? ValidateRunId(string? value) =>
        TryParseRunId(value, out _)
            ? null
            : new ValidationError("runId", "runId must be a non-empty GUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.");

    private static bool IsValidResourceName(string? value) =>
        value is not null
        && value.Length is >= MinResourceNameLength and <= MaxResourceNameLength
        && ResourceNamePattern().IsMatch(value);

    private static ValidationError? ValidateResourceName(string? value, string field)
    {
        if (IsValidResourceName(value))
        {
            return null;
        }

        return new ValidationError(
            field,
            $"{field} must be {MinResourceNameLength}-{MaxResourceNameLength} characters of letters and digits, " +
            "optionally separated by single hyphens (no leading, trailing or doubled hyphen).");
    }
}
