using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Identity;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Identity;

/// <summary>
/// The authentication the Functions app's HTTP functions run themselves (they are not behind the ASP.NET Core
/// authorization middleware): exercised here with the local host's services on a bare HttpContext.
/// </summary>
public sealed class RequestAuthenticationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly TemporaryKeyPath _keyPath = new();

    public void Dispose() => _keyPath.Dispose();

    [Fact]
    public async Task A_valid_token_sets_the_user_and_asks_for_no_challenge()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var scope = factory.Services.CreateScope();
        var context = NewContext(scope.ServiceProvider);
        context.Request.Headers.Authorization = "Bearer " + factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("alice@contoso.com");

        var challenge = await context.AuthenticateOrChallengeAsync();

        Assert.Null(challenge);
        Assert.Equal("alice@contoso.com", context.User.ToPrincipal()?.Name);
        var me = IdentityEndpoints.GetMe(context.User).Result;
        Assert.Equal("alice@contoso.com", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<AccountResponse>>(me).Value!.Name);
    }

    [Theory]
    [InlineData(null, "no credentials")]
    [InlineData("Bearer not-a-jwt", "well-formed")]
    public async Task Without_a_valid_token_the_challenge_is_a_401_problem(string? authorization, string reason)
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var scope = factory.Services.CreateScope();
        var context = NewContext(scope.ServiceProvider);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        var challenge = await context.AuthenticateOrChallengeAsync();

        Assert.NotNull(challenge);
        Assert.Contains(reason, await ExecuteAsync(challenge, context), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_client_principal_header_is_a_401_problem()
    {
        await using var factory = new IdentityApplicationFactory(azurite.ConnectionString, _keyPath.Settings());
        using var scope = factory.Services.CreateScope();
        var context = NewContext(scope.ServiceProvider);
        context.Request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "mallory@contoso.com";

        var challenge = await context.AuthenticateOrChallengeAsync();

        Assert.Contains("not trusted on this host", await ExecuteAsync(challenge!, context), StringComparison.Ordinal);
    }

    private static DefaultHttpContext NewContext(IServiceProvider services) => new()
    {
        RequestServices = services,
        Response = { Body = new MemoryStream() },
    };

    private static async Task<string> ExecuteAsync(IResult result, HttpContext context)
    {
        await result.ExecuteAsync(context);
        Assert.Equal((int)HttpStatusCode.Unauthorized, context.Response.StatusCode);
        Assert.StartsWith("Bearer", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
