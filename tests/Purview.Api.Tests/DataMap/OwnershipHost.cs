using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.ScanRuns;
using Purview.Api.Tests.Access;
using Purview.Api.Tests.Links;
using Purview.Api.Tests.Registry;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.DataMap;

/// <summary>
/// A host over Azurite (runs driven step by step, jobs off) with collections root ─ alpha, root ─ beta, root ─ archive
/// and a SQLite database (shop.db) that both alpha and beta may register. Principals: ann (Collection admin, Data source
/// admin and Data reader of alpha), ben (the same on beta), carol (Collection admin of alpha and beta), rita (Data
/// reader of alpha), bob (Data reader of beta), alpha-writer / beta-writer (Data curators pushing lineage for alpha /
/// beta). The registry is the real one, written over HTTP.
/// </summary>
internal sealed class OwnershipHost : IAsyncDisposable
{
    public const string Atlas = "/datamap/api/atlas/v2";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "purview-sqlite", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    private OwnershipHost()
    {
        ShopDatabase.Create(Path.Combine(_root, "shop", "shop.db"));
    }

    public TestHost Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public static string Table(string name) => "sqlite://shop/shop.db/" + name;

    public static string TableGuid(string name) => DataMapIds.EntityGuid("sqlite_table", Table(name));

    public static async Task<OwnershipHost> StartAsync(AzuriteFixture azurite)
    {
        var host = new OwnershipHost();
        host.Host = new TestHost(azurite, null, new Dictionary<string, string?>
        {
            ["Workers:Enabled"] = "false",
            ["Jobs:Enabled"] = "false",
            ["Scanning:SqliteRoot"] = host._root,
        });
        host.Admin = host.Host.Client("admin");
        foreach (var c in new[] { "alpha", "beta", "archive" })
        {
            await AccessHostFixture.PutCollection(host.Admin, c, "root");
        }

        foreach (var (collection, principal) in new[] { ("alpha", "ann"), ("beta", "ben") })
        {
            foreach (var role in new[] { "collectionAdmin", "dataSourceAdmin", "dataReader" })
            {
                await AccessHostFixture.Grant(host.Admin, collection, role, principal);
            }

            await AccessHostFixture.Grant(host.Admin, collection, "dataCurator", collection + "-writer");
        }

        await AccessHostFixture.Grant(host.Admin, "alpha", "collectionAdmin", "carol");
        await AccessHostFixture.Grant(host.Admin, "beta", "collectionAdmin", "carol");
        await AccessHostFixture.Grant(host.Admin, "alpha", "dataReader", "rita");
        await AccessHostFixture.Grant(host.Admin, "beta", "dataReader", "bob");
        return host;
    }

    /// <summary>Registers <paramref name="dataSource"/> (shop.db) in <paramref name="collection"/> with a scan "full", as that collection's admin.</summary>
    public async Task RegisterShopAsync(HttpClient caller, string dataSource, string collection)
    {
        await caller.Put($"/scan/datasources/{dataSource}", RegistryClient.DataSource(collection, "SqlDatabase", "sqlite:shop/shop.db"));
        await caller.Put($"/scan/datasources/{dataSource}/scans/full", """{"kind":"SqlDatabaseMsi","properties":{"scanRulesetName":"SqlDatabase","scanRulesetType":"System"}}""");
    }

    public static string RunUrl(string ds, string id) => $"/scan/datasources/{ds}/scans/full/runs/{id}?api-version=2023-09-01";

    /// <summary>Starts a run as <paramref name="caller"/> and returns its id (not driven).</summary>
    public static async Task<string> StartRunAsync(HttpClient caller, string ds)
    {
        var id = Guid.NewGuid().ToString();
        using var response = await caller.PutAsync(new Uri(RunUrl(ds, id), UriKind.Relative), null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"start {ds}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return id;
    }

    /// <summary>Runs every active run's activities until none moves any more.</summary>
    public Task DriveAsync() => Purview.Api.Tests.ScanRuns.ScanRunHost.DrainAsync(Host.Services);

    /// <summary>Starts and drives a run of <paramref name="ds"/>; returns the run as its collection's admin reads it.</summary>
    public async Task<(string Id, JsonElement Run)> ScanAsync(HttpClient caller, string ds)
    {
        var id = await StartRunAsync(caller, ds);
        await DriveAsync();
        return (id, await caller.Get(RunUrl(ds, id)));
    }

    public static async Task<string> ExceptionsAsync(HttpClient caller, string ds, string runId)
    {
        using var response = await caller.GetAsync(new Uri($"/scan/datasources/{ds}/scans/full/runs/{runId}/exceptions", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    public static (long Succeeded, long Failed) Assets(JsonElement run)
    {
        var assets = run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets");
        return (assets.GetProperty("succeeded").GetInt64(), assets.GetProperty("failed").GetInt64());
    }

    public static (long Succeeded, long Failed) Relationships(JsonElement run)
    {
        var r = run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("relationships");
        return (r.GetProperty("succeeded").GetInt64(), r.GetProperty("failed").GetInt64());
    }

    public async Task ConnectAsync(string type, string name, string collection, params string[] writers)
    {
        using var response = await Admin.PutAsJsonAsync($"/links/{type}/{Uri.EscapeDataString(name)}", new { collection, writers });
        Assert.True(response.IsSuccessStatusCode, $"connect {type}/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Pushes a native activity run as <paramref name="caller"/>; returns its <c>reportLineageToPurview</c>.</summary>
    public static async Task<JsonElement> PushAsync(HttpClient caller, string factory, object run)
    {
        using var response = await caller.PostAsJsonAsync($"/links/AzureDataFactory/{factory}/activityruns", run);
        return await LinksHost.JsonAsync(response, 200);
    }

    public static object Blob(string name) => new { qualifiedName = "https://acct.blob.core.windows.net/raw/" + name, type = "azure_blob_path", name };

    public static object SqlTable(string name) => new { qualifiedName = "mssql://srv.database.windows.net/db/dbo/" + name, type = "azure_sql_table", name };

    public static string BlobGuid(string name) => DataMapIds.EntityGuid("azure_blob_path", "https://acct.blob.core.windows.net/raw/" + name);

    public static string SqlTableGuid(string name) => DataMapIds.EntityGuid("azure_sql_table", "mssql://srv.database.windows.net/db/dbo/" + name);

    public static async Task<HttpStatusCode> StatusAsync(HttpClient caller, string url)
    {
        using var response = await caller.GetAsync(new Uri(url, UriKind.Relative));
        return response.StatusCode;
    }

    /// <summary>A client calling as <paramref name="principal"/>, made once per host and disposed with it.</summary>
    public HttpClient As(string principal)
    {
        if (!_clients.TryGetValue(principal, out var client))
        {
            client = Host.Client(principal);
            _clients[principal] = client;
        }

        return client;
    }

    /// <summary>Alpha's data source over shop.db (shop-a), registered and scanned once by ann, alpha's admin: alpha owns its 6 tables.</summary>
    public async Task<JsonElement> AlphaScannedAsync()
    {
        await RegisterShopAsync(As("ann"), "shop-a", "alpha");
        var (_, run) = await ScanAsync(As("ann"), "shop-a");
        return run;
    }

    /// <summary>One link in alpha written by alpha-writer and one in beta written by beta-writer.</summary>
    public async Task ConnectBothAsync(string type, string alphaLink, string betaLink)
    {
        await ConnectAsync(type, alphaLink, "alpha", "alpha-writer");
        await ConnectAsync(type, betaLink, "beta", "beta-writer");
    }

    /// <summary>
    /// Both factories connected, and alpha's (factory-a) copying a.csv into the SQL table sales, which alpha then owns;
    /// returns sales as rita (alpha's reader) reads it.
    /// </summary>
    public async Task<JsonElement> AlphaOwnsSalesAsync()
    {
        await ConnectBothAsync("AzureDataFactory", "factory-a", "factory-b");
        await PushAsync(As("alpha-writer"), "factory-a", LinksHost.CopyRun("a-1", LinksHost.Start, inputs: [Blob("a.csv")], outputs: [SqlTable("sales")]));
        return await As("rita").Get($"{Atlas}/entity/guid/{SqlTableGuid("sales")}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        Admin.Dispose();
        await Host.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
