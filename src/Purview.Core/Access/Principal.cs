namespace Purview.Core.Access;

/// <summary>
/// Who is calling, as features see it: a name, the directory object id when the identity provider gives one,
/// and how the caller authenticated (<see cref="AuthenticationKinds"/>). Names compare case-insensitively
/// (alice@contoso.com and Alice@Contoso.com are the same person), object ids too (they are GUIDs).
/// </summary>
public sealed record Principal
{
    public Principal(string name, string? objectId, string authenticationKind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationKind);
        Name = name;
        ObjectId = string.IsNullOrWhiteSpace(objectId) ? null : objectId;
        AuthenticationKind = authenticationKind;
    }

    /// <summary>How principal names compare everywhere (ownership, role assignments, lookups).</summary>
    public static StringComparer NameComparer => StringComparer.OrdinalIgnoreCase;

    public string Name { get; }

    public string? ObjectId { get; }

    public string AuthenticationKind { get; }

    public bool HasName(string? name) => name is not null && NameComparer.Equals(Name, name);

    public bool Equals(Principal? other) =>
        other is not null
        && NameComparer.Equals(Name, other.Name)
        && string.Equals(ObjectId, other.ObjectId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(AuthenticationKind, other.AuthenticationKind, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(
        NameComparer.GetHashCode(Name),
        ObjectId is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(ObjectId),
        AuthenticationKind);
}

/// <summary>The ways a caller can authenticate; the value of <see cref="Principal.AuthenticationKind"/>.</summary>
public static class AuthenticationKinds
{
    /// <summary>A bearer token issued by Microsoft Entra ID.</summary>
    public const string EntraId = "EntraId";

    /// <summary>App Service Authentication ("Easy Auth") in front of the app, passing X-MS-CLIENT-PRINCIPAL.</summary>
    public const string AppServiceAuthentication = "AppServiceAuthentication";

    /// <summary>A development token signed with the local key (Development hosts only).</summary>
    public const string DevelopmentToken = "DevelopmentToken";
}

/// <summary>The caller of the current request, for features that should not know about HTTP or claims.</summary>
public interface ICurrentPrincipal
{
    /// <summary>The authenticated caller, or null when the request is anonymous (only on anonymous routes).</summary>
    Principal? Current { get; }
}
