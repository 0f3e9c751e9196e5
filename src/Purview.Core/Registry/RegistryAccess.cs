using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>
/// The registry's one access guard. Objects in a collection (data sources and what hangs off them) need Data source
/// admin there: a caller who holds no role on the collection is told the object does not exist (404), one who holds
/// another role is refused (403). Account-level resources (credentials, integration runtimes, settings) are changed
/// only by a Data source admin of the root collection.
/// </summary>
public sealed class RegistryAccess(IScanRegistryStore store, AccessService access)
{
    public async Task<(DataSource? DataSource, Error? Error)> FindDataSourceAsync(Principal caller, string name, CancellationToken cancellationToken)
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

    public async Task<(DataSource? DataSource, Scan? Scan, Error? Error)> FindScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken)
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
    public static Error? Deny(AccessSnapshot snapshot, Principal caller, string collectionName, string what)
    {
        if (snapshot.HasRole(caller, Role.DataSourceAdmin, collectionName))
        {
            return null;
        }

        return CanSee(snapshot, caller, collectionName)
            ? Error.Forbidden($"{what} is in collection '{collectionName}': this needs the Data source admin role on it.")
            : Error.NotFound($"{what} was not found.");
    }

    public static bool CanSee(AccessSnapshot snapshot, Principal caller, string collectionName) =>
        Roles.All.Any(r => snapshot.HasRole(caller, r, collectionName));

    /// <summary>Null when the caller is Data source admin of the root collection; else 403 saying what needed it ("Credentials are account-level: changing them").</summary>
    public static Error? RootAdminRequired(AccessSnapshot snapshot, Principal caller, string what)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.HasRole(caller, Role.DataSourceAdmin, snapshot.RootName)
            ? null
            : Error.Forbidden($"{what} needs the Data source admin role on the root collection ('{snapshot.RootName}').");
    }

    /// <summary>
    /// Null when the caller may delete the account-level <paramref name="kind"/> ("Credential", "Integration runtime")
    /// named <paramref name="name"/>: a Data source admin of the root collection (else 403), and no scan refers to it
    /// through <paramref name="reference"/> (else 409 <paramref name="inUseCode"/>).
    /// </summary>
    public static async Task<Error?> DeleteDeniedAsync(
        IScanRegistryStore store, AccessSnapshot snapshot, Principal caller, string kind, string name, Func<Scan, string?> reference, string inUseCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (RootAdminRequired(snapshot, caller, $"{kind}s are account-level: deleting them") is { } denied)
        {
            return denied;
        }

        var users = (await store.ListAllScansAsync(cancellationToken)).Count(s => string.Equals(reference(s), name, StringComparison.OrdinalIgnoreCase));
        return users > 0 ? Error.Conflict(inUseCode, $"{kind} '{name}' is used by {users} scan(s): change or delete them first.") : null;
    }
}
