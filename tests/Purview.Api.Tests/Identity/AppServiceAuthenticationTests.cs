using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Identity.DevelopmentTokenAuthenticationTests;

namespace Purview.Api.Tests.Identity;

/// <summary>X-MS-CLIENT-PRINCIPAL: trusted only on a host configured for App Service Authentication.</summary>
public sealed class AppServiceAuthenticationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TemporaryKeyPath _keyPath = new();

    public void Dispose() => _keyPath.Dispose();

    [Theory]
    [InlineData("/account/me")]
    [InlineData("/healthz")]
    public async Task The_header_on_a_host_not_configured_for_it_is_401_saying_so(string path)
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();

        var response = await client.SendAsync(WithClientPrincipal(Jwt.Get(path), "mallory@contoso.com"));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains("X-MS-CLIENT-PRINCIPAL is not trusted on this host", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_header_on_a_configured_host_authenticates_the_principal_it_names()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(("Identity:AppServiceAuthentication:Enabled", "true")), environment: "Production");
        using var client = factory.CreateClient();

        var response = await client.SendAsync(WithClientPrincipal(Jwt.Get("/account/me"), "erin@contoso.com", "6f1c2b6e-0000-4000-8000-000000000001"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("erin@contoso.com", body.GetProperty("name").GetString());
        Assert.Equal("6f1c2b6e-0000-4000-8000-000000000001", body.GetProperty("objectId").GetString());
        Assert.Equal("AppServiceAuthentication", body.GetProperty("authenticationKind").GetString());
    }

    [Fact]
    public async Task Without_the_name_header_the_name_comes_from_the_principal_claims()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(("Identity:AppServiceAuthentication:Enabled", "true")));
        using var client = factory.CreateClient();
        var request = Jwt.Get("/account/me");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", Encode("frank@contoso.com", "6f1c2b6e-0000-4000-8000-000000000002"));

        var body = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("frank@contoso.com", body.GetProperty("name").GetString());
        Assert.Equal("6f1c2b6e-0000-4000-8000-000000000002", body.GetProperty("objectId").GetString());
    }

    [Fact]
    public async Task A_header_that_is_not_base64_json_is_401()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(("Identity:AppServiceAuthentication:Enabled", "true")));
        using var client = factory.CreateClient();
        var request = Jwt.Get("/account/me");
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", "not base64 {");

        var detail = await AssertUnauthorizedAsync(await client.SendAsync(request));

        Assert.Contains("not base64-encoded JSON", detail, StringComparison.Ordinal);
    }

    private static HttpRequestMessage WithClientPrincipal(HttpRequestMessage request, string name, string objectId = "00000000-0000-0000-0000-000000000009")
    {
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL", Encode(name, objectId));
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", name);
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-ID", objectId);
        return request;
    }

    /// <summary>What App Service sends for an Entra ID sign-in.</summary>
    private static string Encode(string name, string objectId) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        claims = new[]
        {
            new { typ = "preferred_username", val = name },
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
            new { typ = "name", val = "Display Name" },
            new { typ = "roles", val = "Reader" },
        },
        name_typ = "preferred_username",
        role_typ = "roles",
    })));
}
