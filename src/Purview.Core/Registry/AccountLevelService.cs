using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>How the store keeps one kind of account-level resource, and how messages, audit and scans name it.</summary>
/// <param name="Kind">As messages name one: "Credential", "Integration runtime".</param>
/// <param name="AuditName">The audit actions' prefix: "credential" (<c>credential.put</c>, <c>credential.delete</c>).</param>
/// <param name="InUseCode">The 409's code when a scan still refers to the one being deleted.</param>
/// <param name="Reference">The scan's field that names one.</param>
public sealed record AccountLevelKind<T>(
    string Kind,
    string AuditName,
    string InUseCode,
    Func<T, string> NameOf,
    Func<Scan, string?> Reference,
    Func<CancellationToken, Task<IReadOnlyList<T>>> List,
    Func<string, CancellationToken, Task<T?>> Find,
    Func<string, CancellationToken, Task> Delete);

/// <summary>
/// What the account-level resources of the registry (credentials, integration runtimes) share: any Data source admin
/// reads them (a scan names them); only a Data source admin of the root collection changes or deletes them, and one a
/// scan refers to cannot be deleted (409); every change is audited against the root collection. Each resource's put
/// (its own input rules) is its service's.
/// </summary>
public abstract class AccountLevelService<T>(IScanRegistryStore store, AccessService access, AccountLevelKind<T> kind)
    where T : class
{
    protected IScanRegistryStore Store => store;

    protected AccessService Access => access;

    public Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) => kind.List(cancellationToken);

    // A name that could never be stored is not looked up: it may not even be a valid storage key.
    public async Task<Result<T>> GetAsync(string name, CancellationToken cancellationToken) =>
        Names.IsValidDataSourceName(name) && await kind.Find(name, cancellationToken) is { } found ? found : Error.NotFound($"{kind.Kind} '{name}' was not found.");

    /// <summary>404 as <see cref="GetAsync"/>, the resource's own refusal (<see cref="RefuseDelete"/>), 403 unless a root Data source admin, 409 while a scan refers to it.</summary>
    public async Task<Result<T>> DeleteAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var found = await GetAsync(name, cancellationToken);
        if (found.Value is not { } existing)
        {
            return found;
        }

        if (RefuseDelete(existing) is { } refused)
        {
            return refused;
        }

        var storedName = kind.NameOf(existing);
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (await RegistryAccess.DeleteDeniedAsync(store, snapshot, caller, kind.Kind, storedName, kind.Reference, kind.InUseCode, cancellationToken) is { } denied)
        {
            return denied;
        }

        await kind.Delete(storedName, cancellationToken);
        await access.AuditAsync(caller, $"{kind.AuditName}.delete", storedName, snapshot.RootName, null, cancellationToken);
        return existing;
    }

    /// <summary>403 unless the caller is a Data source admin of the root collection, with the snapshot that decided it.</summary>
    protected async Task<(AccessSnapshot Snapshot, Error? Denied)> AuthorizeChangeAsync(Principal caller, CancellationToken cancellationToken)
    {
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        return (snapshot, RegistryAccess.RootAdminRequired(snapshot, caller, $"{kind.Kind}s are account-level: changing them"));
    }

    /// <summary>Why this one cannot be deleted whoever asks (the managed runtime), checked before access; none by default.</summary>
    protected virtual Error? RefuseDelete(T existing) => null;
}
