using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Identity;

namespace Purview.Functions.Identity;

/// <summary>
/// The HTTP functions of the Identity route group. With ConfigureFunctionsWebApplication the request is a real ASP.NET Core
/// HttpContext whose RequestServices hold AddPurviewMonitoring's registrations (authentication schemes included), but a
/// function is not an ASP.NET Core endpoint: no fallback policy guards it. So every function that needs a caller
/// authenticates first with <see cref="RequestAuthentication.AuthenticateOrChallengeAsync"/> (which also sets
/// request.HttpContext.User) and returns its 401 problem when there is no caller.
/// </summary>
public static class IdentityFunctions
{
    [Function("GetAccount")]
    public static async Task<IResult> GetAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/me")] HttpRequest request)
    {
        var challenge = await request.HttpContext.AuthenticateOrChallengeAsync();
        return challenge ?? IdentityEndpoints.GetMe(request.HttpContext.User);
    }
}
