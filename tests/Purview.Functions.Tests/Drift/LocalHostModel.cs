using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Http;
using Purview.Core.Jobs;

namespace Purview.Functions.Tests.Drift;

/// <summary>One route of the local host as its endpoint table has it, with what the pipeline applies to it.</summary>
public sealed record LocalEndpoint(string Method, string Route, string Name, bool Anonymous, IReadOnlySet<string> Policies, long BodyLimit);

/// <summary>One scheduled job of the local host.</summary>
public sealed record LocalJob(string Name, string Schedule, Type JobType);

/// <summary>What the local host serves and runs, read from the real app (its endpoint data source and registered jobs).</summary>
public sealed record LocalHostModel(IReadOnlyList<LocalEndpoint> Endpoints, IReadOnlyList<LocalJob> Jobs)
{
    /// <summary>Routes only the local host serves, on purpose (the Functions app has no OpenAPI document).</summary>
    public static readonly IReadOnlySet<string> LocalOnlyRoutes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/openapi/v1.json",
        // Development sign-in for the dashboard: local only (in Azure, App Service Authentication signs people in).
        "/devauth/",
        "/devauth",
        "/devauth/token",
    };

    public static LocalHostModel Read(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var endpoints = new List<LocalEndpoint>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            if (LocalOnlyRoutes.Contains(route))
            {
                continue;
            }

            var metadata = endpoint.Metadata;
            var anonymous = metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var limit = metadata.GetMetadata<BodyLimit>()?.Bytes ?? BodyLimit.Default;
            var name = metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? route;
            foreach (var method in metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                endpoints.Add(new LocalEndpoint(method.ToUpperInvariant(), route, name, anonymous, policies, limit));
            }
        }

        var jobs = services.GetServices<IScheduledJob>().Select(j => new LocalJob(j.Name, j.Schedule, j.GetType())).ToList();
        return new LocalHostModel(endpoints, jobs);
    }
}
