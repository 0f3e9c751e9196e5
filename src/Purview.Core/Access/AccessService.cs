using Purview.Core.Caching;
using Purview.Core.Common;

namespace Purview.Core.Access;

/// <summary>
/// Collections, role assignments and the audit of their changes. Holds a cached <see cref="AccessSnapshot"/>
/// that every authorization decision reads; changes made here invalidate it at once, changes made by other
/// instances are seen within <see cref="AccessOptions.SnapshotLifetime"/>.
/// </summary>
public sealed class AccessService(IAccessRepository repository, IAuditLog audit, IEnumerable<ICollectionUsage> usages, AccessOptions options, TimeProvider time) : IDisposable
{
    private readonly TtlCache<AccessSnapshot> _snapshot = new(ct => LoadSnapshotAsync(repository, options, time, ct), options.SnapshotLifetime, time);

    public Task<AccessSnapshot> GetSnapshotAsync(CancellationToken cancellationToken) => _snapshot.GetAsync(cancellationToken);

    public void Invalidate() => _snapshot.Invalidate();

    public void Dispose() => _snapshot.Dispose();

    /// <summary>Collections and assignments as stored; the root collection is created on first use.</summary>
    private static async Task<AccessSnapshot> LoadSnapshotAsync(IAccessRepository repository, AccessOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var collections = await repository.ListCollectionsAsync(cancellationToken);
        if (!collections.Any(x => string.Equals(x.Name, options.RootCollection, StringComparison.OrdinalIgnoreCase)))
        {
            var now = time.GetUtcNow();
            var root = new Collection(options.RootCollection, options.RootFriendlyName, null, "The root collection of the account.", now, now, "system");
            await repository.TryAddCollectionAsync(root, cancellationToken);
            collections = await repository.ListCollectionsAsync(cancellationToken);
        }

        var assignments = await repository.ListAssignmentsAsync(cancellationToken);
        return new AccessSnapshot(options.RootCollection, collections, assignments, options.BootstrapAdmins);
    }

    public async Task<IReadOnlyList<Collection>> ListCollectionsAsync(Principal caller, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        return snapshot.Collections.Where(c => CanSee(snapshot, caller, c.Name)).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<Result<Collection>> GetCollectionAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var collection = snapshot.Find(name);
        return collection is not null && CanSee(snapshot, caller, collection.Name) ? collection : HiddenCollection(name);
    }

    /// <summary>Creates the collection (needs Collection admin on the parent) or updates it (needs Collection admin on it; moving also on the new parent).</summary>
    public async Task<Result<(Collection Collection, bool Created)>> PutCollectionAsync(
        Principal caller, string name, string? friendlyName, string? parentName, string? description, CancellationToken cancellationToken)
    {
        if (CollectionNames.Validate(name) is { } nameError)
        {
            return Error.Validation("name", nameError);
        }

        if (friendlyName is { Length: > 100 } || UnsafeText.HasUnsafe(friendlyName))
        {
            return Error.Validation("friendlyName", "friendlyName is at most 100 characters, without control or bidirectional control characters.");
        }

        if (description is { Length: > 512 })
        {
            return Error.Validation("description", "description is at most 512 characters.");
        }

        var snapshot = await GetSnapshotAsync(cancellationToken);
        var existing = snapshot.Find(name);
        var now = time.GetUtcNow();
        if (existing is not null && existing.IsRoot)
        {
            if (Administered(snapshot, caller, name, _ => "Updating the root collection").Error is { } rootDenied)
            {
                return rootDenied;
            }

            if (parentName is not null)
            {
                return Error.Validation("parentCollection.referenceName", "The root collection has no parent.");
            }

            var root = existing with { FriendlyName = friendlyName ?? existing.FriendlyName, Description = description ?? existing.Description, LastModifiedAt = now };
            await repository.UpdateCollectionAsync(root, cancellationToken);
            await AuditAsync(caller, "collection.update", name, name, null, cancellationToken);
            return (root, false);
        }

        if (string.IsNullOrEmpty(parentName))
        {
            return Error.Validation("parentCollection.referenceName", $"parentCollection.referenceName is required: every collection but the root ('{snapshot.RootName}') has a parent.");
        }

        var parent = snapshot.Find(parentName);
        // The root's existence is no secret; other collections the caller cannot see are reported as missing.
        if (parent is null || (!parent.IsRoot && !CanSee(snapshot, caller, parent.Name)))
        {
            return Error.Validation("parentCollection.referenceName", $"The parent collection '{parentName}' does not exist.");
        }

        if (existing is null)
        {
            if (!snapshot.HasRole(caller, Role.CollectionAdmin, parent.Name))
            {
                return Error.Forbidden($"Creating a collection under '{parent.Name}' needs the Collection admin role on it.");
            }

            var created = new Collection(name, friendlyName ?? name, parent.Name, description, now, now, caller.Name);
            if (!await repository.TryAddCollectionAsync(created, cancellationToken))
            {
                Invalidate();
                return Error.Conflict("CollectionExists", $"A collection named '{name}' was created at the same time; read it and retry.");
            }

            Invalidate();
            await AuditAsync(caller, "collection.create", name, parent.Name, friendlyName, cancellationToken);
            return (created, true);
        }

        if (Administered(snapshot, caller, name, n => $"Updating '{n}'").Error is { } denied)
        {
            return denied;
        }

        var moving = !string.Equals(existing.ParentName, parent.Name, StringComparison.OrdinalIgnoreCase);
        if (moving)
        {
            if (!snapshot.HasRole(caller, Role.CollectionAdmin, parent.Name))
            {
                return Error.Forbidden($"Moving '{existing.Name}' under '{parent.Name}' needs the Collection admin role on '{parent.Name}'.");
            }

            if (snapshot.IsSelfOrDescendant(parent.Name, existing.Name))
            {
                return Error.Validation("parentCollection.referenceName", $"'{parent.Name}' is '{existing.Name}' or one of its sub-collections: a collection cannot be moved under itself.");
            }
        }

        var updated = existing with
        {
            FriendlyName = friendlyName ?? existing.FriendlyName,
            ParentName = parent.Name,
            Description = description ?? existing.Description,
            LastModifiedAt = now,
        };
        await repository.UpdateCollectionAsync(updated, cancellationToken);
        Invalidate();
        await AuditAsync(caller, moving ? "collection.move" : "collection.update", name, parent.Name, moving ? $"from {existing.ParentName}" : null, cancellationToken);
        return (updated, false);
    }

    public async Task<Result<Collection>> DeleteCollectionAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var found = Administered(snapshot, caller, name, n => $"Deleting '{n}'");
        if (found.Value is not { } existing)
        {
            return found;
        }

        if (existing.IsRoot)
        {
            return Error.Conflict("RootCollection", "The root collection cannot be deleted.");
        }

        var children = snapshot.ChildrenOf(existing.Name);
        if (children.Count > 0)
        {
            return Error.Conflict("CollectionNotEmpty", $"'{existing.Name}' still has {children.Count} sub-collection(s) ({string.Join(", ", children.Take(5).Select(c => c.Name))}): move or delete them first.");
        }

        foreach (var usage in usages)
        {
            if (await usage.DescribeUsageAsync(existing.Name, cancellationToken) is { } held)
            {
                return Error.Conflict("CollectionNotEmpty", $"'{existing.Name}' still holds {held}: move or delete them first.");
            }
        }

        await repository.RemoveAssignmentsAsync(existing.Name, cancellationToken);
        await repository.DeleteCollectionAsync(existing.Name, cancellationToken);
        Invalidate();
        await AuditAsync(caller, "collection.delete", existing.Name, existing.ParentName, null, cancellationToken);
        return existing;
    }

    public async Task<Result<IReadOnlyList<RoleAssignment>>> ListAssignmentsAsync(Principal caller, string collectionName, bool includeInherited, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken);
        var found = Administered(snapshot, caller, collectionName, n => $"Reading the role assignments of '{n}'");
        if (found.Value is not { } collection)
        {
            return found.Error!;
        }

        IReadOnlyList<RoleAssignment> list = includeInherited
            ? snapshot.EffectiveAssignments(collection.Name)
            : snapshot.Assignments.Where(a => string.Equals(a.CollectionName, collection.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        return Result<IReadOnlyList<RoleAssignment>>.Success(list.OrderBy(a => a.Role).ThenBy(a => a.PrincipalName, StringComparer.OrdinalIgnoreCase).ToList());
    }

    public async Task<Result<(RoleAssignment Assignment, bool Created)>> GrantAsync(Principal caller, string collectionName, string roleText, string principalName, CancellationToken cancellationToken)
    {
        var (snapshot, collection, role, error) = await CheckAssignmentChangeAsync(caller, collectionName, roleText, principalName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var assignment = new RoleAssignment(collection!.Name, role, principalName, time.GetUtcNow(), caller.Name);
        var created = await repository.AddAssignmentAsync(assignment, cancellationToken);
        Invalidate();
        if (created)
        {
            await AuditAsync(caller, "role.grant", $"{role.ToWire()}:{principalName}", collection.Name, null, cancellationToken);
        }
        else
        {
            assignment = snapshot!.Assignments.FirstOrDefault(a => string.Equals(a.CollectionName, collection.Name, StringComparison.OrdinalIgnoreCase) && a.Role == role && Principal.NameComparer.Equals(a.PrincipalName, principalName)) ?? assignment;
        }

        return (assignment, created);
    }

    public async Task<Result<bool>> RevokeAsync(Principal caller, string collectionName, string roleText, string principalName, CancellationToken cancellationToken)
    {
        var (_, collection, role, error) = await CheckAssignmentChangeAsync(caller, collectionName, roleText, principalName, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var removed = await repository.RemoveAssignmentAsync(collection!.Name, role, principalName, cancellationToken);
        Invalidate();
        if (!removed)
        {
            return Error.NotFound($"'{principalName}' holds no {role.ToWire()} assignment on '{collection.Name}'.");
        }

        await AuditAsync(caller, "role.revoke", $"{role.ToWire()}:{principalName}", collection.Name, null, cancellationToken);
        return true;
    }

    /// <summary>Audit entries: Collection admins of the root see everything; others see the changes to collections they administer.</summary>
    public async Task<Result<IReadOnlyList<AuditEntry>>> ReadAuditAsync(Principal caller, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        if (to <= from)
        {
            return Error.Validation("to", "'to' must be after 'from'.");
        }

        var snapshot = await GetSnapshotAsync(cancellationToken);
        var administered = snapshot.CollectionsWhere(caller, Role.CollectionAdmin);
        if (administered.Count == 0)
        {
            return Error.Forbidden("Reading the audit log needs the Collection admin role on a collection.");
        }

        var seesAll = administered.Contains(snapshot.RootName);
        var entries = await audit.QueryAsync(from, to, seesAll ? limit : Math.Min(limit * 4, 20_000), cancellationToken);
        IReadOnlyList<AuditEntry> visible = seesAll
            ? entries
            : entries.Where(e => e.Collection is not null && administered.Contains(e.Collection)).Take(limit).ToList();
        return Result<IReadOnlyList<AuditEntry>>.Success(visible);
    }

    public Task AuditAsync(Principal caller, string action, string target, string? collection, string? details, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(time.GetUtcNow(), caller.Name, action, target, collection, details), cancellationToken);

    private async Task<(AccessSnapshot? Snapshot, Collection? Collection, Role Role, Error? Error)> CheckAssignmentChangeAsync(
        Principal caller, string collectionName, string roleText, string principalName, CancellationToken cancellationToken)
    {
        if (!Roles.TryParse(roleText, out var role))
        {
            return (null, null, default, Error.Validation("role", $"'{roleText}' is not a role: use one of {string.Join(", ", Roles.All.Select(r => r.ToWire()))}."));
        }

        if (!Principal.IsValidName(principalName))
        {
            return (null, null, role, Error.Validation("principal", Principal.NameRule));
        }

        var snapshot = await GetSnapshotAsync(cancellationToken);
        var found = Administered(snapshot, caller, collectionName, n => $"Changing role assignments on '{n}'");
        if (found.Value is not { } collection)
        {
            return (snapshot, null, role, found.Error);
        }

        if (role == Role.ConnectorAdmin && !collection.IsRoot)
        {
            return (snapshot, collection, role, Error.Validation("role", $"The connectorAdmin role exists only on the root collection ('{snapshot.RootName}')."));
        }

        return (snapshot, collection, role, null);
    }

    /// <summary>A collection is visible to anyone holding any role on it (or above it).</summary>
    private static bool CanSee(AccessSnapshot snapshot, Principal caller, string collectionName) =>
        Roles.All.Any(r => snapshot.HasRole(caller, r, collectionName));

    /// <summary>
    /// The collection for something only its Collection admins may do: hidden (404) from a caller who holds no role on
    /// it, refused (403, naming what needed the role) to one who holds another.
    /// </summary>
    private static Result<Collection> Administered(AccessSnapshot snapshot, Principal caller, string name, Func<string, string> doing)
    {
        var collection = snapshot.Find(name);
        if (collection is null || !CanSee(snapshot, caller, collection.Name))
        {
            return HiddenCollection(name);
        }

        return snapshot.HasRole(caller, Role.CollectionAdmin, collection.Name)
            ? collection
            : Error.Forbidden($"{doing(collection.Name)} needs the Collection admin role on it.");
    }

    private static Error HiddenCollection(string name) => Error.NotFound($"Collection '{name}' was not found.");
}
