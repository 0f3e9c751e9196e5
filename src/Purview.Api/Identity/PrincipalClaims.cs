using System.Security.Claims;
using Purview.Core.Access;

namespace Purview.Api.Identity;

/// <summary>Builds the one claims shape every scheme produces, and reads a <see cref="Principal"/> back from it.</summary>
public static class PrincipalClaims
{
    /// <summary>
    /// A principal whose identity has <paramref name="kind"/> as authentication type, <see cref="PurviewClaimTypes.Name"/>
    /// as name claim and <see cref="PurviewClaimTypes.Role"/> as role claim; <paramref name="otherClaims"/> are kept
    /// (except name and object id, which are set from the arguments).
    /// </summary>
    public static ClaimsPrincipal Create(string name, string? objectId, string kind, IEnumerable<Claim>? otherClaims = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var identity = new ClaimsIdentity(kind, PurviewClaimTypes.Name, PurviewClaimTypes.Role);
        identity.AddClaim(new Claim(PurviewClaimTypes.Name, name));
        if (!string.IsNullOrWhiteSpace(objectId))
        {
            identity.AddClaim(new Claim(PurviewClaimTypes.ObjectId, objectId));
        }

        foreach (var claim in otherClaims ?? [])
        {
            if (claim.Type is not (PurviewClaimTypes.Name or PurviewClaimTypes.ObjectId))
            {
                identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType));
            }
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The caller, or null when the principal is not authenticated by one of our schemes.</summary>
    public static Principal? ToPrincipal(this ClaimsPrincipal? user)
    {
        var identity = user?.Identities.FirstOrDefault(i => i.IsAuthenticated && i.FindFirst(PurviewClaimTypes.Name) is not null);
        if (identity is null)
        {
            return null;
        }

        var name = identity.FindFirst(PurviewClaimTypes.Name)!.Value;
        return new Principal(name, identity.FindFirst(PurviewClaimTypes.ObjectId)?.Value, identity.AuthenticationType!);
    }
}

/// <summary><see cref="ICurrentPrincipal"/> over the current request's user (local host; in the Functions app, pass the request's user explicitly).</summary>
public sealed class HttpContextCurrentPrincipal(IHttpContextAccessor accessor) : ICurrentPrincipal
{
    public Principal? Current => accessor.HttpContext?.User.ToPrincipal();
}
