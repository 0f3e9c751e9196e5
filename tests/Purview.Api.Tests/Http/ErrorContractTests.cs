using System.Net;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Http;

public sealed class ErrorContractTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();

        using var response = await admin.GetAsync(new Uri("/monitoring/no/such/route", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Purview_compatible_routes_answer_errors_in_the_Purview_shape()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();

        using var response = await admin.GetAsync(new Uri("/scan/no-such-thing/at/all", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("NotFound", error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Problems_are_written_even_to_clients_that_do_not_ask_for_JSON()
    {
        await using var host = new TestHost(azurite);
        using var anonymous = host.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/collections");
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"status\":401", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
