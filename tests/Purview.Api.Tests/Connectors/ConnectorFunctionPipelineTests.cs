using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Access;
using Purview.Api.Connectors;
using Purview.Api.Http;
using Purview.Api.Identity;
using Purview.Core.Connectors;
using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Connectors.ConnectorTestKit;

namespace Purview.Api.Tests.Connectors;

/// <summary>The import function of the Functions app (the handler inside <see cref="HandlerPipeline"/>) answers as the local host does.</summary>
public sealed class ConnectorFunctionPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_import_function_imports_refuses_callers_without_the_role_and_bodies_over_the_limit()
    {
        await using var host = NewHost(azurite, new ManualTimeProvider(Start));
        using var admin = host.Client("admin");
        await PutConnector(admin, "generic-fn", "Generic");
        await PutMappings(admin, "generic-fn", "u1", "u2");
        var body = Body(null, Item("f1", "u1", ["u2"]));

        var (denied, _) = await RunImportAsync(host, "bob", body);
        var (ok, json) = await RunImportAsync(host, "admin", body);
        var (tooLarge, _) = await RunImportAsync(host, "admin", body, declaredLength: ConnectorEndpoints.ImportBodyLimit + 1);

        Assert.Equal(403, denied);
        Assert.Equal(201, ok);
        AssertCounters(JsonDocument.Parse(json).RootElement, fromSource: 1, forImport: 2, imported: 2, partial: 0, skipped: 0, failed: 0);
        Assert.Equal(413, tooLarge);
    }

    private static async Task<(int Status, string Body)> RunImportAsync(TestHost host, string principal, string json, long? declaredLength = null)
    {
        using var scope = host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "POST";
        context.Request.Path = "/connectors/generic-fn/imports";
        context.Request.Headers.Authorization = "Bearer " + host.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(principal);
        var bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = declaredLength ?? bytes.Length;
        context.Request.ContentType = "application/json";
        var output = new MemoryStream();
        context.Response.Body = output;
        var imports = scope.ServiceProvider.GetRequiredService<ImportService>();

        // As ConnectorFunctions.Import does.
        var result = await HandlerPipeline.RunAsync(context, AccessPolicies.ConnectorAdmin, async () =>
            await ConnectorEndpoints.Import("generic-fn", context, imports, context.RequestAborted), bodyLimit: ConnectorEndpoints.ImportBodyLimit);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(output.ToArray()));
    }
}
