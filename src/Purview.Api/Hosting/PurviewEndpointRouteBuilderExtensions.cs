using Purview.Api.Alerts;
using Purview.Api.Classification;
using Purview.Api.Connectors;
using Purview.Api.DataMap;
using Purview.Api.Links;
using Purview.Api.Health;
using Purview.Api.Identity;
using Purview.Api.Monitoring;
using Purview.Api.ScanRuns;
using Purview.Api.Registry;

namespace Purview.Api.Hosting;

/// <summary>Every route of the API, registered in one place for the local host (the Functions app has one function per route).</summary>
public static class PurviewEndpointRouteBuilderExtensions
{
    public static IEndpointRouteBuilder MapPurviewApi(this IEndpointRouteBuilder routes)
    {
        // One group without a prefix, so that every route gets its error responses documented the same way.
        var api = routes.MapGroup(string.Empty).WithDocumentedErrors();
        api.MapHealthEndpoints();
        api.MapAccessEndpoints();
        api.MapIdentityEndpoints();
        api.MapScanRunEndpoints();
        api.MapMonitoringEndpoints();
        api.MapAlertEndpoints();
        api.MapRegistryEndpoints();
        api.MapClassificationEndpoints();
        api.MapConnectorEndpoints();
        api.MapLinkEndpoints().MapLinkMonitoringEndpoints().MapDataMapEndpoints();
        return routes;
    }
}
