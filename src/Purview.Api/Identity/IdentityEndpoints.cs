using System.Security.Claims;

namespace Purview.Api.Identity;

public static class IdentityEndpoints
{
    public static IEndpointRouteBuilder MapIdentityEndpoints(this IEndpointRouteBuilder routes)
    {
        var account = routes.MapGroup("/account").WithTags("Identity").RequireAuthorization();
        account.MapGet("/me", GetMe)
            .WithName("GetAccount")
            .WithSummary("The authenticated caller: name, directory object id (when known) and how they authenticated.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return routes;
    }

    public static Results<Ok<AccountResponse>, UnauthorizedHttpResult> GetMe(ClaimsPrincipal user)
    {
        var principal = user.ToPrincipal();
        return principal is null
            ? TypedResults.Unauthorized()
            : TypedResults.Ok(new AccountResponse(principal.Name, principal.ObjectId, principal.AuthenticationKind));
    }
}

public sealed record AccountResponse(string Name, string? ObjectId, string AuthenticationKind);
