using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Purview.Core.Access;

namespace Purview.Api.Identity;

/// <summary>
/// App Service Authentication ("Easy Auth"): App Service authenticates the user and passes the result in
/// X-MS-CLIENT-PRINCIPAL (base64 JSON) and X-MS-CLIENT-PRINCIPAL-NAME/-ID, after stripping any such header the client
/// sent. That is the only reason the headers can be trusted, so they are trusted only when
/// <see cref="AppServiceAuthenticationOptions.Enabled"/> says the app runs behind it; otherwise the request is rejected.
/// </summary>
public sealed class AppServiceAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptionsMonitor<PurviewIdentityOptions> identity)
    : ProblemChallengeAuthenticationHandler(options, logger, encoder)
{
    public const string ClientPrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string ClientPrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";
    public const string ClientPrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";

    private static readonly string[] NameClaimTypes = ["preferred_username", "upn", "email", ClaimTypes.Upn, ClaimTypes.Email, ClaimTypes.Name, "name"];
    private static readonly string[] ObjectIdClaimTypes = ["oid", "http://schemas.microsoft.com/identity/claims/objectidentifier"];

    /// <summary>True when the request carries any X-MS-CLIENT-PRINCIPAL* header.</summary>
    public static bool HasClientPrincipalHeaders(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.Keys.Any(k => k.StartsWith(ClientPrincipalHeader, StringComparison.OrdinalIgnoreCase));
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? encoded = Request.Headers[ClientPrincipalHeader];
        if (encoded is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!identity.CurrentValue.AppServiceAuthentication.Enabled)
        {
            Logger.LogWarning("Rejected a request carrying {Header} on a host not configured for App Service Authentication.", ClientPrincipalHeader);
            return Task.FromResult(AuthenticateResult.Fail(IdentityProblems.ClientPrincipalNotTrusted));
        }

        var principal = Decode(encoded);
        if (principal is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL is not base64-encoded JSON of a client principal."));
        }

        var claims = (principal.Claims ?? []).Where(c => !string.IsNullOrEmpty(c.Type) && c.Value is not null).Select(c => new Claim(c.Type!, c.Value!)).ToList();
        string? First(IEnumerable<string?> types) =>
            types.Where(t => !string.IsNullOrEmpty(t)).Select(t => claims.Find(c => c.Type == t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

        var objectId = NonEmpty(Request.Headers[ClientPrincipalIdHeader]) ?? First(ObjectIdClaimTypes);
        var name = NonEmpty(Request.Headers[ClientPrincipalNameHeader]) ?? First([principal.NameClaimType, .. NameClaimTypes]) ?? objectId;
        if (name is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL names no principal (no name header, name claim or object id)."));
        }

        // Roles keep our role claim type whatever App Service called them.
        var roleType = string.IsNullOrEmpty(principal.RoleClaimType) ? ClaimTypes.Role : principal.RoleClaimType;
        var other = claims.Select(c => c.Type == roleType ? new Claim(PurviewClaimTypes.Role, c.Value) : c);
        var user = PrincipalClaims.Create(name, objectId, AuthenticationKinds.AppServiceAuthentication, other);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(user, Scheme.Name)));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ClientPrincipal? Decode(string encoded)
    {
        try
        {
            return JsonSerializer.Deserialize<ClientPrincipal>(Convert.FromBase64String(encoded.Trim()));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ClientPrincipal(
        [property: JsonPropertyName("auth_typ")] string? AuthenticationType,
        [property: JsonPropertyName("claims")] IReadOnlyList<ClientPrincipalClaim>? Claims,
        [property: JsonPropertyName("name_typ")] string? NameClaimType,
        [property: JsonPropertyName("role_typ")] string? RoleClaimType);

    private sealed record ClientPrincipalClaim(
        [property: JsonPropertyName("typ")] string? Type,
        [property: JsonPropertyName("val")] string? Value);
}
