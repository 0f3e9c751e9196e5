using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Access;

public sealed class CollectionEndpointsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Collections_are_created_in_the_Purview_shape_and_listed_with_a_count()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();

        using var created = await admin.PutAsJsonAsync("/account/collections/finance", new { friendlyName = "Finance", parentCollection = new { referenceName = "root" }, description = "Money" });
        using var again = await admin.PutAsJsonAsync("/account/collections/finance", new { friendlyName = "Finance dept", parentCollection = new { referenceName = "root" } });
        var list = await admin.GetFromJsonAsync<JsonElement>("/account/collections");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/account/collections/finance", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("finance", body.GetProperty("name").GetString());
        Assert.Equal("Finance dept", body.GetProperty("friendlyName").GetString());
        Assert.Equal("Money", body.GetProperty("description").GetString());
        Assert.Equal("root", body.GetProperty("parentCollection").GetProperty("referenceName").GetString());
        Assert.Equal("Succeeded", body.GetProperty("collectionProvisioningState").GetString());
        Assert.Equal("admin", body.GetProperty("systemData").GetProperty("createdBy").GetString());
        Assert.Equal(2, list.GetProperty("count").GetInt32());
        Assert.Equal(new string?[] { "finance", "root" }, list.GetProperty("value").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray());
    }

    [Fact]
    public async Task A_collection_that_holds_sub_collections_cannot_be_deleted_and_the_root_never()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.PutCollection(admin, "finance-eu", "finance");

        using var refused = await admin.DeleteAsync(new Uri("/account/collections/finance", UriKind.Relative));
        using var root = await admin.DeleteAsync(new Uri("/account/collections/root", UriKind.Relative));
        using var leaf = await admin.DeleteAsync(new Uri("/account/collections/finance-eu", UriKind.Relative));
        using var now = await admin.DeleteAsync(new Uri("/account/collections/finance", UriKind.Relative));
        using var gone = await admin.GetAsync(new Uri("/account/collections/finance", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("finance-eu", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, root.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, leaf.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, now.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_collection_cannot_be_moved_under_its_own_sub_collection()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.PutCollection(admin, "finance-eu", "finance");

        using var response = await admin.PutAsJsonAsync("/account/collections/finance", new { parentCollection = new { referenceName = "finance-eu" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("parentCollection.referenceName", out _));
    }

    [Fact]
    public async Task A_collection_admin_manages_only_below_the_collection_where_the_role_is_held()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.PutCollection(admin, "sales", "root");
        await AccessHostFixture.Grant(admin, "finance", "collectionAdmin", "alice@contoso.com");
        using var alice = host.Client("alice@contoso.com");

        using var below = await alice.PutAsJsonAsync("/account/collections/finance-eu", new { parentCollection = new { referenceName = "finance" } });
        using var atRoot = await alice.PutAsJsonAsync("/account/collections/human-resources", new { parentCollection = new { referenceName = "root" } });
        using var sibling = await alice.GetAsync(new Uri("/account/collections/sales", UriKind.Relative));
        using var siblingRoles = await alice.GetAsync(new Uri("/account/collections/sales/roleAssignments", UriKind.Relative));
        var visible = await alice.GetFromJsonAsync<JsonElement>("/account/collections");

        Assert.Equal(HttpStatusCode.Created, below.StatusCode);
        Assert.True(atRoot.StatusCode == HttpStatusCode.Forbidden, await atRoot.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, sibling.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, siblingRoles.StatusCode);
        Assert.Equal(new string?[] { "finance", "finance-eu" }, visible.GetProperty("value").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToArray());
    }

    [Fact]
    public async Task Role_assignments_are_granted_idempotently_listed_with_inheritance_and_revoked()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.PutCollection(admin, "finance-eu", "finance");

        using var first = await admin.PutAsync(new Uri("/account/collections/finance/roleAssignments/dataSourceAdmin/Dana%40contoso.com", UriKind.Relative), null);
        using var second = await admin.PutAsync(new Uri("/account/collections/finance/roleAssignments/dataSourceAdmin/dana%40contoso.com", UriKind.Relative), null);
        var direct = await admin.GetFromJsonAsync<JsonElement>("/account/collections/finance-eu/roleAssignments");
        var inherited = await admin.GetFromJsonAsync<JsonElement>("/account/collections/finance-eu/roleAssignments?includeInherited=true");
        using var revoked = await admin.DeleteAsync(new Uri("/account/collections/finance/roleAssignments/dataSourceAdmin/dana%40contoso.com", UriKind.Relative));
        using var revokedAgain = await admin.DeleteAsync(new Uri("/account/collections/finance/roleAssignments/dataSourceAdmin/dana%40contoso.com", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(0, direct.GetProperty("count").GetInt32());
        var only = Assert.Single(inherited.GetProperty("value").EnumerateArray());
        Assert.Equal("dataSourceAdmin", only.GetProperty("role").GetString());
        Assert.Equal("finance", only.GetProperty("collection").GetString());
        Assert.True(only.GetProperty("inherited").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revokedAgain.StatusCode);
    }

    [Fact]
    public async Task Connector_admin_exists_only_on_the_root_collection()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client();
        await AccessHostFixture.PutCollection(admin, "finance", "root");

        using var refused = await admin.PutAsync(new Uri("/account/collections/finance/roleAssignments/connectorAdmin/carl", UriKind.Relative), null);
        using var granted = await admin.PutAsync(new Uri("/account/collections/root/roleAssignments/connectorAdmin/carl", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_what_and_when_and_audit_reads_are_scoped()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        await using var host = new TestHost(azurite, time);
        using var admin = host.Client();
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.PutCollection(admin, "sales", "root");
        await AccessHostFixture.Grant(admin, "finance", "collectionAdmin", "alice@contoso.com");
        time.Advance(TimeSpan.FromMinutes(5));
        using var alice = host.Client("alice@contoso.com");
        await AccessHostFixture.PutCollection(alice, "finance-eu", "finance");

        var all = await admin.GetFromJsonAsync<JsonElement>("/account/audit?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z");
        var scoped = await alice.GetFromJsonAsync<JsonElement>("/account/audit?from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:00Z");
        using var nobody = await host.Client("nobody").GetAsync(new Uri("/account/audit", UriKind.Relative));

        var entries = all.GetProperty("value").EnumerateArray().ToList();
        // Newest first; the three changes made at the same instant come in any order.
        Assert.Equal(4, entries.Count);
        Assert.Equal(new string?[] { "collection.create", "collection.create", "role.grant" }, entries.Skip(1).Select(e => e.GetProperty("action").GetString()).Order(StringComparer.Ordinal).ToArray());
        var newest = entries[0];
        Assert.Equal("alice@contoso.com", newest.GetProperty("principal").GetString());
        Assert.Equal("finance-eu", newest.GetProperty("target").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 5, 0, TimeSpan.Zero), newest.GetProperty("at").GetDateTimeOffset());
        Assert.All(scoped.GetProperty("value").EnumerateArray(), e => Assert.Equal("finance", e.GetProperty("collection").GetString()));
        Assert.Equal(2, scoped.GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, nobody.StatusCode);
    }
}
