using Purview.Core.Common;

namespace Purview.Core.ScanRuns;

/// <summary>What a new run is a run of: copied from the data source and scan at creation.</summary>
public sealed record ScanRunDefinition(
    string DataSourceName,
    string ScanName,
    string CollectionName,
    string SourceKind,
    string IntegrationRuntimeName,
    ScanLevel Level,
    ScanTrigger Trigger,
    string? ScanRulesetName = null,
    ScanRulesetType? ScanRulesetType = null)
{
    public IReadOnlyList<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        AddIfNotNull(errors, Names.ValidateDataSourceName(DataSourceName));
        AddIfNotNull(errors, Names.ValidateScanName(ScanName));
        RequireText(errors, CollectionName, "collectionName");
        RequireText(errors, SourceKind, "sourceKind");
        RequireText(errors, IntegrationRuntimeName, "integrationRuntimeName");
        if (!Enum.IsDefined(Level))
        {
            errors.Add(new ValidationError("scanLevel", "scanLevel must be Full or Incremental."));
        }

        if (!Enum.IsDefined(Trigger))
        {
            errors.Add(new ValidationError("runType", "runType must be Manual or Scheduled."));
        }

        return errors;
    }

    private static void AddIfNotNull(List<ValidationError> errors, ValidationError? error)
    {
        if (error is not null)
        {
            errors.Add(error);
        }
    }

    private static void RequireText(List<ValidationError> errors, string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new ValidationError(field, $"{field} is required."));
        }
    }
}

/// <summary>The kind of scan rule set a run applied, as the Scanning API names it.</summary>
public enum ScanRulesetType
{
    System,
    Custom,
}

/// <summary>A created run and its Created event, or why the definition was refused.</summary>
public sealed record CreateScanRunResult(ScanRun? Run, ScanRunEvent? Event, IReadOnlyList<ValidationError> Errors)
{
    public bool IsCreated => Run is not null;
}
