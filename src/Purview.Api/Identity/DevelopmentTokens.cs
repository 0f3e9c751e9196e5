using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Purview.Core.Access;

namespace Purview.Api.Identity;

/// <summary>Issues development tokens: HS256 JWTs from <see cref="DevelopmentTokenOptions.Issuer"/> for <see cref="DevelopmentTokenOptions.Audience"/>.</summary>
public sealed class DevelopmentTokenIssuer(DevelopmentSigningKey key, TimeProvider time, IOptions<PurviewIdentityOptions> options)
{
    /// <summary>A token whose <c>sub</c> and <c>name</c> are <paramref name="principalName"/>, valid from now for <paramref name="lifetime"/> (default: configured, 8 hours).</summary>
    public string Issue(string principalName, TimeSpan? lifetime = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(principalName);
        var duration = lifetime ?? TimeSpan.FromHours(options.Value.Development.TokenHours);
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), duration, "A token lifetime must be positive.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = DevelopmentTokenOptions.Issuer,
            Audience = DevelopmentTokenOptions.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + duration,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = principalName,
                [PurviewClaimTypes.Name] = principalName,
            },
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}

/// <summary>The outcome of checking a development token: the principal, or why it was rejected.</summary>
public sealed record DevelopmentTokenValidation(ClaimsPrincipal? Principal, Exception? Failure)
{
    public bool IsValid => Principal is not null;
}

/// <summary>
/// Validates development tokens: HS256 only (no "none", no other algorithm), signature against the local key,
/// issuer, audience, and exp/nbf against <see cref="TimeProvider"/> with 30 seconds of clock skew.
/// </summary>
public sealed class DevelopmentTokenValidator(DevelopmentSigningKey key, TimeProvider time)
{
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<DevelopmentTokenValidation> ValidateAsync(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = DevelopmentTokenOptions.Issuer,
            ValidAudience = DevelopmentTokenOptions.Audience,
            IssuerSigningKey = key.Key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = TokenLifetime.Validator(time),
            NameClaimType = PurviewClaimTypes.Name,
            RoleClaimType = PurviewClaimTypes.Role,
        };
        var result = await Handler.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            return new DevelopmentTokenValidation(null, result.Exception ?? new SecurityTokenValidationException("The token is invalid."));
        }

        var claims = result.ClaimsIdentity;
        var name = claims.FindFirst(PurviewClaimTypes.Name)?.Value ?? claims.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        if (string.IsNullOrWhiteSpace(name))
        {
            return new DevelopmentTokenValidation(null, new AuthenticationFailureException("The token names no principal (no name or sub claim)."));
        }

        return new DevelopmentTokenValidation(PrincipalClaims.Create(name, null, AuthenticationKinds.DevelopmentToken, claims.Claims), null);
    }

    /// <summary>The <c>iss</c> of a JWT without validating anything, to route it to the right scheme; null when unreadable.</summary>
    public static string? PeekIssuer(string token)
    {
        try
        {
            return Handler.CanReadToken(token) ? new JsonWebToken(token).Issuer : null;
        }
        catch (ArgumentException)
        {
            // Includes SecurityTokenMalformedException.
            return null;
        }
    }
}
