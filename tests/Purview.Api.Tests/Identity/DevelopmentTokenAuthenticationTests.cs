using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Identity;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Identity;

/// <summary>Development tokens and anonymous requests through the local host's real pipeline.</summary>
public sealed class DevelopmentTokenAuthenticationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TemporaryKeyPath _keyPath = new();

    public void Dispose() => _keyPath.Dispose();

    [Fact]
    public async Task A_development_token_for_alice_gets_her_account()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("alice@contoso.com");

        var response = await client.SendAsync(Jwt.Get("/account/me", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alice@contoso.com", body.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("objectId").ValueKind);
        Assert.Equal("DevelopmentToken", body.GetProperty("authenticationKind").GetString());
    }

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_problem_saying_the_token_is_missing()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/account/me"));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains("no credentials", detail, StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.False(File.Exists(_keyPath.Path), "an anonymous request should not create the key");
    }

    [Fact]
    public async Task An_unknown_route_is_401_too_for_an_anonymous_caller()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/account/unknown"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Healthz_needs_no_token()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_needs_no_token_in_Development_and_lists_the_account_route()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/openapi/v1.json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/account/me", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_OpenAPI_document_needs_a_token_outside_Development()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(), environment: "Production");
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/openapi/v1.json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string> BadTokens => ["forged", "tampered", "alg-none", "wrong-issuer", "wrong-audience", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_is_401_with_the_reason(string kind)
    {
        var time = new ManualTimeProvider();
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(), time);
        using var client = factory.CreateClient();
        var key = factory.Services.GetRequiredService<DevelopmentSigningKey>().Key.Key;
        var now = time.GetUtcNow();
        var (token, reason) = kind switch
        {
            "forged" => (Jwt.Hs256(RandomNumberGenerator.GetBytes(32), Jwt.DevelopmentPayload("alice@contoso.com", now)), "signature"),
            "tampered" => (Jwt.WithPayload(factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("alice@contoso.com"), Jwt.DevelopmentPayload("admin", now)), "signature"),
            "alg-none" => (Jwt.Encode(new { alg = "none", typ = "JWT" }, Jwt.DevelopmentPayload("alice@contoso.com", now), sign: null), "signature"),
            "wrong-issuer" => (Jwt.Hs256(key, Jwt.DevelopmentPayload("alice@contoso.com", now, issuer: "someone-else")), "issuer"),
            "wrong-audience" => (Jwt.Hs256(key, Jwt.DevelopmentPayload("alice@contoso.com", now, audience: "another-api")), "audience"),
            _ => ("not-a-jwt", "well-formed"),
        };

        var response = await client.SendAsync(Jwt.Get("/account/me", token));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains(reason, detail, StringComparison.Ordinal);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_token_is_accepted_until_it_expires_then_401()
    {
        var time = new ManualTimeProvider();
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(), time);
        using var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("alice@contoso.com");

        time.Advance(TimeSpan.FromHours(8) - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Jwt.Get("/account/me", token))).StatusCode);

        time.Advance(TimeSpan.FromMinutes(2));
        var detail = await AssertUnauthorizedAsync(await client.SendAsync(Jwt.Get("/account/me", token)));
        Assert.Contains("expired", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_lifetime_is_configurable()
    {
        var time = new ManualTimeProvider();
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(("Identity:Development:TokenHours", "1")), time);
        using var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("alice@contoso.com");

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Jwt.Get("/account/me", token))).StatusCode);
    }

    [Fact]
    public async Task A_development_token_is_401_on_a_host_that_is_not_Development_even_with_the_key_file()
    {
        var token = new DevelopmentTokenIssuer(new DevelopmentSigningKey(_keyPath.Path), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new PurviewIdentityOptions())).Issue("alice@contoso.com");
        Assert.True(File.Exists(_keyPath.Path));
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings(), environment: "Production");
        using var client = factory.CreateClient();

        var response = await client.SendAsync(Jwt.Get("/account/me", token));

        var detail = await AssertUnauthorizedAsync(response);
        Assert.Contains("Development tokens are not accepted on this host", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Principal_names_keep_their_case_but_compare_without_it()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var client = factory.CreateClient();
        var token = factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("Alice@Contoso.com");

        var body = await (await client.SendAsync(Jwt.Get("/account/me", token))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("Alice@Contoso.com", body.GetProperty("name").GetString());
        Assert.True(new Core.Access.Principal("Alice@Contoso.com", null, "DevelopmentToken").HasName("alice@contoso.com"));
    }

    /// <summary>Asserts a 401 RFC 7807 problem and returns its detail.</summary>
    internal static async Task<string> AssertUnauthorizedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Equal("Unauthorized", problem.GetProperty("title").GetString());
        return problem.GetProperty("detail").GetString()!;
    }
}
