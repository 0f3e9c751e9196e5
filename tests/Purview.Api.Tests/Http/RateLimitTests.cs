using System.Net;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Http;

public sealed class RateLimitTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_principal_over_its_rate_gets_429_with_Retry_After_while_others_go_on()
    {
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        using var alice = host.Client("alice@contoso.com");
        using var bob = host.Client("bob@contoso.com");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var r = await alice.GetAsync(new Uri("/account/me", UriKind.Relative));
            statuses.Add(r.StatusCode);
        }

        using var limited = await alice.GetAsync(new Uri("/account/me", UriKind.Relative));
        using var other = await bob.GetAsync(new Uri("/account/me", UriKind.Relative));
        using var health = await alice.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
        Assert.Equal("TooManyRequests", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
