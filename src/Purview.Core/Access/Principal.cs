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

    /// <summary>What <see cref="IsValidName"/> accepts, as an error message.</summary>
    public const string NameRule =
        "The principal is 1-256 letters, digits and ' . - _ ! # ^ ~ @ (a user principal name, an e-mail address or an object id), without spaces.";

    /// <summary>
    /// The names a role can be granted to: what Entra ID allows in a user principal name (letters, digits and
    /// ' . - _ ! # ^ ~, plus @), which also covers e-mail addresses and object ids. Anything else - slashes, spaces,
    /// quotes of a query language, bidirectional or emoji characters - is no principal any identity provider issues.
    /// </summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= 256 } && name.All(c => char.IsLetterOrDigit(c) || c is '\'' or '.' or '-' or '_' or '!' or '#' or '^' or '~' or '@');

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
