using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Http;
using Purview.Api.Identity;
using Purview.Core.Common;

namespace Purview.Functions;

/// <summary>
/// What the local host's pipeline does for an endpoint and a function must do itself: authenticate, apply the route
/// group's policy (403 when it does not hold), and read the JSON body with the API's strict options (400 naming the field).
/// </summary>
public static class FunctionHttp
{
    /// <summary>Null when the caller is authenticated and holds <paramref name="policy"/>; else the 401/403 to answer.</summary>
    public static async Task<IResult?> AuthorizeAsync(HttpRequest request, string policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        var challenge = await request.HttpContext.AuthenticateOrChallengeAsync();
        if (challenge is not null)
        {
            return challenge;
        }

        var authorization = request.HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(request.HttpContext.User, policy);
        return result.Succeeded ? null : ApiResults.Problem(Error.Forbidden($"This route needs the {policy} policy: the caller lacks the role it requires."));
    }

    /// <summary>The body, or the 400/415 problem when it is missing or malformed (the rules of <see cref="HandlerPipeline.ReadJsonAsync"/>).</summary>
    public static async Task<(T? Body, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return (await HandlerPipeline.ReadJsonAsync<T>(request), null);
        }
        catch (BadHttpRequestException ex)
        {
            return (null, ApiExceptionHandler.ProblemFor(ex));
        }
    }
}
