using System.Globalization;
using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.ScanRuns;

namespace Purview.Core.Registry;

/// <summary>A scan's recurrence (Data source admin on its data source's collection); schedules are computed in UTC.</summary>
public sealed class ScanTriggerService(IScanRegistryStore store, RegistryAccess guard, AccessService access, TimeProvider time)
{
    public const int MaxTriggerInterval = 1000;

    /// <summary>The spellings of UTC a trigger's recurrence.timeZone may carry (Windows and IANA ids).</summary>
    public static IReadOnlyList<string> UtcTimeZoneNames { get; } = ["UTC", "Etc/UTC", "Coordinated Universal Time"];

    public async Task<Result<ScanTriggerDefinition>> GetTriggerAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await guard.FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var trigger = await store.GetTriggerAsync(dataSource!.Name, scan!.Name, cancellationToken);
        return trigger is null ? Error.NotFound($"Scan '{dataSource.Name}/{scan.Name}' has no trigger.") : trigger;
    }

    public async Task<Result<(ScanTriggerDefinition Trigger, bool Created)>> PutTriggerAsync(
        Principal caller, string dataSourceName, string scanName, TriggerInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (dataSource, scan, error) = await guard.FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var frequency = TriggerFrequencies.Normalize(input.Frequency);
        if (frequency is null)
        {
            return Error.Validation("properties.recurrence.frequency", $"'{input.Frequency}' is not a frequency: use one of {string.Join(", ", TriggerFrequencies.All)}.");
        }

        if (input.Interval is < 1 or > MaxTriggerInterval)
        {
            return Error.Validation("properties.recurrence.interval", $"properties.recurrence.interval is between 1 and {MaxTriggerInterval}.");
        }

        if (!TryParseUtc(input.StartTime, out var start))
        {
            return Error.Validation("properties.recurrence.startTime", "properties.recurrence.startTime is required: an ISO 8601 date-time in UTC, e.g. 2026-11-01T00:00:00Z.");
        }

        DateTimeOffset? end = null;
        if (input.EndTime is not null)
        {
            if (!TryParseUtc(input.EndTime, out var parsedEnd) || parsedEnd <= start)
            {
                return Error.Validation("properties.recurrence.endTime", "properties.recurrence.endTime is an ISO 8601 date-time in UTC after startTime, or null.");
            }

            end = parsedEnd;
        }

        var timeZone = input.TimeZone ?? "UTC";
        if (!UtcTimeZoneNames.Contains(timeZone, StringComparer.OrdinalIgnoreCase))
        {
            return Error.Validation("properties.recurrence.timeZone", $"Only the UTC time zone is supported (schedules are computed in UTC): use one of {string.Join(", ", UtcTimeZoneNames)}.");
        }

        var enabled = input.State switch
        {
            null => true,
            _ when string.Equals(input.State, "Enabled", StringComparison.OrdinalIgnoreCase) => true,
            _ when string.Equals(input.State, "Disabled", StringComparison.OrdinalIgnoreCase) => false,
            _ => (bool?)null,
        };
        if (enabled is null)
        {
            return Error.Validation("properties.state", $"'{input.State}' is not a trigger state: use Enabled or Disabled.");
        }

        if (RegistryValidation.ValidateSpecFields(input.SpecFields, "properties") is { } specError)
        {
            return specError;
        }

        var level = input.ScanLevel switch
        {
            null => ScanLevel.Full,
            _ when string.Equals(input.ScanLevel, nameof(ScanLevel.Full), StringComparison.OrdinalIgnoreCase) => ScanLevel.Full,
            _ when string.Equals(input.ScanLevel, nameof(ScanLevel.Incremental), StringComparison.OrdinalIgnoreCase) => ScanLevel.Incremental,
            _ => (ScanLevel?)null,
        };
        if (level is null)
        {
            return Error.Validation("properties.scanLevel", $"'{input.ScanLevel}' is not a scan level: use Full or Incremental.");
        }

        var existing = await store.GetTriggerAsync(dataSource!.Name, scan!.Name, cancellationToken);
        var now = time.GetUtcNow();
        var trigger = new ScanTriggerDefinition(dataSource.Name, scan.Name, frequency, input.Interval, start, end, level.Value, existing?.CreatedAt ?? now, now,
            timeZone, enabled.Value, input.SpecFields);
        await store.PutTriggerAsync(trigger, cancellationToken);
        await access.AuditAsync(caller, "trigger.put", $"{dataSource.Name}/{scan.Name}", dataSource.CollectionName, $"every {input.Interval} {frequency} from {start:O} {level}{(enabled.Value ? string.Empty : " disabled")}", cancellationToken);
        return (trigger, existing is null);
    }

    public async Task<Result<ScanTriggerDefinition>> DeleteTriggerAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var found = await GetTriggerAsync(caller, dataSourceName, scanName, cancellationToken);
        if (!found.IsSuccess)
        {
            return found;
        }

        var trigger = found.Value!;
        await store.DeleteTriggerAsync(trigger.DataSourceName, trigger.ScanName, cancellationToken);
        var dataSource = await store.GetDataSourceAsync(trigger.DataSourceName, cancellationToken);
        await access.AuditAsync(caller, "trigger.delete", $"{trigger.DataSourceName}/{trigger.ScanName}", dataSource?.CollectionName, null, cancellationToken);
        return trigger;
    }

    private static bool TryParseUtc(string? text, out DateTimeOffset value)
    {
        value = default;
        return !string.IsNullOrEmpty(text) &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value) &&
               value.Year is >= 2000 and <= 2200;
    }
}
