using System.Globalization;
using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.ScanRuns;

namespace Purview.Core.Registry;

/// <summary>
/// The scan registry's use cases. Authorization:
/// <list type="bullet">
/// <item>data sources, their scans, filters and triggers: Data source admin on the data source's collection (moving a
/// source: on both collections). A caller who holds no role on that collection gets 404, one who holds another role 403;</item>
/// <item>credentials, integration runtimes and the account settings are account-level: any Data source admin reads them
/// (a scan must name them), only a Data source admin of the root collection changes them.</item>
/// </list>
/// Everything is validated before anything is written; every change is audited (never a secret).
/// </summary>
public sealed class RegistryService(IScanRegistryStore store, AccessService access, TimeProvider time, Classification.IClassificationRuleStore rulesets, Scanners.ScanTargetGuard targets)
{
    public const int MaxFilterPrefixes = 1000;
    public const int MaxPrefixLength = 2048;
    public const int MaxFilterCharacters = 400_000;
    public const int MaxTriggerInterval = 1000;

    // ---- Data sources ----

    public async Task<IReadOnlyList<DataSource>> ListDataSourcesAsync(Principal caller, CancellationToken cancellationToken)
    {
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var administered = snapshot.CollectionsWhere(caller, Role.DataSourceAdmin);
        return (await store.ListDataSourcesAsync(cancellationToken))
            .Where(d => administered.Contains(d.CollectionName))
            .OrderBy(d => d.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task<Result<DataSource>> GetDataSourceAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var (dataSource, error) = await FindDataSourceAsync(caller, name, cancellationToken);
        return error is null ? dataSource! : error;
    }

    public async Task<Result<(DataSource DataSource, bool Created)>> PutDataSourceAsync(Principal caller, string name, DataSourceInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Names.ValidateDataSourceName(name) is { } nameError)
        {
            return Error.Validation([nameError]);
        }

        var kind = DataSourceKinds.Normalize(input.Kind);
        if (kind is null)
        {
            return Error.Validation("kind", $"'{input.Kind}' is not a data source kind of the Scanning API: use one of {string.Join(", ", DataSourceKinds.All)}.");
        }

        if (ValidateSpecFields(input.SpecFields, "properties") is { } specError)
        {
            return specError;
        }

        var endpoint = NormalizeEndpoint(kind, input.Endpoint, out var endpointError);
        if (endpointError is not null)
        {
            return Error.Validation("properties.endpoint", endpointError);
        }

        if (string.IsNullOrEmpty(input.CollectionName))
        {
            return Error.Validation("properties.collection.referenceName", "properties.collection.referenceName is required: name the collection that holds the data source.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var collection = snapshot.Find(input.CollectionName);
        if (collection is null || !CanSee(snapshot, caller, collection.Name))
        {
            return Error.Validation("properties.collection.referenceName", $"The collection '{input.CollectionName}' does not exist.");
        }

        var existing = await store.GetDataSourceAsync(name, cancellationToken);
        if (existing is not null && Deny(snapshot, caller, existing.CollectionName, $"Data source '{name}'") is { } denied)
        {
            return denied;
        }

        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, collection.Name))
        {
            return Error.Forbidden($"Registering a data source in '{collection.Name}' needs the Data source admin role on it.");
        }

        if (existing is not null && !string.Equals(existing.Kind, kind, StringComparison.Ordinal))
        {
            return Error.Validation("kind", $"Data source '{existing.Name}' is of kind {existing.Kind}; the kind of a data source cannot change (delete it and register it again).");
        }

        if (await targets.CheckEndpointAsync(kind, endpoint!, cancellationToken) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var dataSource = existing is null
            ? new DataSource(name, kind, endpoint!, collection.Name, now, now, input.SpecFields)
            : existing with { Endpoint = endpoint!, CollectionName = collection.Name, LastModifiedAt = now, SpecFields = input.SpecFields };
        if (existing is not null && await ScansRefusedAtAsync(dataSource, cancellationToken) is { } scanRefused)
        {
            return scanRefused;
        }

        await store.PutDataSourceAsync(dataSource, cancellationToken);
        var moved = existing is not null && !string.Equals(existing.CollectionName, collection.Name, StringComparison.OrdinalIgnoreCase);
        await access.AuditAsync(caller, moved ? "datasource.move" : "datasource.put", dataSource.Name, collection.Name,
            moved ? $"from {existing!.CollectionName}" : $"{kind} {endpoint}", cancellationToken);
        return (dataSource, existing is null);
    }

    public async Task<Result<DataSource>> DeleteDataSourceAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var (dataSource, error) = await FindDataSourceAsync(caller, name, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var scans = await store.ListScansAsync(dataSource!.Name, cancellationToken);
        if (scans.Count > 0)
        {
            return Error.Conflict("DataSourceInUse", $"Data source '{dataSource.Name}' still has {scans.Count} scan(s) ({string.Join(", ", scans.Take(5).Select(s => s.Name))}): delete them first.");
        }

        await store.DeleteDataSourceAsync(dataSource.Name, cancellationToken);
        await access.AuditAsync(caller, "datasource.delete", dataSource.Name, dataSource.CollectionName, null, cancellationToken);
        return dataSource;
    }

    // ---- Scans ----

    public async Task<Result<IReadOnlyList<Scan>>> ListScansAsync(Principal caller, string dataSourceName, CancellationToken cancellationToken)
    {
        var (dataSource, error) = await FindDataSourceAsync(caller, dataSourceName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var scans = await store.ListScansAsync(dataSource!.Name, cancellationToken);
        return Result<IReadOnlyList<Scan>>.Success(scans.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList());
    }

    public async Task<Result<Scan>> GetScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (_, scan, error) = await FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        return error is null ? scan! : error;
    }

    public async Task<Result<(Scan Scan, bool Created)>> PutScanAsync(Principal caller, string dataSourceName, string scanName, ScanInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Names.ValidateScanName(scanName) is { } nameError)
        {
            return Error.Validation([nameError]);
        }

        var (dataSource, error) = await FindDataSourceAsync(caller, dataSourceName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var kinds = DataSourceKinds.ScanKindsOf(dataSource!.Kind);
        var kind = kinds.FirstOrDefault(k => string.Equals(k, input.Kind, StringComparison.OrdinalIgnoreCase));
        if (kind is null)
        {
            return Error.Validation("kind", kinds.Count == 0
                ? $"The Scanning API defines no scan kind for {dataSource.Kind} data sources."
                : $"'{input.Kind}' is not a scan kind of a {dataSource.Kind} data source: use one of {string.Join(", ", kinds)}.");
        }

        if (ValidateSpecFields(input.SpecFields, "properties") is { } specError)
        {
            return specError;
        }

        // System: the kind's own set; Custom: a stored rule set of the same kind (see ClassificationRuleService.ResolveAsync).
        var ruleset = await Classification.ClassificationRuleService.ResolveAsync(rulesets, dataSource.Kind, input.ScanRulesetName, input.ScanRulesetType, cancellationToken);
        if (!ruleset.IsSuccess)
        {
            return ruleset.Error!;
        }

        if (input.CollectionName is { } collectionName && !string.Equals(collectionName, dataSource.CollectionName, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("properties.collection.referenceName", $"A scan belongs to its data source's collection ('{dataSource.CollectionName}').");
        }

        string? credentialName = null;
        string? credentialType = null;
        if (kind.EndsWith("Msi", StringComparison.Ordinal))
        {
            if (input.HasCredential)
            {
                return Error.Validation("properties.credential", $"A {kind} scan uses the app's managed identity: remove properties.credential, or use the {dataSource.Kind}Credential kind.");
            }

            if (dataSource.Kind == DataSourceKinds.SqlDatabase && Scanners.SqlEndpoint.TryParse(dataSource.Endpoint, out var sql, out _) && sql!.Engine == Scanners.SqlEngine.PostgreSql)
            {
                return Error.Validation("kind", $"A PostgreSQL source signs in with a stored credential: use the {DataSourceKinds.SqlDatabase}Credential kind.");
            }
        }
        else if (DataSourceKinds.IsScanned(dataSource.Kind) || !string.IsNullOrEmpty(input.CredentialName))
        {
            if (string.IsNullOrEmpty(input.CredentialName))
            {
                return Error.Validation("properties.credential.referenceName", $"A {kind} scan needs properties.credential.referenceName naming a stored credential.");
            }

            var credential = await store.GetCredentialAsync(input.CredentialName, cancellationToken);
            if (credential is null)
            {
                return Error.Validation("properties.credential.referenceName", $"The credential '{input.CredentialName}' does not exist.");
            }

            if (input.CredentialType is { } declared && !string.Equals(declared, credential.Type.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                return Error.Validation("properties.credential.credentialType", $"The credential '{credential.Name}' is of type {credential.Type}, not '{declared}'.");
            }

            if (!DataSourceKinds.CredentialTypesOf(dataSource.Kind).Contains(credential.Type))
            {
                return Error.Validation("properties.credential.referenceName", $"A {dataSource.Kind} scan cannot use a {credential.Type} credential: use one of {string.Join(", ", DataSourceKinds.CredentialTypesOf(dataSource.Kind))}.");
            }

            credentialName = credential.Name;
            credentialType = credential.Type.ToString();
            if (targets.CheckScan(dataSource, credential) is { } notAllowed)
            {
                return notAllowed;
            }
        }

        var runtimeName = input.ConnectedVia ?? IntegrationRuntime.DefaultName;
        var runtime = await store.GetIntegrationRuntimeAsync(runtimeName, cancellationToken);
        if (runtime is null)
        {
            return Error.Validation("properties.connectedVia.referenceName", $"The integration runtime '{runtimeName}' does not exist.");
        }

        var existing = await store.GetScanAsync(dataSource.Name, scanName, cancellationToken);
        var now = time.GetUtcNow();
        var scan = new Scan(dataSource.Name, existing?.Name ?? scanName, kind, ruleset.Value!.Name, ruleset.Value.IsSystem ? "System" : "Custom", credentialName, runtime.Name,
            dataSource.CollectionName, existing?.CreatedAt ?? now, now, credentialType, input.SpecFields);
        await store.PutScanAsync(scan, cancellationToken);
        await access.AuditAsync(caller, "scan.put", $"{dataSource.Name}/{scan.Name}", dataSource.CollectionName, credentialName is null ? kind : $"{kind} credential={credentialName}", cancellationToken);
        return (scan, existing is null);
    }

    public async Task<Result<Scan>> DeleteScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        await store.DeleteScanAsync(dataSource!.Name, scan!.Name, cancellationToken);
        await access.AuditAsync(caller, "scan.delete", $"{dataSource.Name}/{scan.Name}", dataSource.CollectionName, null, cancellationToken);
        return scan;
    }

    // ---- Scope ----

    public async Task<Result<ScanFilter>> GetFilterAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        return error is null ? await store.GetFilterAsync(dataSource!.Name, scan!.Name, cancellationToken) : error;
    }

    public async Task<Result<ScanFilter>> PutFilterAsync(
        Principal caller, string dataSourceName, string scanName, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new List<ValidationError>();
        var includes = ValidatePrefixes(dataSource!, include ?? [], "properties.includeUriPrefixes", errors);
        var excludes = ValidatePrefixes(dataSource!, exclude ?? [], "properties.excludeUriPrefixes", errors);
        if (errors.Count == 0 && includes.Concat(excludes).Sum(p => p.Length) > MaxFilterCharacters)
        {
            errors.Add(new ValidationError("properties", $"The prefixes add up to more than {MaxFilterCharacters:N0} characters."));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var filter = new ScanFilter(includes, excludes);
        await store.PutFilterAsync(dataSource!.Name, scan!.Name, filter, cancellationToken);
        await access.AuditAsync(caller, "scan.filter.put", $"{dataSource.Name}/{scan.Name}", dataSource.CollectionName, $"include={includes.Count} exclude={excludes.Count}", cancellationToken);
        return filter;
    }

    // ---- Triggers ----

    public async Task<Result<ScanTriggerDefinition>> GetTriggerAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (dataSource, scan, error) = await FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
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
        var (dataSource, scan, error) = await FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
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

        if (ValidateSpecFields(input.SpecFields, "properties") is { } specError)
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

    // ---- Credentials ----

    public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken) => store.ListCredentialsAsync(cancellationToken);

    public async Task<Result<CredentialInfo>> GetCredentialAsync(string name, CancellationToken cancellationToken) =>
        Names.IsValidDataSourceName(name) && await store.GetCredentialAsync(name, cancellationToken) is { } credential ? credential : Error.NotFound($"Credential '{name}' was not found.");

    public async Task<Result<(CredentialInfo Credential, bool Created)>> PutCredentialAsync(Principal caller, string name, CredentialInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ValidateAccountLevelName(name, "credentialName") is { } nameError)
        {
            return nameError;
        }

        // kind (the spec's discriminator) and properties.type (this service's older field) name the same thing.
        var kindGiven = TryParseCredentialType(input.Kind, out var kindType);
        var typeGiven = TryParseCredentialType(input.Type, out var legacyType);
        if (input.Kind is not null && !kindGiven)
        {
            return Error.Validation("kind", $"'{input.Kind}' is not a credential kind: use one of {string.Join(", ", Enum.GetNames<CredentialType>())}.");
        }

        if (input.Type is not null && !typeGiven)
        {
            return Error.Validation("properties.type", $"'{input.Type}' is not a credential type: use one of {string.Join(", ", Enum.GetNames<CredentialType>())}.");
        }

        if (!kindGiven && !typeGiven)
        {
            return Error.Validation("kind", $"kind is required: one of {string.Join(", ", Enum.GetNames<CredentialType>())}.");
        }

        if (kindGiven && typeGiven && kindType != legacyType)
        {
            return Error.Validation("properties.type", $"properties.type '{input.Type}' contradicts kind '{input.Kind}': send kind only.");
        }

        var type = kindGiven ? kindType : legacyType;
        if (input.Description is { } description && (description.Length > 1024 || description.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')))
        {
            return Error.Validation("properties.description", "properties.description is at most 1024 characters without control characters.");
        }

        if (ValidateSpecFields(input.TypeProperties, "properties.typeProperties") is { } specError)
        {
            return specError;
        }

        if (input.UserName is not null && input.TypeUser is not null && !string.Equals(input.UserName, input.TypeUser, StringComparison.Ordinal))
        {
            return Error.Validation("properties.userName", "properties.userName and properties.typeProperties.user differ: send one.");
        }

        var userName = input.UserName ?? input.TypeUser;
        var fields = new (string Field, string? Value, int MaxLength)[]
        {
            ("properties.connectionString", input.ConnectionString, 4096),
            ("properties.accountKey", input.AccountKey, 1024),
            ("properties.sasToken", input.SasToken, 4096),
            ("properties.userName", userName, 128),
            ("properties.password", input.Password, 256),
        };

        // The inline secret of each type (this service's extension). ConnectionString and SasToken exist only inline;
        // the spec's kinds may instead reference a Key Vault secret (typeProperties), which no scan here can read.
        string[] used = type switch
        {
            CredentialType.ConnectionString => ["properties.connectionString"],
            CredentialType.AccountKey => ["properties.accountKey"],
            CredentialType.SasToken => ["properties.sasToken"],
            CredentialType.SqlAuth or CredentialType.BasicAuth => ["properties.userName", "properties.password"],
            _ => [],
        };
        var inline = type is CredentialType.ConnectionString or CredentialType.SasToken || (input.Type is not null && used.Length > 0) ||
                     used.Any(f => f != "properties.userName" && fields.Single(x => x.Field == f).Value is not null);
        foreach (var (field, value, max) in fields)
        {
            if (field == "properties.userName" && type is CredentialType.DelegatedAuth or CredentialType.ConsumerKeyAuth)
            {
                continue;
            }

            if (!used.Contains(field) && value is not null)
            {
                return Error.Validation(field, $"A {type} credential does not use {field}.");
            }

            var required = inline || (field == "properties.userName" && value is not null);
            if (used.Contains(field) && required && (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(Purview.Core.Common.UnsafeText.IsUnsafe)))
            {
                return Error.Validation(field, $"{field} is required for a {type} credential: 1-{max} characters without control characters.");
            }
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName))
        {
            return Error.Forbidden($"Credentials are account-level: changing them needs the Data source admin role on the root collection ('{snapshot.RootName}').");
        }

        var scope = ValidateScope(input, snapshot);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }

        var existing = await store.GetCredentialAsync(name, cancellationToken);
        var now = time.GetUtcNow();
        var secret = !inline ? string.Empty : type switch
        {
            CredentialType.ConnectionString => input.ConnectionString!,
            CredentialType.AccountKey => input.AccountKey!,
            CredentialType.SasToken => input.SasToken!,
            _ => input.Password!,
        };
        var credential = new CredentialInfo(existing?.Name ?? name, type, type is CredentialType.SqlAuth or CredentialType.BasicAuth ? userName : null,
            existing?.CreatedAt ?? now, now, input.Description, input.TypeProperties, HasSecret: inline) { Scope = scope.Value! };
        await store.PutCredentialAsync(credential, secret, cancellationToken);
        await access.AuditAsync(caller, "credential.put", credential.Name, snapshot.RootName,
            $"kind={type}{(inline ? string.Empty : " (no inline secret)")}; allowedEndpoints={string.Join(' ', credential.Scope.Endpoints)}; allowedCollections={string.Join(' ', credential.Scope.Collections)}", cancellationToken);
        return (credential, existing is null);
    }

    public async Task<Result<CredentialInfo>> DeleteCredentialAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        // A name that could never be stored is not looked up: it may not even be a valid storage key.
        var existing = Names.IsValidDataSourceName(name) ? await store.GetCredentialAsync(name, cancellationToken) : null;
        if (existing is null)
        {
            return Error.NotFound($"Credential '{name}' was not found.");
        }

        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName))
        {
            return Error.Forbidden($"Credentials are account-level: deleting them needs the Data source admin role on the root collection ('{snapshot.RootName}').");
        }

        var users = (await store.ListAllScansAsync(cancellationToken)).Count(s => string.Equals(s.CredentialName, existing.Name, StringComparison.OrdinalIgnoreCase));
        if (users > 0)
        {
            return Error.Conflict("CredentialInUse", $"Credential '{existing.Name}' is used by {users} scan(s): change or delete them first.");
        }

        await store.DeleteCredentialAsync(existing.Name, cancellationToken);
        await access.AuditAsync(caller, "credential.delete", existing.Name, snapshot.RootName, null, cancellationToken);
        return existing;
    }

    // ---- Integration runtimes ----

    public Task<IReadOnlyList<IntegrationRuntime>> ListIntegrationRuntimesAsync(CancellationToken cancellationToken) => store.ListIntegrationRuntimesAsync(cancellationToken);

    public async Task<Result<IntegrationRuntime>> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) =>
        Names.IsValidDataSourceName(name) && await store.GetIntegrationRuntimeAsync(name, cancellationToken) is { } runtime ? runtime : Error.NotFound($"Integration runtime '{name}' was not found.");

    public async Task<Result<(IntegrationRuntime Runtime, bool Created)>> PutIntegrationRuntimeAsync(Principal caller, string name, IntegrationRuntimeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (ValidateAccountLevelName(name, "integrationRuntimeName") is { } nameError)
        {
            return nameError;
        }

        if (!string.Equals(input.Kind, "SelfHosted", StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("kind", $"'{input.Kind}' is not a kind that can be created: use SelfHosted (the only Managed runtime is '{IntegrationRuntime.DefaultName}').");
        }

        if (input.Nodes is < 1 or > IntegrationRuntime.MaxNodes)
        {
            return Error.Validation("properties.nodes", $"properties.nodes is between 1 and {IntegrationRuntime.MaxNodes}.");
        }

        if (input.ConcurrentScansPerNode is < 1 or > IntegrationRuntime.MaxConcurrentScansPerNode)
        {
            return Error.Validation("properties.concurrentScansPerNode", $"properties.concurrentScansPerNode is between 1 and {IntegrationRuntime.MaxConcurrentScansPerNode}.");
        }

        if (string.Equals(name, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Conflict("ManagedRuntime", $"'{IntegrationRuntime.DefaultName}' is the managed runtime: it cannot be changed.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName))
        {
            return Error.Forbidden($"Integration runtimes are account-level: changing them needs the Data source admin role on the root collection ('{snapshot.RootName}').");
        }

        var existing = await store.GetIntegrationRuntimeAsync(name, cancellationToken);
        var runtime = new IntegrationRuntime(existing?.Name ?? name, input.Nodes, input.ConcurrentScansPerNode, Managed: false);
        await store.PutIntegrationRuntimeAsync(runtime, cancellationToken);
        await access.AuditAsync(caller, "integrationruntime.put", runtime.Name, snapshot.RootName, $"{runtime.Nodes}x{runtime.ConcurrentScansPerNode}", cancellationToken);
        return (runtime, existing is null);
    }

    public async Task<Result<IntegrationRuntime>> DeleteIntegrationRuntimeAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var existing = Names.IsValidDataSourceName(name) ? await store.GetIntegrationRuntimeAsync(name, cancellationToken) : null;
        if (existing is null)
        {
            return Error.NotFound($"Integration runtime '{name}' was not found.");
        }

        if (existing.Managed)
        {
            return Error.Conflict("ManagedRuntime", $"'{existing.Name}' is the managed runtime: it cannot be deleted.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName))
        {
            return Error.Forbidden($"Integration runtimes are account-level: deleting them needs the Data source admin role on the root collection ('{snapshot.RootName}').");
        }

        var users = (await store.ListAllScansAsync(cancellationToken)).Count(s => string.Equals(s.IntegrationRuntimeName, existing.Name, StringComparison.OrdinalIgnoreCase));
        if (users > 0)
        {
            return Error.Conflict("IntegrationRuntimeInUse", $"Integration runtime '{existing.Name}' is used by {users} scan(s): change or delete them first.");
        }

        await store.DeleteIntegrationRuntimeAsync(existing.Name, cancellationToken);
        await access.AuditAsync(caller, "integrationruntime.delete", existing.Name, snapshot.RootName, null, cancellationToken);
        return existing;
    }

    // ---- Settings ----

    public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => store.GetSettingsAsync(cancellationToken);

    public async Task<Result<AccountScanSettings>> PutSettingsAsync(Principal caller, int maxConcurrentScanRuns, CancellationToken cancellationToken)
    {
        if (maxConcurrentScanRuns is < 1 or > AccountScanSettings.MaxMaxConcurrentScanRuns)
        {
            return Error.Validation("maxConcurrentScanRuns", $"maxConcurrentScanRuns is between 1 and {AccountScanSettings.MaxMaxConcurrentScanRuns}.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName))
        {
            return Error.Forbidden($"The scan settings are account-level: changing them needs the Data source admin role on the root collection ('{snapshot.RootName}').");
        }

        var settings = new AccountScanSettings(maxConcurrentScanRuns);
        await store.PutSettingsAsync(settings, cancellationToken);
        await access.AuditAsync(caller, "settings.put", "scan", snapshot.RootName, $"maxConcurrentScanRuns={maxConcurrentScanRuns}", cancellationToken);
        return settings;
    }

    // ---- Helpers ----

    public const int MaxScopeEntries = 100;

    /// <summary>A credential's scope: well-formed endpoints; existing collections; other collections only with endpoints (docs/SECURITY.md).</summary>
    private static Result<CredentialScope> ValidateScope(CredentialInput input, AccessSnapshot snapshot)
    {
        var endpoints = input.AllowedEndpoints ?? [];
        var collections = input.AllowedCollections ?? [];
        if (endpoints.Count > MaxScopeEntries)
        {
            return Error.Validation("properties.allowedEndpoints", $"properties.allowedEndpoints holds at most {MaxScopeEntries} entries.");
        }

        if (collections.Count > MaxScopeEntries)
        {
            return Error.Validation("properties.allowedCollections", $"properties.allowedCollections holds at most {MaxScopeEntries} entries.");
        }

        var errors = new List<ValidationError>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (Scanners.ScanTargetRules.ValidateEndpointEntry(endpoints[i]) is { } bad)
            {
                errors.Add(new ValidationError($"properties.allowedEndpoints[{i}]", bad));
            }
        }

        var names = new List<string>();
        for (var i = 0; i < collections.Count; i++)
        {
            if (string.IsNullOrEmpty(collections[i]) || snapshot.Find(collections[i]) is not { } found)
            {
                errors.Add(new ValidationError($"properties.allowedCollections[{i}]", $"The collection '{collections[i]}' does not exist."));
            }
            else
            {
                names.Add(found.Name);
            }
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (names.Any(n => !string.Equals(n, snapshot.RootName, StringComparison.OrdinalIgnoreCase)) && endpoints.Count == 0)
        {
            return Error.Validation("properties.allowedEndpoints",
                "A credential that serves collections other than the root must list the endpoints it may be sent to (properties.allowedEndpoints).");
        }

        return new CredentialScope([.. endpoints.Distinct(StringComparer.OrdinalIgnoreCase)], [.. names.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>A source moved or repointed must still be one its scans' credentials may serve.</summary>
    private async Task<Error?> ScansRefusedAtAsync(DataSource dataSource, CancellationToken cancellationToken)
    {
        foreach (var scan in await store.ListScansAsync(dataSource.Name, cancellationToken))
        {
            var credential = scan.CredentialName is { } c ? await store.GetCredentialAsync(c, cancellationToken) : null;
            if (credential is not null && targets.CheckScan(dataSource, credential) is { } refused)
            {
                return refused with { Message = $"Scan '{scan.Name}' of this source could no longer run there: {refused.Message}" };
            }
        }

        return null;
    }

    private async Task<(DataSource? DataSource, Error? Error)> FindDataSourceAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        if (Names.ValidateDataSourceName(name) is { } nameError)
        {
            return (null, Error.Validation([nameError]));
        }

        var dataSource = await store.GetDataSourceAsync(name, cancellationToken);
        if (dataSource is null)
        {
            return (null, Error.NotFound($"Data source '{name}' was not found."));
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        return Deny(snapshot, caller, dataSource.CollectionName, $"Data source '{name}'") is { } denied ? (null, denied) : (dataSource, null);
    }

    private async Task<(DataSource? DataSource, Scan? Scan, Error? Error)> FindScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        if (Names.ValidateScanName(scanName) is { } nameError)
        {
            return (null, null, Error.Validation([nameError]));
        }

        var (dataSource, error) = await FindDataSourceAsync(caller, dataSourceName, cancellationToken);
        if (error is not null)
        {
            return (null, null, error);
        }

        var scan = await store.GetScanAsync(dataSource!.Name, scanName, cancellationToken);
        return scan is null ? (dataSource, null, Error.NotFound($"Scan '{dataSource.Name}/{scanName}' was not found.")) : (dataSource, scan, null);
    }

    /// <summary>Null when the caller is Data source admin of the collection; 404 when they hold no role there (the object stays hidden), else 403.</summary>
    private static Error? Deny(AccessSnapshot snapshot, Principal caller, string collectionName, string what)
    {
        if (snapshot.HasRole(caller, Role.DataSourceAdmin, collectionName))
        {
            return null;
        }

        return CanSee(snapshot, caller, collectionName)
            ? Error.Forbidden($"{what} is in collection '{collectionName}': this needs the Data source admin role on it.")
            : Error.NotFound($"{what} was not found.");
    }

    private static bool CanSee(AccessSnapshot snapshot, Principal caller, string collectionName) =>
        Roles.All.Any(r => snapshot.HasRole(caller, r, collectionName));

    private static Error? ValidateAccountLevelName(string name, string field) =>
        Names.IsValidDataSourceName(name)
            ? null
            : Error.Validation(field, $"{field} must be {Names.MinResourceNameLength}-{Names.MaxResourceNameLength} characters of letters and digits, optionally separated by single hyphens (no leading, trailing or doubled hyphen).");

    /// <summary>The spellings of UTC a trigger's recurrence.timeZone may carry (Windows and IANA ids).</summary>
    public static IReadOnlyList<string> UtcTimeZoneNames { get; } = ["UTC", "Etc/UTC", "Coordinated Universal Time"];

    public const int MaxSpecFieldsCharacters = 16 * 1024;

    /// <summary>Pass-through fields are stored as one table property: bounded so the entity stays well under its limit.</summary>
    private static Error? ValidateSpecFields(string? json, string field) =>
        json is { Length: > MaxSpecFieldsCharacters }
            ? Error.Validation(field, $"The descriptive fields under {field} add up to more than {MaxSpecFieldsCharacters:N0} characters.")
            : null;

    private static bool TryParseCredentialType(string? text, out CredentialType type)
    {
        foreach (var candidate in Enum.GetValues<CredentialType>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>URL endpoints: absolute http(s), no query, fragment or user info, with a trailing slash. SQL: a connection target without secrets.</summary>
    private static string? NormalizeEndpoint(string kind, string? endpoint, out string? error)
    {
        error = null;
        if (!DataSourceKinds.IsScanned(kind))
        {
            // Registered, not scanned: the endpoint (or the kind's own fields, kept in SpecFields) is only described.
            if (endpoint is not null && (endpoint.Length is 0 or > 2048 || endpoint.Any(Purview.Core.Common.UnsafeText.IsUnsafe)))
            {
                error = "properties.endpoint is 1-2048 characters without control characters.";
                return null;
            }

            return endpoint ?? string.Empty;
        }

        if (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > 2048 || endpoint.Any(Purview.Core.Common.UnsafeText.IsUnsafe) || endpoint.Trim() != endpoint)
        {
            error = "properties.endpoint is required: 1-2048 characters without spaces at either end or control characters.";
            return null;
        }

        if (!DataSourceKinds.HasUrlEndpoint(kind))
        {
            if (endpoint.Contains("password", StringComparison.OrdinalIgnoreCase) || endpoint.Contains("pwd=", StringComparison.OrdinalIgnoreCase))
            {
                error = "properties.endpoint names the server and database only: put secrets in a credential.";
                return null;
            }

            // sqlite: and postgresql:// endpoints are scanned, so they are checked (no path traversal, no user info).
            return Scanners.SqlEndpoint.TryParse(endpoint, out var sql, out error) ? (sql!.Engine == Scanners.SqlEngine.PostgreSql ? sql.Target : endpoint) : null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"properties.endpoint of a {kind} data source is an absolute http(s) URL without query or fragment, e.g. https://account.blob.core.windows.net/.";
            return null;
        }

        return endpoint.EndsWith('/') ? endpoint : endpoint + "/";
    }

    private static List<string> ValidatePrefixes(DataSource dataSource, IReadOnlyList<string> prefixes, string field, List<ValidationError> errors)
    {
        if (prefixes.Count > MaxFilterPrefixes)
        {
            errors.Add(new ValidationError(field, $"{field} holds at most {MaxFilterPrefixes} prefixes."));
            return [];
        }

        var list = new List<string>(prefixes.Count);
        for (var i = 0; i < prefixes.Count; i++)
        {
            var prefix = prefixes[i];
            var target = $"{field}[{i}]";
            if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxPrefixLength || prefix.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
            {
                errors.Add(new ValidationError(target, $"{target} is 1-{MaxPrefixLength} characters without control characters."));
            }
            else if (DataSourceKinds.HasUrlEndpoint(dataSource.Kind) &&
                     (!Uri.TryCreate(prefix, UriKind.Absolute, out _) || !prefix.StartsWith(dataSource.Endpoint, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new ValidationError(target, $"{target} must be an absolute URL under the data source's endpoint ({dataSource.Endpoint})."));
            }
            else
            {
                list.Add(prefix);
            }
        }

        return list;
    }

    private static bool TryParseUtc(string? text, out DateTimeOffset value)
    {
        value = default;
        return !string.IsNullOrEmpty(text) &&
               DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value) &&
               value.Year is >= 2000 and <= 2200;
    }
}
