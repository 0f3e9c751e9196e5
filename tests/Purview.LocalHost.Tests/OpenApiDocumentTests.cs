using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Purview.Testing;
using Xunit;

namespace Purview.LocalHost.Tests;

public sealed class OpenApiDocumentTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>Endpoints left out of the document on purpose; any other exclusion is a route that went undocumented.</summary>
    private static readonly HashSet<string> Undocumented = new(StringComparer.Ordinal) { "GET /openapi/v1.json" };

    [Fact]
    public async Task Every_mapped_route_is_documented_with_a_summary_its_parameters_and_its_error_responses()
    {
        await using var factory = new PurviewApplicationFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = doc.RootElement.GetProperty("paths");
        var endpoints = MappedEndpoints(factory.Services);
        // The document would pass trivially if the endpoint table were read wrong.
        Assert.True(endpoints.Count > 80, $"only {endpoints.Count} endpoints read");
        Assert.Contains(endpoints, e => e is { Method: "PUT", Route: "/scan/datasources/{dataSourceName}/scans/{scanName}/runs/{runId}" });

        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var name = $"{endpoint.Method} {endpoint.Route}";
            if (Undocumented.Contains(name))
            {
                continue;
            }

            if (!paths.TryGetProperty(endpoint.Route, out var path) || !path.TryGetProperty(endpoint.Method.ToLowerInvariant(), out var operation))
            {
                problems.Add($"{name}: not in the document");
                continue;
            }

            problems.AddRange(Check(name, endpoint, operation));
        }

        Assert.True(problems.Count == 0, $"{problems.Count} documentation problems:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public async Task Errors_are_documented_in_the_shape_each_route_answers()
    {
        await using var factory = new PurviewApplicationFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();

        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));

        var paths = doc.RootElement.GetProperty("paths");
        Assert.Equal("#/components/schemas/ScanErrorResponse", ErrorSchema(paths, "/scan/datasources/{dataSourceName}", "get", "404", "application/json"));
        Assert.Equal("#/components/schemas/AtlasErrorResponse", ErrorSchema(paths, "/datamap/api/atlas/v2/entity/guid/{guid}", "get", "404", "application/json"));
        Assert.Equal("#/components/schemas/ProblemDetails", ErrorSchema(paths, "/account/collections/{collectionName}", "put", "409", "application/problem+json"));
        var schemas = doc.RootElement.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.GetProperty("ScanErrorResponse").GetProperty("properties").TryGetProperty("error", out _));
        Assert.True(schemas.GetProperty("AtlasErrorResponse").GetProperty("properties").TryGetProperty("errorCode", out _));
    }

    private sealed record Mapped(string Method, string Route, IReadOnlyList<string> RouteParameters, bool Anonymous, bool HasBody);

    private static List<Mapped> MappedEndpoints(IServiceProvider services)
    {
        var list = new List<Mapped>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            // The document names a parameter without its constraints ({name}, not {name:minlength(1)}).
            var route = "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart r => "{" + r.Name + "}",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart s2 => s2.Content,
                _ => string.Empty,
            }))));
            var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
            var hasBody = endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                list.Add(new Mapped(method, route, pattern.Parameters.Select(p => p.Name).ToList(), anonymous, hasBody));
            }
        }

        return list;
    }

    private static IEnumerable<string> Check(string name, Mapped endpoint, JsonElement operation)
    {
        if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
        {
            yield return $"{name}: no summary";
        }

        var documentedParameters = operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path").Select(p => p.GetProperty("name").GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var parameter in endpoint.RouteParameters.Where(p => !documentedParameters.Contains(p)))
        {
            yield return $"{name}: path parameter {parameter} not documented";
        }

        if (endpoint.HasBody && !(operation.TryGetProperty("requestBody", out var body) && HasSchema(body)))
        {
            yield return $"{name}: request body without a schema";
        }

        var responses = operation.GetProperty("responses");
        var statuses = responses.EnumerateObject().Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (!statuses.Any(s => s.StartsWith('2') || s.StartsWith('3')))
        {
            yield return $"{name}: no success response";
        }

        var expected = new List<string>();
        if (!endpoint.Anonymous)
        {
            expected.AddRange(["401", "429"]);
        }

        if (endpoint.RouteParameters.Count > 0)
        {
            expected.AddRange(["400", "404"]);
        }

        if (endpoint.HasBody)
        {
            expected.AddRange(["400", "413", "415"]);
        }

        foreach (var status in expected.Distinct().Where(s => !statuses.Contains(s)))
        {
            yield return $"{name}: {status} not documented";
        }

        foreach (var error in responses.EnumerateObject().Where(r => r.Name.StartsWith('4')))
        {
            if (!HasSchema(error.Value))
            {
                yield return $"{name}: {error.Name} documented without an error body";
            }
        }
    }

    private static bool HasSchema(JsonElement withContent) =>
        withContent.TryGetProperty("content", out var content) && content.EnumerateObject().Any(c => c.Value.TryGetProperty("schema", out _));

    private static string? ErrorSchema(JsonElement paths, string path, string method, string status, string contentType) =>
        paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty(contentType).GetProperty("schema").GetProperty("$ref").GetString();
}
