using System.Globalization;
using Purview.Core.Access;

namespace Purview.Api.Access;

/// <summary>Collections (Purview account API shape), their role assignments, and the audit log.</summary>
public static class AccessEndpoints
{
    public const long CollectionBodyLimit = 16 * 1024;

    public static IEndpointRouteBuilder MapAccessEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/account").WithTags("Collections and roles").RequireAuthorization();
        group.MapGet("/collections", ListCollections).WithName("ListCollections").WithSummary("The collections the caller may see, with their parents.");
        group.MapGet("/collections/{collectionName}", GetCollection).WithName("GetCollection").WithSummary("One collection (404 also when the caller may not see it).");
        group.MapPut("/collections/{collectionName}", PutCollection).WithName("PutCollection").WithSummary("Creates (201) or updates (200) a collection under a parent; Collection admin of the parent.").WithBodyLimit(CollectionBodyLimit);
        group.MapDelete("/collections/{collectionName}", DeleteCollection).WithName("DeleteCollection").WithSummary("Deletes a collection that holds nothing: no sub-collections, sources or owned entities (409 otherwise).");
        group.MapGet("/collections/{collectionName}/roleAssignments", ListRoleAssignments).WithName("ListRoleAssignments").WithSummary("The role assignments on a collection; includeInherited adds those granted on its ancestors.");
        group.MapPut("/collections/{collectionName}/roleAssignments/{role}/{principal}", PutRoleAssignment).WithName("PutRoleAssignment").WithSummary("Grants a role on a collection to a principal (201 when new).");
        group.MapDelete("/collections/{collectionName}/roleAssignments/{role}/{principal}", DeleteRoleAssignment).WithName("DeleteRoleAssignment").WithSummary("Revokes a role on a collection from a principal.");
        group.MapGet("/audit", ReadAudit).WithName("ReadAudit").WithSummary("The audit trail of changes (newest first) for the collections the caller administers, between from and to (UTC).").RequireAuthorization(AccessPolicies.CollectionAdmin);
        return routes;
    }

    public static async Task<Ok<ListResponse<CollectionResponse>>> ListCollections(HttpContext http, AccessService access, CancellationToken cancellationToken)
    {
        var list = await access.ListCollectionsAsync(http.GetCaller(), cancellationToken);
        return TypedResults.Ok(ListResponse.Of(list, CollectionResponse.From));
    }

    public static async Task<Results<Ok<CollectionResponse>, ProblemHttpResult>> GetCollection(string collectionName, HttpContext http, AccessService access, CancellationToken cancellationToken) =>
        ApiResults.Ok(await access.GetCollectionAsync(http.GetCaller(), collectionName, cancellationToken), CollectionResponse.From);

    public static async Task<Results<Created<CollectionResponse>, Ok<CollectionResponse>, ProblemHttpResult>> PutCollection(
        string collectionName, CollectionRequest body, HttpContext http, AccessService access, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = await access.PutCollectionAsync(http.GetCaller(), collectionName, body.FriendlyName, body.ParentCollection?.ReferenceName, body.Description, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => CollectionResponse.From(r.Collection), r => $"/account/collections/{Uri.EscapeDataString(r.Collection.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCollection(string collectionName, HttpContext http, AccessService access, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await access.DeleteCollectionAsync(http.GetCaller(), collectionName, cancellationToken));

    public static async Task<Results<Ok<ListResponse<RoleAssignmentResponse>>, ProblemHttpResult>> ListRoleAssignments(
        string collectionName, HttpContext http, AccessService access, CancellationToken cancellationToken, bool includeInherited = false)
    {
        var result = await access.ListAssignmentsAsync(http.GetCaller(), collectionName, includeInherited, cancellationToken);
        return ApiResults.Ok(result, list => ListResponse.Of(list, a => RoleAssignmentResponse.From(a, collectionName)));
    }

    public static async Task<Results<Created<RoleAssignmentResponse>, Ok<RoleAssignmentResponse>, ProblemHttpResult>> PutRoleAssignment(
        string collectionName, string role, string principal, HttpContext http, AccessService access, CancellationToken cancellationToken)
    {
        var result = await access.GrantAsync(http.GetCaller(), collectionName, role, principal, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => RoleAssignmentResponse.From(r.Assignment, collectionName),
            r => $"/account/collections/{Uri.EscapeDataString(r.Assignment.CollectionName)}/roleAssignments/{r.Assignment.Role.ToWire()}/{Uri.EscapeDataString(r.Assignment.PrincipalName)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteRoleAssignment(
        string collectionName, string role, string principal, HttpContext http, AccessService access, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await access.RevokeAsync(http.GetCaller(), collectionName, role, principal, cancellationToken));

    public static async Task<Results<Ok<ListResponse<AuditEntry>>, ProblemHttpResult>> ReadAudit(
        HttpContext http, AccessService access, TimeProvider time, CancellationToken cancellationToken, string? from = null, string? to = null, int? top = null)
    {
        var now = time.GetUtcNow();
        if (!TryParseTime(from, now.AddDays(-7), out var start))
        {
            return ApiResults.Validation("from", "'from' must be an ISO 8601 date-time in UTC, e.g. 2026-11-01T00:00:00Z.");
        }

        if (!TryParseTime(to, now.AddSeconds(1), out var end))
        {
            return ApiResults.Validation("to", "'to' must be an ISO 8601 date-time in UTC, e.g. 2026-11-02T00:00:00Z.");
        }

        if (top is < 1 or > 5000)
        {
            return ApiResults.Validation("top", "'top' is between 1 and 5000.");
        }

        return ApiResults.Ok(await access.ReadAuditAsync(http.GetCaller(), start, end, top ?? 1000, cancellationToken), entries => ListResponse.Of(entries));
    }

    internal static bool TryParseTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value) &&
            value.Year is >= 2000 and <= 2200)
        {
            return true;
        }

        value = default;
        return false;
    }
}

public sealed record CollectionReference(string? ReferenceName, string? Type = null);

public sealed record CollectionRequest(string? FriendlyName = null, CollectionReference? ParentCollection = null, string? Description = null, string? Name = null);

public sealed record SystemData(string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt);

public sealed record CollectionResponse(string Name, string FriendlyName, string? Description, CollectionReference? ParentCollection, string CollectionProvisioningState, SystemData SystemData)
{
    public static CollectionResponse From(Collection c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Name, c.FriendlyName, c.Description, c.ParentName is null ? null : new CollectionReference(c.ParentName, "CollectionReference"), "Succeeded",
            new SystemData(c.CreatedBy, c.CreatedAt, c.LastModifiedAt));
    }
}

public sealed record RoleAssignmentResponse(string Collection, string Role, string Principal, DateTimeOffset GrantedAt, string GrantedBy, bool Inherited)
{
    public static RoleAssignmentResponse From(RoleAssignment a, string requestedCollection)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.CollectionName, a.Role.ToWire(), a.PrincipalName, a.GrantedAt, a.GrantedBy, !string.Equals(a.CollectionName, requestedCollection, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>The list shape of the Purview APIs: <c>{"value": [...], "count": n, "nextLink": ...}</c>.</summary>
public sealed record ListResponse<T>(IReadOnlyList<T> Value, int Count, string? NextLink = null);

public static class ListResponse
{
    public static ListResponse<T> Of<T>(IReadOnlyList<T> items, string? nextLink = null) => new(items, items.Count, nextLink);

    /// <summary>The list of <paramref name="items"/> in their wire shape.</summary>
    public static ListResponse<T> Of<TItem, T>(IEnumerable<TItem> items, Func<TItem, T> map, string? nextLink = null) => Of(items.Select(map).ToList(), nextLink);
}
