using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>
/// The scans of a data source (Data source admin on its collection): kind, rule set, credential and runtime are
/// checked against the registry before the scan is written; every change is audited (never a secret).
/// </summary>
public sealed class ScanService(IScanRegistryStore store, RegistryAccess guard, AccessService access, TimeProvider time, Classification.IClassificationRuleStore rulesets, Scanners.ScanTargetGuard targets)
{
    public async Task<Result<IReadOnlyList<Scan>>> ListScansAsync(Principal caller, string dataSourceName, CancellationToken cancellationToken)
    {
        var (dataSource, error) = await guard.FindDataSourceAsync(caller, dataSourceName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var scans = await store.ListScansAsync(dataSource!.Name, cancellationToken);
        return Result<IReadOnlyList<Scan>>.Success(scans.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList());
    }

    public async Task<Result<Scan>> GetScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var (_, scan, error) = await guard.FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        return error is null ? scan! : error;
    }

    public async Task<Result<(Scan Scan, bool Created)>> PutScanAsync(Principal caller, string dataSourceName, string scanName, ScanInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Names.ValidateScanName(scanName) is { } nameError)
        {
            return Error.Validation([nameError]);
        }

        var (dataSource, error) = await guard.FindDataSourceAsync(caller, dataSourceName, cancellationToken);
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

        if (RegistryValidation.ValidateSpecFields(input.SpecFields, "properties") is { } specError)
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
        var (dataSource, scan, error) = await guard.FindScanAsync(caller, dataSourceName, scanName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        await store.DeleteScanAsync(dataSource!.Name, scan!.Name, cancellationToken);
        await access.AuditAsync(caller, "scan.delete", $"{dataSource.Name}/{scan.Name}", dataSource.CollectionName, null, cancellationToken);
        return scan;
    }
}
