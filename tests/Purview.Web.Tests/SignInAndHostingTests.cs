using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Purview.Web.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SignInAndHostingTests(DashboardFixture dashboard)
{
    [BrowserFact]
    public async Task Signing_in_with_a_name_keeps_the_token_in_the_tab_and_lands_on_the_page_asked_for()
    {
        var context = await dashboard.Browser!.NewContextAsync(new() { BaseURL = dashboard.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/#/links");
        await page.ReadyAsync("signin");
        Assert.Equal(0, await page.Locator("#nav a").CountAsync());
        await page.FillAsync("[data-testid=signin-name]", "admin");
        await page.Keyboard.PressAsync("Enter");
        await page.ReadyAsync("links");
        Assert.Equal("Signed in as admin", await page.Locator("[data-testid=signed-in-as]").InnerTextAsync());
        var token = await page.EvaluateAsync<string>("sessionStorage.getItem('purview.token')");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/me");
        request.Headers.Authorization = new("Bearer", token);
        using var client = new HttpClient { BaseAddress = dashboard.BaseAddress };
        using var me = await client.SendAsync(request);
        Assert.Equal("admin", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        // A token the host no longer accepts sends the tab back to sign-in with the reason.
        await page.EvaluateAsync("sessionStorage.setItem('purview.token', 'not-a-token')");
        await page.GotoAsync("/#/scanruns?period=7d");
        await page.ReadyAsync("signin");
        Assert.Contains("sign in again", await page.Locator("[role=alert]").First.InnerTextAsync(), StringComparison.Ordinal);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Page_paths_get_the_dashboard_while_API_paths_keep_their_404_problem()
    {
        using var client = new HttpClient { BaseAddress = dashboard.BaseAddress };
        using var root = await client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Contains("<title>Purview Monitor</title>", await root.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var deep = await client.GetAsync(new Uri("/dashboard/anything", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
        Assert.Equal("text/html", deep.Content.Headers.ContentType?.MediaType);

        foreach (var path in new[] { "/monitoring/nothing-here", "/connectors/x/y/z", "/links/nope/nope/nope/nope" })
        {
            using var api = await dashboard.Api.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
            Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        }

        // Without a caller an API path is still a 401, not the page.
        using var anonymous = await client.GetAsync(new Uri("/monitoring/scans", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        // Only GETs of page paths get the page: a POST goes to the API pipeline, which wants a caller first.
        using var post = await client.PostAsync(new Uri("/dashboard/anything", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType?.MediaType);
        // A missing file is not answered with the page (the API pipeline answers it: 401 without a caller).
        using var missingAsset = await client.GetAsync(new Uri("/assets/missing.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, missingAsset.StatusCode);
        Assert.Equal("application/problem+json", missingAsset.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_development_sign_in_issues_a_token_for_a_name_and_refuses_an_empty_one()
    {
        using var client = new HttpClient { BaseAddress = dashboard.BaseAddress };
        using var ok = await client.PostAsJsonAsync(new Uri("/devauth/token", UriKind.Relative), new { name = "alice@contoso.com" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var token = (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/me");
        request.Headers.Authorization = new("Bearer", token);
        using var me = await client.SendAsync(request);
        Assert.Equal("alice@contoso.com", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());

        using var bad = await client.PostAsJsonAsync(new Uri("/devauth/token", UriKind.Relative), new { name = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"name\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
