using Microsoft.AspNetCore.Routing;
using Purview.Api.Access;
using Purview.Api.DataMap;
using Purview.Api.Links;
using Purview.Api.Health;
using Purview.Api.Identity;

namespace Purview.Api.Hosting;

/// <summary>Every route of the API, registered in one place for the local host (the Functions app has one function per route).</summary>
public static class PurviewEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapPurviewApi(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthEndpoints();
        routes.MapAccessEndpoints();
        routes.MapIdentityEndpoints();
        routes.MapLinkEndpoints().MapLinkMonitoringEndpoints().MapDataMapEndpoints();
        return routes;
    }
}
