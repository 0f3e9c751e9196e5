using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>
/// Data sources: Data source admin on the source's collection (moving a source: on both collections). A caller who
/// holds no role on that collection gets 404, one who holds another role 403. Everything is validated before anything
/// is written; every change is audited.
/// </summary>
public sealed class DataSourceService(IScanRegistryStore store, RegistryAccess guard, AccessService access, TimeProvider time, Scanners.ScanTargetGuard targets)
{
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
        var (dataSource, error) = await guard.FindDataSourceAsync(caller, name, cancellationToken);
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

        if (RegistryValidation.ValidateSpecFields(input.SpecFields, "properties") is { } specError)
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
        if (collection is null || !RegistryAccess.CanSee(snapshot, caller, collection.Name))
        {
            return Error.Validation("properties.collection.referenceName", $"The collection '{input.CollectionName}' does not exist.");
        }

        var existing = await store.GetDataSourceAsync(name, cancellationToken);
        if (existing is not null && RegistryAccess.Deny(snapshot, caller, existing.CollectionName, $"Data source '{name}'") is { } denied)
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
        var (dataSource, error) = await guard.FindDataSourceAsync(caller, name, cancellationToken);
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

    /// <summary>URL endpoints: absolute http(s), no query, fragment or user info, with a trailing slash. SQL: a connection target without secrets.</summary>
    private static string? NormalizeEndpoint(string kind, string? endpoint, out string? error)
    {
        error = null;
        if (!DataSourceKinds.IsScanned(kind))
        {
            // Registered, not scanned: the endpoint (or the kind's own fields, kept in SpecFields) is only described.
            if (endpoint is not null && (endpoint.Length is 0 or > 2048 || endpoint.Any(UnsafeText.IsUnsafe)))
            {
                error = "properties.endpoint is 1-2048 characters without control characters.";
                return null;
            }

            return endpoint ?? string.Empty;
        }

        if (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > 2048 || endpoint.Any(UnsafeText.IsUnsafe) || endpoint.Trim() != endpoint)
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
}
