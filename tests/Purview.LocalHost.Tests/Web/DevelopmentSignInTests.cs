using System.Net;
using System.Net.Http.Json;
using Purview.Testing;
using Xunit;

namespace Purview.LocalHost.Tests.Web;

/// <summary>Development tokens are minted only for requests to a loopback host from a loopback page (no DNS rebinding, no cross-site POST).</summary>
public sealed class DevelopmentSignInTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("localhost", null, HttpStatusCode.OK)]
    [InlineData("127.0.0.1:7071", "http://127.0.0.1:7071", HttpStatusCode.OK)]
    [InlineData("[::1]:7071", "http://localhost:5173", HttpStatusCode.OK)]
    [InlineData("rebind.attacker.example:7071", null, HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1.nip.io:7071", null, HttpStatusCode.Forbidden)]
    [InlineData("localhost:7071", "https://attacker.example", HttpStatusCode.Forbidden)]
    [InlineData("localhost:7071", "null", HttpStatusCode.Forbidden)]
    public async Task A_token_is_issued_only_to_a_loopback_host_and_origin(string host, string? origin, HttpStatusCode expected)
    {
        await using var app = new TestHost(azurite);
        using var client = app.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/devauth/token", UriKind.Relative)) { Content = JsonContent.Create(new { name = "alice@contoso.com" }) };
        request.Headers.Host = host;
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected == HttpStatusCode.OK, body.Contains("\"token\"", StringComparison.Ordinal));
    }
}
