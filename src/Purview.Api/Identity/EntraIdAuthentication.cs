using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Purview.Core.Access;

namespace Purview.Api.Identity;

/// <summary>
/// Entra ID bearer tokens through JwtBearer: issuer, audience, lifetime (against <see cref="TimeProvider"/>) and signature,
/// with the signing keys from the authority's OpenID metadata. Claims keep their JWT names (no inbound mapping).
/// </summary>
public static class EntraIdAuthentication
{
    private static readonly string[] NameClaims = ["preferred_username", "upn", "email"];

    public static void Configure(JwtBearerOptions options, EntraIdOptions entra, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(entra);
        options.Authority = entra.Authority;
        options.Audience = entra.Audience;
        options.MapInboundClaims = false;
        options.TimeProvider = time;
        var parameters = options.TokenValidationParameters;
        parameters.ValidateIssuer = true;
        parameters.ValidateAudience = true;
        parameters.ValidateLifetime = true;
        parameters.ValidateIssuerSigningKey = true;
        parameters.RequireSignedTokens = true;
        parameters.RequireExpirationTime = true;
        parameters.ValidAudience = entra.Audience;
        parameters.LifetimeValidator = TokenLifetime.Validator(time);
        parameters.ClockSkew = TimeSpan.FromMinutes(2);
        if (!string.IsNullOrWhiteSpace(entra.TenantId))
        {
            // v2.0 and v1.0 issuers of the tenant; with a multi-tenant authority ("organizations") the metadata issuer is a template.
            parameters.ValidIssuers = [$"https://login.microsoftonline.com/{entra.TenantId}/v2.0", $"https://sts.windows.net/{entra.TenantId}/"];
        }

        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var claims = context.Principal!.Claims.ToList();
                string? Claim(string type) => claims.Find(c => c.Type == type && !string.IsNullOrWhiteSpace(c.Value))?.Value;

                if (!string.IsNullOrWhiteSpace(entra.TenantId) && !string.Equals(Claim("tid"), entra.TenantId, StringComparison.OrdinalIgnoreCase))
                {
                    context.Fail("The token was issued for another tenant.");
                    return Task.CompletedTask;
                }

                var objectId = Claim("oid");
                var name = NameClaims.Select(Claim).FirstOrDefault(n => n is not null) ?? objectId;
                if (name is null)
                {
                    context.Fail("The token names no principal (no preferred_username, upn, email or oid claim).");
                    return Task.CompletedTask;
                }

                context.Principal = PrincipalClaims.Create(name, objectId, AuthenticationKinds.EntraId, claims);
                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                await IdentityProblems.WriteUnauthorizedAsync(context.HttpContext, IdentityProblems.Describe(context.AuthenticateFailure), context.AuthenticateFailure is not null);
            },
        };
    }
}
