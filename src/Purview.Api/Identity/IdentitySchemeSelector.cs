using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Purview.Api.Identity;

/// <summary>Which scheme authenticates a request; the default (policy) scheme forwards to it.</summary>
public static class IdentitySchemeSelector
{
    public static string Select(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Headers.ContainsKey(AppServiceAuthenticationHandler.ClientPrincipalHeader))
        {
            // Whether the header is trusted is that scheme's decision: it rejects it unless enabled.
            return IdentitySchemes.AppServiceAuthentication;
        }

        var token = GetBearerToken(context.Request);
        if (token is not null && DevelopmentTokenValidator.PeekIssuer(token) != DevelopmentTokenOptions.Issuer
            && context.RequestServices.GetRequiredService<IOptionsMonitor<PurviewIdentityOptions>>().CurrentValue.EntraId.IsEnabled)
        {
            return IdentitySchemes.EntraId;
        }

        // Development tokens, a missing token, and tokens no configured scheme accepts (it says why).
        return IdentitySchemes.DevelopmentToken;
    }

    /// <summary>The token of an <c>Authorization: Bearer</c> header, or null.</summary>
    public static string? GetBearerToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? authorization = request.Headers[HeaderNames.Authorization];
        const string prefix = "Bearer ";
        if (authorization is null || !authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[prefix.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
