using System.Net;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.LocalHost.Tests;

public sealed class OpenApiDocumentTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task The_OpenAPI_document_lists_the_routes()
    {
        await using var factory = new PurviewApplicationFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(doc.RootElement.GetProperty("paths").TryGetProperty("/healthz", out _));
    }
}
