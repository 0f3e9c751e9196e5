namespace Purview.Core.Access;

/// <summary>Where collections and role assignments are kept.</summary>
public interface IAccessRepository
{
    Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<RoleAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken);

    /// <summary>Inserts; false when a collection of that name exists already (nothing written).</summary>
    Task<bool> TryAddCollectionAsync(Collection collection, CancellationToken cancellationToken);

    Task UpdateCollectionAsync(Collection collection, CancellationToken cancellationToken);

    Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken);

    /// <summary>Idempotent: true when the assignment was new.</summary>
    Task<bool> AddAssignmentAsync(RoleAssignment assignment, CancellationToken cancellationToken);

    /// <summary>True when an assignment was removed.</summary>
    Task<bool> RemoveAssignmentAsync(string collectionName, Role role, string principalName, CancellationToken cancellationToken);

    /// <summary>Removes every assignment on a collection (when it is deleted).</summary>
    Task RemoveAssignmentsAsync(string collectionName, CancellationToken cancellationToken);
}

/// <summary>A feature that places things in collections (data sources, links) says whether a collection still holds any.</summary>
public interface ICollectionUsage
{
    /// <summary>A description of what the collection still holds ("2 data sources"), or null when it holds nothing of this feature.</summary>
    Task<string?> DescribeUsageAsync(string collectionName, CancellationToken cancellationToken);
}

/// <summary>Who changed what, when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Principal, string Action, string Target, string? Collection, string? Details);

public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries with <c>from &lt;= At &lt; to</c>, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken);
}

/// <summary>Configuration of access: the root collection's name and the principals that hold every role there.</summary>
public sealed class AccessOptions
{
    public string RootCollection { get; set; } = "root";

    public string RootFriendlyName { get; set; } = "Root collection";

    public IList<string> BootstrapAdmins { get; } = [];

    /// <summary>How long a loaded snapshot of collections and roles is reused before it is reloaded (changes made by this process apply at once).</summary>
    public TimeSpan SnapshotLifetime { get; set; } = TimeSpan.FromSeconds(5);
}
