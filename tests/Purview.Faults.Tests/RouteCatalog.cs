using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Purview.Testing;
using Xunit;

namespace Purview.Faults.Tests;

/// <summary>
/// Every route the host maps (read from its endpoint table, so routes added later are covered without editing this
/// file), with valid parameter values and bodies over a small set of seeded objects.
/// </summary>
internal static class RouteCatalog
{
    /// <summary>Creates the objects that valid requests refer to, so that mutations reach past the "not found" checks.</summary>
    public static async Task SeedAsync(HttpClient admin)
    {
        foreach (var route in SeedRequests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), new Uri(route.Path, UriKind.Relative));
            if (route.Body is not null)
            {
                request.Content = new StringContent(route.Body, Encoding.UTF8, "application/json");
            }

            using var response = await admin.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"seed {route.Method} {route.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static readonly (string Method, string Path, string? Body)[] SeedRequests =
    [
        ("PUT", "/account/collections/fzz", """{"friendlyName":"Fuzz","parentCollection":{"referenceName":"root"}}"""),
        ("PUT", "/account/collections/fzz/roleAssignments/dataReader/fz-reader", null),
        ("PUT", "/account/collections/fzz/roleAssignments/dataCurator/fz-curator", null),
        ("PUT", "/scan/credentials/fz-key", """{"properties":{"type":"AccountKey","accountKey":"a2V5"}}"""),
        ("PUT", "/scan/integrationruntimes/fz-ir", """{"kind":"SelfHosted","properties":{"nodes":1,"concurrentScansPerNode":1}}"""),
        ("PUT", "/scan/datasources/fz-ds", """{"kind":"AzureStorage","properties":{"endpoint":"https://fuzz.blob.core.windows.net/","collection":{"referenceName":"fzz"}}}"""),
        ("PUT", "/scan/datasources/fz-ds/scans/fz-scan", """{"kind":"AzureStorageMsi","properties":{}}"""),
        ("PUT", "/connectors/settings", """{"auditingEnabled":true}"""),
        ("PUT", "/connectors/fz-conn", """{"name":"Fuzz Slack","sourceType":"Slack"}"""),
        ("PUT", "/links/OpenLineage/fz-ns", """{"collection":"fzz","writers":["admin","fz-curator"]}"""),
        ("PUT", "/links/AzureDataFactory/fz-adf", """{"collection":"fzz","writers":["admin"]}"""),
        ("PUT", "/monitoring/alerts/fz-alertname", """{"kind":"scanRunFailures","threshold":3}"""),
    ];

    /// <summary>The host's routes with a valid path and body each, from its endpoint table.</summary>
    public static List<Route> Routes(TestHost host)
    {
        var sources = host.Services.GetServices<EndpointDataSource>();
        var routes = new List<Route>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var template = "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');
            var values = endpoint.RoutePattern.Parameters.ToDictionary(p => p.Name, p => ValueFor(p.Name, template));
            foreach (var method in methods)
            {
                routes.Add(new Route(method, template, values, method is "PUT" or "POST" ? BodyFor(method, template) : null, endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null));
            }
        }

        return routes;
    }

    private static string ValueFor(string parameter, string template) => parameter switch
    {
        "collectionName" => "fzz",
        "role" => "dataReader",
        "principal" => "fz-reader",
        "dataSourceName" => "fz-ds",
        "scanName" => "fz-scan",
        "credentialName" => "fz-key",
        "integrationRuntimeName" => "fz-ir",
        "connectorId" => "fz-conn",
        "date" => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        "sourceType" => "OpenLineage",
        "sourceName" => "fz-ns",
        "activityRunId" => "fz-run-1",
        "runId" or "runIdAndAction" => Guid.NewGuid().ToString(),
        "guid" => Guid.NewGuid().ToString(),
        "typeName" => "azure_blob_path",
        _ when template.Contains("rule", StringComparison.OrdinalIgnoreCase) => "fz-rule",
        _ => "fz-" + parameter.ToLowerInvariant(),
    };

    private static string BodyFor(string method, string template)
    {
        var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return template switch
        {
            _ when template.EndsWith("/collections/{collectionName}", StringComparison.Ordinal) => """{"friendlyName":"F","parentCollection":{"referenceName":"root"}}""",
            _ when template.EndsWith("/credentials/{credentialName}", StringComparison.Ordinal) => """{"properties":{"type":"AccountKey","accountKey":"a2V5"}}""",
            _ when template.EndsWith("/integrationruntimes/{integrationRuntimeName}", StringComparison.Ordinal) => """{"kind":"SelfHosted","properties":{"nodes":2,"concurrentScansPerNode":1}}""",
            _ when template.EndsWith("/datasources/{dataSourceName}", StringComparison.Ordinal) => """{"kind":"AzureStorage","properties":{"endpoint":"https://fuzz.blob.core.windows.net/","collection":{"referenceName":"fzz"}}}""",
            _ when template.EndsWith("/scans/{scanName}", StringComparison.Ordinal) => """{"kind":"AzureStorageMsi","properties":{}}""",
            _ when template.EndsWith("/filters/custom", StringComparison.Ordinal) => """{"properties":{"includeUriPrefixes":["https://fuzz.blob.core.windows.net/c/"],"excludeUriPrefixes":[]}}""",
            _ when template.EndsWith("/triggers/default", StringComparison.Ordinal) => """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z"},"scanLevel":"Full"}}""",
            _ when template.EndsWith("/scan/settings", StringComparison.Ordinal) => """{"properties":{"maxConcurrentScanRuns":5}}""",
            _ when template.EndsWith("/connectors/settings", StringComparison.Ordinal) => """{"auditingEnabled":true}""",
            _ when template.EndsWith("/connectors/{connectorId}", StringComparison.Ordinal) => """{"name":"Fuzz","sourceType":"Slack"}""",
            _ when template.EndsWith("/user-mappings", StringComparison.Ordinal) => """{"mappings":[{"sourceUserId":"u1","userPrincipalName":"u1@contoso.com"}]}""",
            _ when template.EndsWith("/imports", StringComparison.Ordinal) => $$"""{"items":[{"itemId":"i1","sender":"u1","recipients":["u2"],"sizeBytes":10,"timestamp":"{{now}}","attachments":[{"name":"a.txt","sizeBytes":1}]}]}""",
            _ when template.EndsWith("/links/{sourceType}/{sourceName}", StringComparison.Ordinal) => """{"collection":"fzz","writers":["admin"]}""",
            _ when template.EndsWith("/activityruns", StringComparison.Ordinal) => $$"""{"pipelineName":"p","activityName":"a","activityType":"Copy","activityRunId":"fz-run-1","pipelineRunId":"pr","status":"Succeeded","start":"{{now}}","end":"{{now}}","inputs":[{"qualifiedName":"https://a.blob.core.windows.net/c/x.csv","type":"azure_blob_path","name":"x.csv"}],"outputs":[{"qualifiedName":"https://a.blob.core.windows.net/c/y.csv","type":"azure_blob_path","name":"y.csv"}]}""",
            _ when template.EndsWith("/api/v1/lineage", StringComparison.Ordinal) => "{\"eventType\":\"COMPLETE\",\"eventTime\":\"" + now + "\",\"run\":{\"runId\":\"" + Guid.NewGuid() +
                "\",\"facets\":{\"parent\":{\"run\":{\"runId\":\"" + Guid.NewGuid() + "\"},\"job\":{\"namespace\":\"fz-ns\",\"name\":\"dag\"}}}},\"job\":{\"namespace\":\"fz-ns\",\"name\":\"task\"}," +
                "\"inputs\":[{\"namespace\":\"postgres://db:5432\",\"name\":\"public.a\"}],\"outputs\":[{\"namespace\":\"s3://lake\",\"name\":\"b\"}],\"producer\":\"https://example.com/p\"," +
                "\"schemaURL\":\"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\"}",
            _ when template.EndsWith("/monitoring/alerts/{alertName}", StringComparison.Ordinal) => """{"kind":"scanRunFailures","threshold":3,"windowDays":2}""",
            _ when template.Contains("search", StringComparison.OrdinalIgnoreCase) => """{"keywords":"fuzz","limit":10}""",
            _ when template.Contains("classificationrules", StringComparison.OrdinalIgnoreCase) => """{"kind":"Custom","properties":{"classificationName":"FZ","ruleStatus":"Enabled","minimumPercentageMatch":60,"dataPatterns":[{"kind":"Regex","pattern":"^fz[0-9]+$"}]}}""",
            _ when template.Contains("scanrulesets", StringComparison.OrdinalIgnoreCase) => """{"kind":"AzureStorage","properties":{"scanningRule":{"fileExtensions":["CSV"]}}}""",
            _ => method == "POST" ? "{}" : "{}",
        };
    }

    /// <summary>A mapped route: its method, template, a valid value per parameter, a valid body (PUT/POST) and whether it is anonymous.</summary>
    public sealed record Route(string Method, string Template, IReadOnlyDictionary<string, string> Values, string? Body, bool Anonymous)
    {
        public string Path => Values.Aggregate(Template, (path, v) => path.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal));

        /// <summary>True when the route reads a JSON body (its valid body is more than an empty object).</summary>
        public bool TakesJson => Body is not null && Body != "{}";
    }
}
