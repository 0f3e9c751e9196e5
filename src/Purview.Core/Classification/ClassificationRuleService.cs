using System.Text.RegularExpressions;
using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Registry;

namespace Purview.Core.Classification;

/// <summary>A classification rule as a client sends it (Purview shape, flattened); validated by <see cref="ClassificationRuleService"/>.</summary>
public sealed record ClassificationRuleInput(
    string? Kind,
    string? ClassificationName,
    string? Description,
    string? RuleStatus,
    int? MinimumPercentageMatch,
    IReadOnlyList<PatternInput>? DataPatterns,
    IReadOnlyList<PatternInput>? ColumnPatterns);

public sealed record PatternInput(string? Kind, string? Pattern);

public sealed record ScanRulesetInput(
    string? Kind,
    string? ScanRulesetType,
    string? Description,
    IReadOnlyList<string>? ExcludedSystemClassifications,
    IReadOnlyList<string>? IncludedCustomClassificationRuleNames,
    IReadOnlyList<string>? FileExtensions,
    IReadOnlyList<CustomFileExtension>? CustomFileExtensions);

/// <summary>
/// Classification rules and scan rule sets are account-level, like credentials: any Data source admin reads them (a scan
/// names its rule set); only a Data source admin of the root collection changes them. Everything is validated before
/// anything is written (user regexes are compiled with a match timeout, see <see cref="RegexSafety"/>); every change
/// is audited; a rule included by a rule set, or a rule set used by a scan, cannot be deleted (409).
/// </summary>
public sealed partial class ClassificationRuleService(IClassificationRuleStore store, IScanRegistryStore registry, AccessService access, TimeProvider time)
{
    public const int MaxPatterns = 20;
    public const int MaxDescription = 1024;
    public const int MaxListItems = 500;

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\z", RegexOptions.CultureInvariant)]
    private static partial Regex RuleNamePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.]{0,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClassificationNamePattern();

    [GeneratedRegex(@"\A\.?[A-Za-z0-9]{1,20}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionPattern();

    // ---- Classification rules ----

    public Task<IReadOnlyList<ClassificationRule>> ListRulesAsync(CancellationToken cancellationToken) => store.ListRulesAsync(cancellationToken);

    public async Task<Result<ClassificationRule>> GetRuleAsync(string name, CancellationToken cancellationToken) =>
        ValidateName(name, "classificationRuleName") is { } invalid ? invalid
        : await store.GetRuleAsync(name, cancellationToken) is { } rule ? rule
        : Error.NotFound($"Classification rule '{name}' was not found.");

    public async Task<Result<(ClassificationRule Rule, bool Created)>> PutRuleAsync(Principal caller, string name, ClassificationRuleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ValidateName(name, "classificationRuleName") is { } invalidName)
        {
            return invalidName;
        }

        var errors = new List<ValidationError>();
        if (!string.Equals(input.Kind, "Custom", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new ValidationError("kind", $"'{input.Kind}' cannot be written: only Custom classification rules can be created (System rules are built in)."));
        }

        if (input.ClassificationName is null || !ClassificationNamePattern().IsMatch(input.ClassificationName))
        {
            errors.Add(new ValidationError("properties.classificationName", "properties.classificationName is required: 1-256 letters, digits, '_' and '.', e.g. CONTOSO.HR.EMPLOYEE_ID."));
        }

        var enabled = true;
        if (input.RuleStatus is not null)
        {
            if (string.Equals(input.RuleStatus, "Enabled", StringComparison.OrdinalIgnoreCase) || string.Equals(input.RuleStatus, "Disabled", StringComparison.OrdinalIgnoreCase))
            {
                enabled = string.Equals(input.RuleStatus, "Enabled", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                errors.Add(new ValidationError("properties.ruleStatus", $"'{input.RuleStatus}' is not a rule status: use Enabled or Disabled."));
            }
        }

        var minimum = input.MinimumPercentageMatch ?? ClassificationRule.DefaultMinimumPercentageMatch;
        if (minimum is < 1 or > 100)
        {
            errors.Add(new ValidationError("properties.minimumPercentageMatch", "properties.minimumPercentageMatch is a percentage between 1 and 100."));
        }

        if (input.Description is { Length: > MaxDescription })
        {
            errors.Add(new ValidationError("properties.description", $"properties.description is at most {MaxDescription} characters."));
        }

        var data = ValidatePatterns(input.DataPatterns, "properties.dataPatterns", errors);
        var columns = ValidatePatterns(input.ColumnPatterns, "properties.columnPatterns", errors);
        if (errors.Count == 0 && data.Count == 0 && columns.Count == 0)
        {
            errors.Add(new ValidationError("properties.dataPatterns", "A rule needs at least one of properties.dataPatterns and properties.columnPatterns."));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (await DenyUnlessRootAdminAsync(caller, "classification rules", cancellationToken) is { } denied)
        {
            return denied;
        }

        var existing = await store.GetRuleAsync(name, cancellationToken);
        var version = RecordVersion.Next(existing, name, time.GetUtcNow());
        var rule = new ClassificationRule(version.Name, input.ClassificationName!, input.Description, enabled, minimum, data, columns, version.Version, version.CreatedAt, version.LastModifiedAt);
        return await SaveAsync(caller, rule, existing is null, store.PutRuleAsync, "classificationrule.put", $"{rule.ClassificationName} v{rule.Version}", cancellationToken);
    }

    public async Task<Result<ClassificationRule>> DeleteRuleAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var found = await FindForChangeAsync(caller, GetRuleAsync(name, cancellationToken), "classification rules", cancellationToken);
        if (found.Value is not { } rule)
        {
            return found;
        }

        var users = (await store.ListRulesetsAsync(cancellationToken))
            .Where(r => r.IncludedCustomClassificationRuleNames.Contains(rule.Name, StringComparer.OrdinalIgnoreCase)).Select(r => r.Name).ToList();
        if (users.Count > 0)
        {
            return Error.Conflict("ClassificationRuleInUse", $"Classification rule '{rule.Name}' is included by scan rule set(s) {string.Join(", ", users.Take(5))}: remove it from them first.");
        }

        await store.DeleteRuleAsync(rule.Name, cancellationToken);
        await access.AuditAsync(caller, "classificationrule.delete", rule.Name, null, null, cancellationToken);
        return rule;
    }

    // ---- Scan rule sets ----

    public Task<IReadOnlyList<ScanRuleset>> ListRulesetsAsync(CancellationToken cancellationToken) => store.ListRulesetsAsync(cancellationToken);

    public async Task<Result<ScanRuleset>> GetRulesetAsync(string name, CancellationToken cancellationToken) =>
        ValidateName(name, "scanRulesetName") is { } invalid ? invalid
        : await store.GetRulesetAsync(name, cancellationToken) is { } ruleset ? ruleset
        : Error.NotFound($"Scan rule set '{name}' was not found.");

    public static IReadOnlyList<ScanRuleset> SystemRulesets { get; } = DataSourceKinds.All.Select(ScanRuleset.System).ToList();

    public static Result<ScanRuleset> GetSystemRuleset(string dataSourceType) =>
        DataSourceKinds.Normalize(dataSourceType) is { } kind ? ScanRuleset.System(kind) : Error.NotFound($"There is no system scan rule set for data sources of type '{dataSourceType}'.");

    public async Task<Result<(ScanRuleset Ruleset, bool Created)>> PutRulesetAsync(Principal caller, string name, ScanRulesetInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ValidateName(name, "scanRulesetName") is { } invalidName)
        {
            return invalidName;
        }

        var errors = new List<ValidationError>();
        var kind = DataSourceKinds.Normalize(input.Kind);
        if (kind is null)
        {
            errors.Add(new ValidationError("kind", $"'{input.Kind}' is not a data source kind: use one of {string.Join(", ", DataSourceKinds.All)}."));
        }

        if (input.ScanRulesetType is not null && !string.Equals(input.ScanRulesetType, ScanRuleset.CustomType, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new ValidationError("scanRulesetType", "Only Custom scan rule sets can be written (System ones are built in)."));
        }

        if (input.Description is { Length: > MaxDescription })
        {
            errors.Add(new ValidationError("properties.description", $"properties.description is at most {MaxDescription} characters."));
        }

        var excluded = ValidateList(input.ExcludedSystemClassifications, "properties.excludedSystemClassifications", errors,
            SystemClassificationNames.Canonical, $"is not a system classification name Microsoft Purview publishes ({SystemClassificationNames.All.Count} are known, e.g. {SystemClassifications.CreditCardNumber}; case and '.'/'_' do not matter)");
        var rules = await store.ListRulesAsync(cancellationToken);
        var included = ValidateList(input.IncludedCustomClassificationRuleNames, "properties.includedCustomClassificationRuleNames", errors,
            v => rules.FirstOrDefault(r => string.Equals(r.Name, v, StringComparison.OrdinalIgnoreCase))?.Name, "is not a classification rule");
        var extensions = ValidateList(input.FileExtensions, "properties.scanningRule.fileExtensions", errors,
            v => ScanRuleset.KnownFileExtensions.FirstOrDefault(e => string.Equals(e, v, StringComparison.OrdinalIgnoreCase)), "is not a file type: use e.g. CSV, TSV, JSON, TXT");
        var customs = ValidateCustomExtensions(input.CustomFileExtensions, errors);
        if (kind is not null && !DataSourceKinds.HasUrlEndpoint(kind) && (extensions.Count > 0 || customs.Count > 0))
        {
            errors.Add(new ValidationError("properties.scanningRule", $"A {kind} rule set reads tables, not files: leave properties.scanningRule out."));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (await DenyUnlessRootAdminAsync(caller, "scan rule sets", cancellationToken) is { } denied)
        {
            return denied;
        }

        var existing = await store.GetRulesetAsync(name, cancellationToken);
        if (existing is not null && !string.Equals(existing.Kind, kind, StringComparison.Ordinal))
        {
            var users = await ScansUsingAsync(existing.Name, cancellationToken);
            if (users.Count > 0)
            {
                return Error.Validation("kind", $"Scan rule set '{existing.Name}' is of kind {existing.Kind} and used by {users.Count} scan(s): its kind cannot change.");
            }
        }

        var version = RecordVersion.Next(existing, name, time.GetUtcNow());
        var ruleset = new ScanRuleset(version.Name, kind!, false, input.Description, excluded, included,
            extensions.Count == 0 && customs.Count == 0 && DataSourceKinds.HasUrlEndpoint(kind!) && input.FileExtensions is null ? ScanRuleset.SystemFileExtensions : extensions,
            customs, version.Version, version.CreatedAt, version.LastModifiedAt);
        return await SaveAsync(caller, ruleset, existing is null, store.PutRulesetAsync, "scanruleset.put", $"{ruleset.Kind} v{ruleset.Version}", cancellationToken);
    }

    public async Task<Result<ScanRuleset>> DeleteRulesetAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var found = await FindForChangeAsync(caller, GetRulesetAsync(name, cancellationToken), "scan rule sets", cancellationToken);
        if (found.Value is not { } ruleset)
        {
            return found;
        }

        var users = await ScansUsingAsync(ruleset.Name, cancellationToken);
        if (users.Count > 0)
        {
            return Error.Conflict("ScanRulesetInUse", $"Scan rule set '{ruleset.Name}' is used by {users.Count} scan(s) ({string.Join(", ", users.Take(5))}): change them first.");
        }

        await store.DeleteRulesetAsync(ruleset.Name, cancellationToken);
        await access.AuditAsync(caller, "scanruleset.delete", ruleset.Name, null, null, cancellationToken);
        return ruleset;
    }

    /// <summary>
    /// The rule set a scan names: its data source kind's system set, or a stored custom one of the same kind. Used when a
    /// scan is written (a 400 names <paramref name="field"/>) and when a run starts scanning.
    /// </summary>
    public static async Task<Result<ScanRuleset>> ResolveAsync(IClassificationRuleStore store, string dataSourceKind, string? rulesetName, string? rulesetType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var type = rulesetType ?? ScanRuleset.SystemType;
        if (string.Equals(type, ScanRuleset.SystemType, StringComparison.OrdinalIgnoreCase))
        {
            return rulesetName is null || string.Equals(rulesetName, dataSourceKind, StringComparison.OrdinalIgnoreCase)
                ? ScanRuleset.System(dataSourceKind)
                : Error.Validation("properties.scanRulesetName", $"The System scan rule set of a {dataSourceKind} data source is '{dataSourceKind}'.");
        }

        if (!string.Equals(type, ScanRuleset.CustomType, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("properties.scanRulesetType", $"'{type}' is not a scan rule set type: use System or Custom.");
        }

        var ruleset = string.IsNullOrEmpty(rulesetName) ? null : await store.GetRulesetAsync(rulesetName, cancellationToken);
        if (ruleset is null)
        {
            return Error.Validation("properties.scanRulesetName", $"The custom scan rule set '{rulesetName}' does not exist.");
        }

        return string.Equals(ruleset.Kind, dataSourceKind, StringComparison.OrdinalIgnoreCase)
            ? ruleset
            : Error.Validation("properties.scanRulesetName", $"The scan rule set '{ruleset.Name}' is for {ruleset.Kind} data sources, not {dataSourceKind}.");
    }

    // ---- Helpers ----

    private async Task<List<string>> ScansUsingAsync(string rulesetName, CancellationToken cancellationToken) =>
        (await registry.ListAllScansAsync(cancellationToken))
            .Where(s => string.Equals(s.ScanRulesetType, ScanRuleset.CustomType, StringComparison.OrdinalIgnoreCase) && string.Equals(s.ScanRulesetName, rulesetName, StringComparison.OrdinalIgnoreCase))
            .Select(s => s.DataSourceName + "/" + s.Name)
            .ToList();

    /// <summary>The end of every put: the record at its new version stored, the change audited, the record answered with whether the put created it.</summary>
    private async Task<(T Saved, bool Created)> SaveAsync<T>(
        Principal caller, T record, bool created, Func<T, CancellationToken, Task> put, string action, string details, CancellationToken cancellationToken)
        where T : IVersionedRecord
    {
        await put(record, cancellationToken);
        await access.AuditAsync(caller, action, record.Name, null, details, cancellationToken);
        return (record, created);
    }

    private async Task<Error?> DenyUnlessRootAdminAsync(Principal caller, string what, CancellationToken cancellationToken)
    {
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        return RegistryAccess.RootAdminRequired(snapshot, caller, $"The {what} are account-level: changing them");
    }

    /// <summary>The stored record a change is about to replace or delete: its lookup's 400 or 404 first, then 403 unless the caller is a root Data source admin.</summary>
    private async Task<Result<T>> FindForChangeAsync<T>(Principal caller, Task<Result<T>> lookup, string what, CancellationToken cancellationToken)
    {
        var found = await lookup;
        return found.IsSuccess && await DenyUnlessRootAdminAsync(caller, what, cancellationToken) is { } denied ? denied : found;
    }

    private static Error? ValidateName(string name, string field) =>
        name is not null && RuleNamePattern().IsMatch(name)
            ? null
            : Error.Validation(field, $"{field} must be 1-100 letters, digits, '_', '-' or '.', starting with a letter or digit.");

    private static List<string> ValidatePatterns(IReadOnlyList<PatternInput>? patterns, string field, List<ValidationError> errors) =>
        ValidateItems(patterns, field, MaxPatterns, "patterns", errors, (p, at) =>
        {
            if (p is null || !string.Equals(p.Kind ?? "Regex", "Regex", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new ValidationError($"{at}.kind", $"{at}.kind must be Regex."));
                return null;
            }

            if (RegexSafety.Validate(p.Pattern) is { } why)
            {
                errors.Add(new ValidationError($"{at}.pattern", $"{at}.pattern: {why}."));
                return null;
            }

            return p.Pattern;
        });

    private static List<string> ValidateList(IReadOnlyList<string>? values, string field, List<ValidationError> errors, Func<string, string?> canonical, string problem) =>
        ValidateItems(values, field, MaxListItems, "items", errors, (v, at) =>
        {
            var value = v is null ? null : canonical(v);
            if (value is null)
            {
                errors.Add(new ValidationError(at, $"{at} '{v}' {problem}."));
            }

            return value;
        }).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static List<CustomFileExtension> ValidateCustomExtensions(IReadOnlyList<CustomFileExtension>? customs, List<ValidationError> errors)
    {
        string[] builtIn = ["CSV", "TSV", "PSV", "SSV", "JSON", "TXT"];
        return ValidateItems(customs, "properties.scanningRule.customFileExtensions", 50, "extensions", errors, (c, target) =>
        {
            ValidationError? error =
                c is null || c.FileExtension is null || !ExtensionPattern().IsMatch(c.FileExtension)
                    ? new(target + ".fileExtension", $"{target}.fileExtension is a file extension such as '.model' (1-20 letters or digits).")
                : (c.BuiltInType is null) == (c.CustomDelimiter is null)
                    ? new(target + ".customFileType", $"{target}.customFileType names either a builtInType or a customDelimiter.")
                : c.BuiltInType is not null && !builtIn.Contains(c.BuiltInType, StringComparer.OrdinalIgnoreCase)
                    ? new(target + ".customFileType.builtInType", $"{target}.customFileType.builtInType is one of {string.Join(", ", builtIn)}.")
                : c.CustomDelimiter is not null && (c.CustomDelimiter.Length != 1 || char.IsControl(c.CustomDelimiter[0]) && c.CustomDelimiter[0] != '\t' || c.CustomDelimiter[0] is '"' or '\n' or '\r')
                    ? new(target + ".customFileType.customDelimiter", $"{target}.customFileType.customDelimiter is one character (not a quote or line break).")
                : c.Description is { Length: > MaxDescription }
                    ? new(target + ".description", $"{target}.description is at most {MaxDescription} characters.")
                : null;
            if (error is not null)
            {
                errors.Add(error);
                return null;
            }

            return c! with { BuiltInType = c.BuiltInType?.ToUpperInvariant() };
        });
    }

    /// <summary>
    /// The accepted items of an optional list field: none when it is absent or holds more than <paramref name="max"/>
    /// (one error naming the limit); else each item's <paramref name="check"/> (given the item's path, e.g.
    /// <c>field[2]</c>): its accepted value, or null once it has added the item's error.
    /// </summary>
    private static List<T> ValidateItems<TInput, T>(IReadOnlyList<TInput>? inputs, string field, int max, string noun, List<ValidationError> errors, Func<TInput, string, T?> check)
        where T : class
    {
        if (inputs is null)
        {
            return [];
        }

        if (inputs.Count > max)
        {
            errors.Add(new ValidationError(field, $"{field} holds at most {max} {noun}."));
            return [];
        }

        var list = new List<T>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (check(inputs[i], $"{field}[{i}]") is { } value)
            {
                list.Add(value);
            }
        }

        return list;
    }
}
