using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Purview.Core.Access;

namespace Purview.Api.Access;

/// <summary>The caller as the domain sees it. Routes that reach here are authenticated (fallback policy).</summary>
public static class CallerExtensions
{
    public static Principal GetCaller(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = http.User;
        var name = user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The route needs an authenticated caller but none was established.");
        return new Principal(name, user.FindFirstValue("oid"), user.Identity?.AuthenticationType ?? "unknown");
    }
}
