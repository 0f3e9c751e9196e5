namespace Purview.Core.Access;

/// <summary>A collection of the account's tree. The root has no parent.</summary>
public sealed record Collection(
    string Name,
    string FriendlyName,
    string? ParentName,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt,
    string CreatedBy)
{
    public bool IsRoot => ParentName is null;
}

/// <summary>A role granted to a principal on a collection (inherited by every sub-collection).</summary>
public sealed record RoleAssignment(string CollectionName, Role Role, string PrincipalName, DateTimeOffset GrantedAt, string GrantedBy);
