using Purview.Core.Access;

namespace Purview.Api.Identity;

/// <summary>The authentication scheme names; each concrete scheme is named after the <see cref="AuthenticationKinds"/> it produces.</summary>
public static class IdentitySchemes
{
    /// <summary>The default scheme: forwards each request to one of the others (see <see cref="IdentitySchemeSelector"/>).</summary>
    public const string Default = "Purview";

    public const string EntraId = AuthenticationKinds.EntraId;

    public const string AppServiceAuthentication = AuthenticationKinds.AppServiceAuthentication;

    public const string DevelopmentToken = AuthenticationKinds.DevelopmentToken;
}

/// <summary>The claims every authenticated principal carries, whatever the scheme.</summary>
public static class PurviewClaimTypes
{
    public const string Name = "name";
    public const string ObjectId = "oid";
    public const string Role = "roles";
}
