using Purview.Core.Access;

namespace Purview.Storage.Access;

/// <summary>
/// Collections in one small partition (an account has hundreds at most, read whole into the access snapshot);
/// role assignments partitioned by collection. Keys are lower-cased: names compare case-insensitively.
/// </summary>
public sealed class TableAccessRepository(StorageLayout layout) : IAccessRepository, IStorageUser
{
    private const string CollectionsPartition = "c";
    private readonly EntityTable _collections = layout.Table("collections");
    private readonly EntityTable _roles = layout.Table("roleassignments");

    public async Task<IReadOnlyList<Collection>> ListCollectionsAsync(CancellationToken cancellationToken) =>
        await _collections.QueryAsync(TableFilter.PartitionKeyEquals(CollectionsPartition), cancellationToken: cancellationToken).Select(ToCollection).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<RoleAssignment>> ListAssignmentsAsync(CancellationToken cancellationToken)
    {
        var list = new List<RoleAssignment>();
        await foreach (var e in _roles.QueryAsync(cancellationToken: cancellationToken))
        {
            if (Roles.TryParse(e.GetString("Role"), out var role))
            {
                list.Add(new RoleAssignment(e.GetString("Collection")!, role, e.GetString("Principal")!, e.GetDateTimeOffset("GrantedAt") ?? default, e.GetString("GrantedBy") ?? string.Empty));
            }
        }

        return list;
    }

    public Task<bool> TryAddCollectionAsync(Collection collection, CancellationToken cancellationToken) =>
        _collections.TryAddEntityAsync(ToEntity(collection), cancellationToken);

    public Task UpdateCollectionAsync(Collection collection, CancellationToken cancellationToken) =>
        _collections.UpsertEntityAsync(ToEntity(collection), TableUpdateMode.Replace, cancellationToken);

    public Task<bool> DeleteCollectionAsync(string name, CancellationToken cancellationToken) =>
        _collections.DeleteEntityIfExistsAsync(CollectionsPartition, Key(name), cancellationToken: cancellationToken);

    public Task<bool> AddAssignmentAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var entity = new TableEntity(Key(assignment.CollectionName), AssignmentKey(assignment.Role, assignment.PrincipalName))
        {
            ["Collection"] = assignment.CollectionName,
            ["Role"] = assignment.Role.ToWire(),
            ["Principal"] = assignment.PrincipalName,
            ["GrantedAt"] = assignment.GrantedAt,
            ["GrantedBy"] = assignment.GrantedBy,
        };
        return _roles.TryAddEntityAsync(entity, cancellationToken);
    }

    public Task<bool> RemoveAssignmentAsync(string collectionName, Role role, string principalName, CancellationToken cancellationToken) =>
        _roles.DeleteEntityIfExistsAsync(Key(collectionName), AssignmentKey(role, principalName), cancellationToken: cancellationToken);

    public Task RemoveAssignmentsAsync(string collectionName, CancellationToken cancellationToken) =>
        TableBatches.DeleteWhereAsync(_roles, TableFilter.PartitionKeyEquals(Key(collectionName)), cancellationToken);

    private static string Key(string name) => name.ToLowerInvariant();

    private static string AssignmentKey(Role role, string principal) =>
        role.ToWire() + "|" + TableKeys.Escape(principal.ToLowerInvariant());

    private static TableEntity ToEntity(Collection c) => new(CollectionsPartition, Key(c.Name))
    {
        ["Name"] = c.Name,
        ["FriendlyName"] = c.FriendlyName,
        ["ParentName"] = c.ParentName,
        ["Description"] = c.Description,
        ["CreatedAt"] = c.CreatedAt,
        ["LastModifiedAt"] = c.LastModifiedAt,
        ["CreatedBy"] = c.CreatedBy,
    };

    private static Collection ToCollection(TableEntity e) => new(
        e.GetString("Name")!,
        e.GetString("FriendlyName") ?? e.GetString("Name")!,
        e.GetString("ParentName"),
        e.GetString("Description"),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("LastModifiedAt") ?? default,
        e.GetString("CreatedBy") ?? "system");
}
