using System.Net.Http.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Access;

/// <summary>
/// One host for a test class with a small tree: root ─ finance ─ finance-eu, root ─ sales; and principals:
/// alice = Collection admin of finance, dana = Data source admin of finance, rita = Data reader of finance, nobody = no role.
/// </summary>
public sealed class AccessHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public TestHost Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Host = new TestHost(_azurite);
        Admin = Host.Client("admin");
        await PutCollection(Admin, "finance", "root");
        await PutCollection(Admin, "finance-eu", "finance");
        await PutCollection(Admin, "sales", "root");
        await Grant(Admin, "finance", "collectionAdmin", "alice@contoso.com");
        await Grant(Admin, "finance", "dataSourceAdmin", "dana@contoso.com");
        await Grant(Admin, "finance", "dataReader", "rita@contoso.com");
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public static async Task PutCollection(HttpClient client, string name, string parent)
    {
        using var response = await client.PutAsJsonAsync($"/account/collections/{name}", new { friendlyName = name, parentCollection = new { referenceName = parent } });
        Assert.True(response.IsSuccessStatusCode, $"PUT collection {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task Grant(HttpClient client, string collection, string role, string principal)
    {
        using var response = await client.PutAsync(new Uri($"/account/collections/{collection}/roleAssignments/{role}/{Uri.EscapeDataString(principal)}", UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, $"grant {role} on {collection}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Everything a malformed request could have changed, as text to compare before and after.</summary>
    public async Task<string> StateAsync()
    {
        var collections = await Admin.GetStringAsync(new Uri("/account/collections", UriKind.Relative));
        var rootRoles = await Admin.GetStringAsync(new Uri("/account/collections/root/roleAssignments", UriKind.Relative));
        var financeRoles = await Admin.GetStringAsync(new Uri("/account/collections/finance/roleAssignments", UriKind.Relative));
        var audit = await Admin.GetStringAsync(new Uri("/account/audit?from=2000-01-01T00:00:00Z", UriKind.Relative));
        return string.Join("\n", collections, rootRoles, financeRoles, audit);
    }
}
