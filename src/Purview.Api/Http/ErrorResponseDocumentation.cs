using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Purview.Api.Http;

/// <summary>
/// Declares, on every endpoint it is applied to, the error responses the shared pipeline can give it, in the body
/// shape that route answers (<see cref="PurviewErrorWriter"/> on <c>/scan</c> and <c>/datamap</c>, RFC 7807
/// elsewhere), so that the OpenAPI document lists them. Decided from what the endpoint is, after every other
/// convention has run: 400 when it takes input (route or query parameters, a body, <c>/scan</c>'s api-version),
/// 401 and 429 unless anonymous, 403 when a policy guards it or it writes, 404 when it names a resource, 409 on
/// PUT and DELETE, 413 and 415 when it reads a body. Statuses an endpoint already declares are left as declared.
/// </summary>
public static class ErrorResponseDocumentation
{
    private static readonly string[] ProblemJson = ["application/problem+json"];
    private static readonly string[] Json = ["application/json"];

    public static TBuilder WithDocumentedErrors<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Finally(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route)
            {
                return;
            }

            var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).ToHashSet();
            var (type, contentTypes) = ErrorShape(route.RoutePattern.RawText ?? string.Empty);
            foreach (var status in StatusesOf(route))
            {
                if (declared.Add(status))
                {
                    endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, type, contentTypes));
                }
            }
        });
        return builder;
    }

    /// <summary>The body type and media type of an error on this route.</summary>
    public static (Type Type, string[] ContentTypes) ErrorShape(string route)
    {
        var path = new PathString("/" + route.TrimStart('/'));
        return PurviewErrorWriter.IsDataMapRoute(path) ? (typeof(AtlasErrorResponse), Json)
            : PurviewErrorWriter.IsPurviewRoute(path) ? (typeof(ScanErrorResponse), Json)
            : (typeof(ProblemDetails), ProblemJson);
    }

    private static SortedSet<int> StatusesOf(RouteEndpointBuilder endpoint)
    {
        var metadata = endpoint.Metadata;
        var routeParameters = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = metadata.OfType<MethodInfo>().LastOrDefault();
        var queryParameters = handler?.GetParameters().Count(p => p.Name is { } name && !routeParameters.Contains(name) && IsQueryValue(p.ParameterType)) ?? 0;
        var hasBody = metadata.OfType<IAcceptsMetadata>().Any();
        var methods = metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
        var writes = methods.Any(m => m is "PUT" or "POST" or "DELETE" or "PATCH");
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policy = metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null);
        var path = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');

        var statuses = new SortedSet<int>();
        if (routeParameters.Count > 0 || queryParameters > 0 || hasBody || path.StartsWith("/scan/", StringComparison.OrdinalIgnoreCase))
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        if (!anonymous)
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
            statuses.Add(StatusCodes.Status429TooManyRequests);
            if (policy || writes)
            {
                statuses.Add(StatusCodes.Status403Forbidden);
            }
        }

        if (routeParameters.Count > 0)
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if (methods.Any(m => m is "PUT" or "DELETE"))
        {
            statuses.Add(StatusCodes.Status409Conflict);
        }

        if (hasBody)
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
            statuses.Add(StatusCodes.Status415UnsupportedMediaType);
        }

        return statuses;
    }

    /// <summary>Parameters the binding reads from the query string: strings and parsable values (the rest are services, the body, the context).</summary>
    private static bool IsQueryValue(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(Guid) || t == typeof(DateOnly);
    }
}
