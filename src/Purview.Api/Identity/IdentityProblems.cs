using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace Purview.Api.Identity;

/// <summary>The 401 answer of every scheme: an RFC 7807 problem saying why, and <c>WWW-Authenticate: Bearer</c>.</summary>
public static class IdentityProblems
{
    public const string MissingCredentials = "The request carries no credentials: send 'Authorization: Bearer <token>'.";

    public const string ClientPrincipalNotTrusted =
        "X-MS-CLIENT-PRINCIPAL is not trusted on this host: App Service Authentication is not enabled here (Identity:AppServiceAuthentication:Enabled), so the header may have been sent by anyone.";

    public const string DevelopmentTokensNotAccepted = "Development tokens are not accepted on this host: they are accepted only by hosts running in the Development environment.";

    /// <summary>A 401 problem as an <see cref="IResult"/>, for handlers that authenticate themselves (the Functions app).</summary>
    public static IResult Unauthorized(string detail, bool invalidToken = true) => new UnauthorizedProblem(detail, invalidToken);

    public static async Task WriteUnauthorizedAsync(HttpContext context, string detail, bool invalidToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750: "invalid_token" when a credential was sent but rejected; the reason is in the problem body.
        context.Response.Headers.WWWAuthenticate = invalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        var problem = new ProblemDetails
        {
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.2",
            Title = "Unauthorized",
            Status = StatusCodes.Status401Unauthorized,
            Detail = detail,
        };
        var writer = context.RequestServices.GetService<IProblemDetailsService>();
        if (writer is null || !await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            await context.Response.WriteAsJsonAsync(problem, options: null, contentType: "application/problem+json", context.RequestAborted);
        }
    }

    /// <summary>Why a credential was rejected, in words for the caller (no token contents, no library error codes).</summary>
    public static string Describe(Exception? failure) => failure switch
    {
        null => MissingCredentials,
        SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:yyyy-MM-ddTHH:mm:ssZ}.",
        SecurityTokenNotYetValidException => "The token is not valid yet (its nbf is in the future).",
        SecurityTokenNoExpirationException => "The token has no expiry (exp is required).",
        SecurityTokenInvalidLifetimeException => "The token's lifetime (nbf/exp) is invalid.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted.",
        SecurityTokenSignatureKeyNotFoundException => "The token's signature does not match any signing key of this host.",
        SecurityTokenInvalidSignatureException => "The token's signature is missing or invalid.",
        SecurityTokenInvalidIssuerException => "The token's issuer is not accepted on this host.",
        SecurityTokenInvalidAudienceException => "The token's audience is not accepted on this host.",
        SecurityTokenMalformedException or ArgumentException => "The bearer token is not a well-formed JWT.",
        AuthenticationFailureException own => own.Message,
        _ => "The bearer token could not be validated.",
    };

    private sealed class UnauthorizedProblem(string detail, bool invalidToken) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteUnauthorizedAsync(httpContext, detail, invalidToken);
    }
}
