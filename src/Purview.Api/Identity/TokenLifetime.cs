using Microsoft.IdentityModel.Tokens;

namespace Purview.Api.Identity;

/// <summary>
/// exp/nbf checked against <see cref="TimeProvider"/> (the token library reads the system clock otherwise, which tests
/// cannot move). Throws the library's own exceptions so that failures read the same as the built-in check.
/// </summary>
internal static class TokenLifetime
{
    public static LifetimeValidator Validator(TimeProvider time) => (notBefore, expires, _, parameters) =>
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null && parameters.RequireExpirationTime)
        {
            throw new SecurityTokenNoExpirationException("The token has no expiry.");
        }

        if (notBefore is { } nbf && expires is { } end && nbf > end)
        {
            throw new SecurityTokenInvalidLifetimeException("The token's nbf is after its exp.") { NotBefore = nbf, Expires = end };
        }

        if (notBefore is { } start && start > now + parameters.ClockSkew)
        {
            throw new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = start };
        }

        if (expires is { } exp && exp < now - parameters.ClockSkew)
        {
            throw new SecurityTokenExpiredException("The token expired.") { Expires = exp };
        }

        return true;
    };
}
