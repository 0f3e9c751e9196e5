using Purview.Api.Identity;

namespace Purview.Functions.Identity;

/// <summary>
/// The HTTP functions of the Identity route group. With ConfigureFunctionsWebApplication the request is a real ASP.NET Core
/// HttpContext whose RequestServices hold AddPurviewMonitoring's registrations (authentication schemes included), but a
/// function is not an ASP.NET Core endpoint: no fallback policy guards it, so <see cref="HandlerPipeline"/> authenticates
/// (and sets request.HttpContext.User) before the handler runs.
/// </summary>
public static class IdentityFunctions
{
    [Function("GetAccount")]
    public static Task<IResult> GetAccount(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "account/me")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request, null, _ => Task.FromResult(IdentityEndpoints.GetMe(request.HttpContext.User)));
}
