using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Api.Identity;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Http;

/// <summary>The pipeline the Functions app runs around each handler gives the same answers as the local host's middleware.</summary>
public sealed class HandlerPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Without_a_token_the_handler_does_not_run_and_the_answer_is_401()
    {
        await using var host = new TestHost(azurite);
        var ran = false;

        var (status, _) = await RunAsync(host, principal: null, AccessPolicies.CollectionAdmin, () => { ran = true; return Task.FromResult(Results.Ok()); });

        Assert.Equal(401, status);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_caller_without_the_policy_role_gets_403_and_one_with_it_reaches_the_handler()
    {
        await using var host = new TestHost(azurite);

        var (denied, _) = await RunAsync(host, "nobody", AccessPolicies.CollectionAdmin, () => Task.FromResult(Results.Ok("ran")));
        var (allowed, body) = await RunAsync(host, "admin", AccessPolicies.CollectionAdmin, () => Task.FromResult(Results.Ok("ran")));

        Assert.Equal(403, denied);
        Assert.Equal(200, allowed);
        Assert.Equal("\"ran\"", body);
    }

    [Fact]
    public async Task A_body_with_an_unknown_field_is_a_400_naming_it()
    {
        await using var host = new TestHost(azurite);

        var (status, body) = await RunAsync(host, "admin", null, async () =>
        {
            return Results.Ok(await HandlerPipeline.ReadJsonAsync<CollectionRequest>(_request!));
        }, "{\"friendlyName\":\"x\",\"color\":\"red\"}");

        Assert.Equal(400, status);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("color", out _));
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_without_internals()
    {
        await using var host = new TestHost(azurite);

        var (status, body) = await RunAsync(host, "admin", null, () => throw new InvalidOperationException("secret internals"));

        Assert.Equal(500, status);
        Assert.DoesNotContain("secret internals", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_route_runs_without_a_token()
    {
        await using var host = new TestHost(azurite);

        var (status, body) = await RunAsync(host, principal: null, null, () => Task.FromResult(Results.Ok("open")), anonymous: true);

        Assert.Equal(200, status);
        Assert.Equal("\"open\"", body);
    }

    [Fact]
    public async Task A_body_over_the_route_limit_is_a_413_and_the_handler_does_not_run()
    {
        await using var host = new TestHost(azurite);
        var ran = false;

        var (status, body) = await RunAsync(host, "admin", null, () => { ran = true; return Task.FromResult(Results.Ok()); },
            "{\"friendlyName\":\"" + new string('x', 100) + "\"}", bodyLimit: 64);

        Assert.Equal(413, status);
        Assert.False(ran);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(413, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_415()
    {
        await using var host = new TestHost(azurite);

        var (status, _) = await RunAsync(host, "admin", null, async () =>
            Results.Ok(await HandlerPipeline.ReadJsonAsync<CollectionRequest>(_request!)), "friendlyName=x", contentType: "application/x-www-form-urlencoded");

        Assert.Equal(415, status);
    }

    [Fact]
    public async Task A_principal_over_its_rate_gets_the_local_hosts_429_and_the_handler_does_not_run()
    {
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "3" });
        var ran = 0;

        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await RunAsync(host, "alice@contoso.com", null, () => { ran++; return Task.FromResult(Results.Ok()); })).Status);
        }

        var (limited, body) = await RunAsync(host, "alice@contoso.com", null, () => { ran++; return Task.FromResult(Results.Ok()); });
        var retryAfter = _retryAfter;
        var (other, _) = await RunAsync(host, "bob@contoso.com", null, () => Task.FromResult(Results.Ok()));
        // The local host's own 429 for a caller over its rate, to compare with.
        using var carol = host.Client("carol@contoso.com");
        HttpResponseMessage hostLimited;
        var attempts = 0;
        do
        {
            hostLimited = await carol.GetAsync(new Uri("/account/me", UriKind.Relative));
        }
        while (hostLimited.StatusCode != System.Net.HttpStatusCode.TooManyRequests && ++attempts < 10);

        Assert.Equal(3, statuses.Count(s => s == 200));
        Assert.Equal(429, limited);
        Assert.Equal(3, ran);
        Assert.True(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(200, other);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, hostLimited.StatusCode);
        using var fromPipeline = JsonDocument.Parse(body);
        using var fromHost = JsonDocument.Parse(await hostLimited.Content.ReadAsStringAsync());
        foreach (var field in new[] { "type", "title", "status", "code" })
        {
            Assert.Equal(fromHost.RootElement.GetProperty(field).ToString(), fromPipeline.RootElement.GetProperty(field).ToString());
        }

        Assert.Equal("TooManyRequests", fromPipeline.RootElement.GetProperty("code").GetString());
        hostLimited.Dispose();
    }

    private HttpRequest? _request;
    private string? _retryAfter;

    private async Task<(int Status, string Body)> RunAsync(
        TestHost host, string? principal, string? policy, Func<Task<IResult>> handler, string? json = null,
        bool anonymous = false, long bodyLimit = BodyLimit.Default, string contentType = "application/json")
    {
        using var scope = host.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = "POST";
        context.Request.Path = "/account/collections/x";
        if (principal is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + host.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(principal);
        }

        if (json is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        var output = new MemoryStream();
        context.Response.Body = output;
        _request = context.Request;
        var result = await HandlerPipeline.RunAsync(context, policy, handler, anonymous, bodyLimit);
        await result.ExecuteAsync(context);
        _retryAfter = context.Response.Headers.RetryAfter.ToString();
        return (context.Response.StatusCode, Encoding.UTF8.GetString(output.ToArray()));
    }
}
