using Purview.Core.Access;

namespace Purview.Core.Tests.Fakes;

/// <summary>Collections and role assignments in dictionaries, with the repository's contract: inserts refuse an existing name, assignment writes are idempotent.</summary>
public sealed class InMemoryAccessRepository : IAccessRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Collection> _collections = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RoleAssignment> _assignments = [];

    /// <summary>How many times the collections were listed (a snapshot load lists them).</summary>
    public int CollectionListings { get; private set; }

    /// <summary>Awaited inside every listing, so a test can hold a load while it changes the data.</summary>
    public Func<Task>? DuringListing { get; set; }

    public async Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken)
    {
        List<Collection> list;
        lock (_lock)
        {
            CollectionListings++;
            list = [.. _collections.Values];
        }

        if (DuringListing is { } during)
        {
            await during();
        }

        return list;
    }

    public Task<IReadOnlyList<RoleAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RoleAssignment>>([.. _assignments]);
        }
    }

    public Task<bool> TryAddCollectionAsync(Collection collection, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_collections.TryAdd(collection.Name, collection));
        }
    }

    public Task UpdateCollectionAsync(Collection collection, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_collections.ContainsKey(collection.Name))
            {
                throw new InvalidOperationException($"No collection '{collection.Name}' to update.");
            }

            _collections[collection.Name] = collection;
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_collections.Remove(name));
        }
    }

    public Task<bool> AddAssignmentAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_assignments.Any(a => Same(a, assignment.CollectionName, assignment.Role, assignment.PrincipalName)))
            {
                return Task.FromResult(false);
            }

            _assignments.Add(assignment);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RemoveAssignmentAsync(string collectionName, Role role, string principalName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_assignments.RemoveAll(a => Same(a, collectionName, role, principalName)) > 0);
        }
    }

    public Task RemoveAssignmentsAsync(string collectionName, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _assignments.RemoveAll(a => string.Equals(a.CollectionName, collectionName, StringComparison.OrdinalIgnoreCase));
        }

        return Task.CompletedTask;
    }

    private static bool Same(RoleAssignment a, string collection, Role role, string principal) =>
        string.Equals(a.CollectionName, collection, StringComparison.OrdinalIgnoreCase) && a.Role == role && Principal.NameComparer.Equals(a.PrincipalName, principal);
}

/// <summary>The audit as a list; queries answer newest first within [from, to), as the port says.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _lock = new();
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries];
            }
        }
    }

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Where(e => e.At >= from && e.At < to).OrderByDescending(e => e.At).Take(limit).ToList());
        }
    }
}

/// <summary>A feature that says a collection holds something (as data sources or links would).</summary>
public sealed class ListedCollectionUsage : ICollectionUsage
{
    public Dictionary<string, string> Held { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<string?> DescribeUsageAsync(string collectionName, CancellationToken cancellationToken) => Task.FromResult(Held.GetValueOrDefault(collectionName));
}
