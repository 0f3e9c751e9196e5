using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Health;

public sealed class HealthEndpointTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Healthz_is_200_when_every_storage_service_answers()
    {
        await using var factory = new PurviewApplicationFactory(azurite.ConnectionString);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("devstoreaccount1", body.GetProperty("account").GetString());
        foreach (var service in new[] { "table", "blob", "queue" })
        {
            Assert.Equal("ok", body.GetProperty("storage").GetProperty(service).GetString());
        }
    }

    [Fact]
    public async Task Healthz_is_503_with_the_reason_when_storage_does_not_answer()
    {
        var deadPort = UnusedPort();
        var connectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Purview.Storage.Client.StorageAccount.DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{deadPort}/devstoreaccount1;";
        await using var factory = new PurviewApplicationFactory(connectionString);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Contains($"127.0.0.1:{deadPort}", body.GetProperty("storage").GetProperty("table").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_reports_a_rejected_key_as_unhealthy()
    {
        var wrongKey = azurite.ConnectionString.Replace(Purview.Storage.Client.StorageAccount.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        await using var factory = new PurviewApplicationFactory(wrongKey);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("403", body.GetProperty("storage").GetProperty("blob").GetString(), StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
