using System.Net;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>A caller without a role on a link's collection cannot tell a link exists, nor where it is.</summary>
public sealed class LinkDisclosureTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Reading_a_run_of_a_link_in_a_collection_the_caller_cannot_see_answers_404_as_for_an_unknown_link()
    {
        await using var links = await LinksHost.StartAsync(azurite);
        await links.ConnectAsync("AzureDataFactory", "hidden-factory", "finance", "adf-writer");
        using var stranger = links.Host.Client("mallory");

        using var existing = await stranger.GetAsync(new Uri("/links/AzureDataFactory/hidden-factory/activityruns/run-1", UriKind.Relative));
        using var unknown = await stranger.GetAsync(new Uri("/links/AzureDataFactory/no-such-factory/activityruns/run-1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, existing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var body = await existing.Content.ReadAsStringAsync();
        Assert.DoesNotContain("finance", body, StringComparison.Ordinal);
        using var a = JsonDocument.Parse(body);
        using var b = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync());
        Assert.Equal(b.RootElement.GetProperty("code").GetString(), a.RootElement.GetProperty("code").GetString());
    }
}
