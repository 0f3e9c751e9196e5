using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Purview.Api.Identity;
using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Identity.DevelopmentTokenAuthenticationTests;

namespace Purview.Api.Tests.Identity;

/// <summary>
/// Entra ID tokens through JwtBearer. login.microsoftonline.com cannot be reached here, so the test gives the scheme
/// the authority's metadata (issuer and a locally generated RSA signing key) through its options, test-only.
/// </summary>
public sealed class EntraIdAuthenticationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private const string Audience = "api://purview-monitor-test";
    private static readonly string TenantId = "8a7b6c5d-0000-4000-8000-00000000abcd";
    private static readonly string Authority = $"https://login.microsoftonline.com/{TenantId}/v2.0";
    private readonly TemporaryKeyPath _keyPath = new();
    private readonly RSA _rsa = RSA.Create(2048);

    public void Dispose()
    {
        _keyPath.Dispose();
        _rsa.Dispose();
    }

    [Fact]
    public async Task A_token_signed_by_the_authority_for_our_audience_gets_the_account()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/account/me", CreateToken()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("carol@contoso.com", body.GetProperty("name").GetString());
        Assert.Equal("0f0e0d0c-0000-4000-8000-000000000003", body.GetProperty("objectId").GetString());
        Assert.Equal("EntraId", body.GetProperty("authenticationKind").GetString());
    }

    [Fact]
    public async Task Without_a_user_name_the_object_id_is_the_name()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        var token = CreateToken(claims => claims.Remove("preferred_username"));
        var body = await (await client.SendAsync(Jwt.Get("/account/me", token))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("0f0e0d0c-0000-4000-8000-000000000003", body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/account/me", CreateToken(audience: "api://another-api")));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains("audience", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_from_another_tenant_is_401()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        var token = CreateToken(issuer: "https://login.microsoftonline.com/11111111-0000-4000-8000-000000000000/v2.0");

        var detail = await AssertUnauthorizedAsync(await client.SendAsync(Jwt.Get("/account/me", token)));
        Assert.Contains("issuer", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();
        using var other = RSA.Create(2048);

        var response = await client.SendAsync(Jwt.Get("/account/me", CreateToken(signingKey: new RsaSecurityKey(other) { KeyId = "test-key" })));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains("signature", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/account/me", CreateToken(expires: DateTime.UtcNow.AddMinutes(-10))));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains("expired", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_tokens_still_work_on_a_Development_host_with_Entra_ID()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("alice@contoso.com");

        var body = await (await client.SendAsync(Jwt.Get("/account/me", token))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("DevelopmentToken", body.GetProperty("authenticationKind").GetString());
    }

    [Fact]
    public async Task Without_an_authority_an_Entra_token_is_401()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(), environment: "Production");
        using var client = factory.CreateClient();

        var detail = await AssertUnauthorizedAsync(await client.SendAsync(Jwt.Get("/account/me", CreateToken())));

        Assert.Contains("issuer is not accepted", detail, StringComparison.Ordinal);
    }

    private IdentityApplicationFactory CreateFactory()
    {
        var metadata = new OpenIdConnectConfiguration { Issuer = Authority };
        metadata.SigningKeys.Add(new RsaSecurityKey(_rsa) { KeyId = "test-key" });
        return new IdentityApplicationFactory(
            azurite.ConnectionString,
            _keyPath.Settings(("Identity:EntraId:Authority", Authority), ("Identity:EntraId:Audience", Audience), ("Identity:EntraId:TenantId", TenantId)),
            configureServices: services => services.Configure<JwtBearerOptions>(IdentitySchemes.EntraId, o => o.Configuration = metadata));
    }

    private string CreateToken(Action<Dictionary<string, object>>? change = null, string audience = Audience, string? issuer = null, SecurityKey? signingKey = null, DateTime? expires = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["preferred_username"] = "carol@contoso.com",
            ["oid"] = "0f0e0d0c-0000-4000-8000-000000000003",
            ["tid"] = TenantId,
            ["name"] = "Carol",
        };
        change?.Invoke(claims);
        var end = expires ?? DateTime.UtcNow.AddHours(1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Authority,
            Audience = audience,
            IssuedAt = end.AddHours(-1),
            NotBefore = end.AddHours(-1),
            Expires = end,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey ?? new RsaSecurityKey(_rsa) { KeyId = "test-key" }, SecurityAlgorithms.RsaSha256),
        });
    }
}
