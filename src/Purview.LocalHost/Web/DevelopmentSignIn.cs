using Microsoft.AspNetCore.Http.HttpResults;
using Purview.Api.Http;
using Purview.Api.Identity;

namespace Purview.LocalHost.Web;

public sealed record DevelopmentSignInRequest(string? Name);

public sealed record DevelopmentSignInResponse(string Token, DateTimeOffset ExpiresOn);

/// <summary>
/// The dashboard's sign-in on a Development host: mints a development token for a typed principal name with the
/// host's <see cref="DevelopmentTokenIssuer"/> (the same as <c>./run.sh token</c>). Not mapped at all elsewhere, and
/// development tokens are refused by non-Development hosts anyway. Local host only: the Functions app never runs in
/// Development in Azure.
/// </summary>
public static class DevelopmentSignIn
{
    public const int MaxNameLength = 256;

    public static IEndpointRouteBuilder MapDevelopmentSignIn(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/devauth").WithTags("Development sign-in").AllowAnonymous().WithDocumentedErrors();
        group.MapGet("", () => TypedResults.Ok(new { enabled = true })).WithName("DevelopmentSignInInfo").WithSummary("Whether development sign-in is available (Development only).");
        group.MapPost("/token", Issue).WithName("DevelopmentSignIn").WithSummary("Issues a development token for a principal name (Development only, loopback callers only).").WithBodyLimit(4 * 1024);
        return routes;
    }

    public static Results<Ok<DevelopmentSignInResponse>, ProblemHttpResult> Issue(
        DevelopmentSignInRequest body, HttpContext http, DevelopmentTokenIssuer issuer, TimeProvider time, Microsoft.Extensions.Options.IOptions<PurviewIdentityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(http);
        // A page on any site can make the browser POST here through a DNS name that resolves to 127.0.0.1 (DNS
        // rebinding), or cross-origin: tokens go only to requests addressed to this machine by a loopback name, from
        // a loopback page (or no page at all, e.g. curl).
        var origin = http.Request.Headers.Origin.ToString();
        if (!IsLoopbackHost(http.Request.Host.Host)
            || (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var from) && from.Scheme is "http" or "https" && IsLoopbackHost(from.Host))))
        {
            return ApiResults.Problem(Purview.Core.Common.Error.Forbidden("Development sign-in answers only requests to a loopback host (localhost, 127.0.0.1, [::1]) from a loopback origin."));
        }

        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        var name = body.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            return ApiResults.Validation("name", $"name is the principal to sign in as: 1 to {MaxNameLength} characters, no control characters.");
        }

        var lifetime = TimeSpan.FromHours(options.Value.Development.TokenHours);
        return TypedResults.Ok(new DevelopmentSignInResponse(issuer.Issue(name, lifetime), time.GetUtcNow() + lifetime));
    }

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
