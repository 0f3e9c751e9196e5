using Microsoft.AspNetCore.Authorization;
using Purview.Api.Identity;
using Purview.Core.Access;

namespace Purview.Api.Access;

/// <summary>
/// The authorization rules of every route group, in one place. A group policy answers "may this caller use this
/// group at all" (403 otherwise); which objects inside it the caller sees is decided per collection by the
/// use case with the <see cref="AccessSnapshot"/> (objects in collections the caller cannot see are 404).
/// </summary>
public static class AccessPolicies
{
    /// <summary>Scan registry, scan runs and scan monitoring: Data source admin on some collection.</summary>
    public const string DataSourceAdmin = "DataSourceAdmin";

    /// <summary>Link monitoring for Data Factory and Synapse: Data source admin or Collection admin on the root collection.</summary>
    public const string RootLinkMonitor = "RootLinkMonitor";

    /// <summary>Pushing lineage: Data curator on some collection (the link's collection is checked by the use case).</summary>
    public const string DataCurator = "DataCurator";

    /// <summary>Data map reads: Data reader on some collection.</summary>
    public const string DataReader = "DataReader";

    /// <summary>Connectors, imports and admin logs: Connector admin (root only).</summary>
    public const string ConnectorAdmin = "ConnectorAdmin";

    /// <summary>Collections, roles and audit: Collection admin on some collection (details checked per collection).</summary>
    public const string CollectionAdmin = "CollectionAdmin";

    /// <summary>Alert rules: Collection admin on the root collection.</summary>
    public const string RootAdmin = "RootAdmin";

    public static IServiceCollection AddAccessPolicies(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(DataSourceAdmin, p => p.AddRequirements(new RoleRequirement([Role.DataSourceAdmin], RootOnly: false)))
            .AddPolicy(RootLinkMonitor, p => p.AddRequirements(new RoleRequirement([Role.DataSourceAdmin, Role.CollectionAdmin], RootOnly: true)))
            .AddPolicy(DataCurator, p => p.AddRequirements(new RoleRequirement([Role.DataCurator], RootOnly: false)))
            .AddPolicy(DataReader, p => p.AddRequirements(new RoleRequirement([Role.DataReader], RootOnly: false)))
            .AddPolicy(ConnectorAdmin, p => p.AddRequirements(new RoleRequirement([Role.ConnectorAdmin], RootOnly: true)))
            .AddPolicy(CollectionAdmin, p => p.AddRequirements(new RoleRequirement([Role.CollectionAdmin], RootOnly: false)))
            .AddPolicy(RootAdmin, p => p.AddRequirements(new RoleRequirement([Role.CollectionAdmin], RootOnly: true)));
        return services;
    }
}

/// <summary>Holds when the caller has one of <paramref name="AnyOf"/> on some collection (or on the root, when <paramref name="RootOnly"/>).</summary>
public sealed record RoleRequirement(IReadOnlyList<Role> AnyOf, bool RootOnly) : IAuthorizationRequirement;

internal sealed class RoleRequirementHandler(AccessService access) : AuthorizationHandler<RoleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        if (context.User.ToPrincipal() is not { } caller)
        {
            return;
        }

        var snapshot = await access.GetSnapshotAsync(CancellationToken.None);
        var holds = requirement.RootOnly
            ? requirement.AnyOf.Any(r => snapshot.HasRole(caller, r, snapshot.RootName))
            : requirement.AnyOf.Any(r => snapshot.HasRoleAnywhere(caller, r));
        if (holds)
        {
            context.Succeed(requirement);
        }
    }
}
