using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Purview.Api.Identity;

/// <summary>
/// Authentication run by a handler itself, for hosts whose routes are not behind <see cref="IdentityServiceCollectionExtensions.UsePurviewIdentity"/>
/// (the Functions app: its HTTP functions are not ASP.NET Core endpoints, so no fallback policy applies to them).
/// </summary>
public static class RequestAuthentication
{
    /// <summary>
    /// Authenticates the request with the default scheme, as the middleware would, and sets <see cref="HttpContext.User"/>.
    /// Returns null when the caller is authenticated, else the 401 problem to answer with.
    /// </summary>
    public static async Task<IResult?> AuthenticateOrChallengeAsync(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (AppServiceAuthenticationHandler.HasClientPrincipalHeaders(context.Request)
            && !context.RequestServices.GetRequiredService<IOptionsMonitor<PurviewIdentityOptions>>().CurrentValue.AppServiceAuthentication.Enabled)
        {
            return IdentityProblems.Unauthorized(IdentityProblems.ClientPrincipalNotTrusted);
        }

        var result = await context.AuthenticateAsync(IdentitySchemes.Default);
        if (result.Succeeded)
        {
            context.User = result.Principal;
            return null;
        }

        return IdentityProblems.Unauthorized(IdentityProblems.Describe(result.Failure), invalidToken: result.Failure is not null);
    }
}
