using System.Net;
using System.Text;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Http;

/// <summary>JSON is read strictly: a key given twice is refused, and names may not hold bidirectional controls.</summary>
public sealed class DuplicateKeysAndBidiTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("/account/collections/dupes", """{"friendlyName":"A","friendlyName":"B","parentCollection":{"referenceName":"root"}}""", "/account/collections/dupes")]
    [InlineData("/scan/datasources/dupes", """{"kind":"AzureStorage","kind":"AdlsGen2","properties":{"endpoint":"https://acct.blob.core.windows.net/","collection":{"referenceName":"root"}}}""", "/scan/datasources/dupes")]
    [InlineData("/scan/credentials/dupes", """{"properties":{"type":"AccountKey","accountKey":"a2V5","accountKey":"b3RoZXI="}}""", "/scan/credentials/dupes")]
    [InlineData("/connectors/dupes", """{"name":"one","name":"two","sourceType":"Slack"}""", "/connectors/dupes")]
    public async Task A_body_with_a_key_given_twice_is_a_400_and_writes_nothing(string url, string body, string readBack)
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await admin.PutAsync(new Uri(url, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("application/", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        using var after = await admin.GetAsync(new Uri(readBack, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_connector_import_item_with_a_key_given_twice_is_refused_whole()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");
        using (var put = await admin.PutAsync(new Uri("/connectors/dupe-items", UriKind.Relative), new StringContent("""{"name":"d","sourceType":"Slack"}""", Encoding.UTF8, "application/json")))
        {
            put.EnsureSuccessStatusCode();
        }

        const string body = """{"importId":"dupe-1","items":[{"itemId":"a","itemId":"b","sender":"u1","recipients":["u2"],"sizeBytes":1,"timestamp":"2026-11-21T09:00:00Z"}]}""";
        using var response = await admin.PostAsync(new Uri("/connectors/dupe-items/imports", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("\u202Egnp.exe")]
    [InlineData("Finance\u2066admin\u2069")]
    [InlineData("a\u200Fb")]
    public async Task Names_with_bidirectional_controls_are_refused(string text)
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");

        var collection = JsonSerializer.Serialize(new { friendlyName = text, parentCollection = new { referenceName = "root" } });
        using var put = await admin.PutAsync(new Uri("/account/collections/bidi-one", UriKind.Relative), new StringContent(collection, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("friendlyName", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using (var connector = await admin.PutAsync(new Uri("/connectors/bidi-conn", UriKind.Relative), new StringContent("""{"name":"c","sourceType":"Slack"}""", Encoding.UTF8, "application/json")))
        {
            connector.EnsureSuccessStatusCode();
        }

        var import = JsonSerializer.Serialize(new { items = new[] { new { itemId = text, sender = "u1", recipients = new[] { "u2" }, sizeBytes = 1, timestamp = "2026-11-21T09:00:00Z" } } });
        using var imported = await admin.PostAsync(new Uri("/connectors/bidi-conn/imports", UriKind.Relative), new StringContent(import, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, imported.StatusCode);
        Assert.Contains("itemId", await imported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
