using Purview.Api.Identity;
using Purview.Core.Access;

namespace Purview.Api.Access;

/// <summary>The caller as the domain sees it. Routes that reach a handler are authenticated (fallback policy).</summary>
public static class CallerExtensions
{
    public static Principal GetCaller(this HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.ToPrincipal()
            ?? throw new InvalidOperationException("The route needs an authenticated caller but none was established.");
    }
}
