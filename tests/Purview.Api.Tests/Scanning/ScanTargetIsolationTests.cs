using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.ScanRuns;
using Purview.Api.Tests.Registry;
using Purview.Api.Tests.ScanRuns;
using Purview.Core.Registry;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Scanning;

/// <summary>
/// Issue 18, items 1 and 2, over HTTP and real storage: a collection admin cannot send a root secret where they
/// like, scans do not reach metadata, link-local, loopback or private addresses unless configured, passwords never
/// travel in clear text outside Development, and the app's own storage account is never scanned.
/// </summary>
public sealed class ScanTargetIsolationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string RootSecret = "sv=2026-01-01&sig=ROOT-SECRET-SIGNATURE";

    private TestHost NewHost(Dictionary<string, string?>? settings = null, string? prefix = null)
    {
        var all = new Dictionary<string, string?> { ["Workers:Enabled"] = "false" };
        if (prefix is not null)
        {
            all["Storage:Prefix"] = prefix;
        }

        foreach (var (k, v) in settings ?? [])
        {
            all[k] = v;
        }

        return new TestHost(azurite, settings: all);
    }

    [Fact]
    public async Task A_collection_admin_cannot_use_a_root_credential_for_a_source_of_their_own_at_registration_or_at_run_time()
    {
        await using var listener = new HostileListener();
        await using var host = NewHost();
        using var admin = host.Client("admin");
        using var alice = host.Client("alice@contoso.com");
        await admin.CreateCollection("finance");
        await admin.Grant("finance", "dataSourceAdmin", "alice@contoso.com");
        await admin.Put("/scan/credentials/root-sas", SasCredential(null));
        await alice.Put("/scan/datasources/trap", RegistryClient.DataSource("finance", endpoint: $"http://127.0.0.1:{listener.Port}/trapacct"));

        // Registration: the credential has no scope, so it serves the root collection only.
        var refused = await alice.Put("/scan/datasources/trap/scans/grab", SasScan("root-sas"), HttpStatusCode.Forbidden);
        Assert.Equal("CredentialNotAllowed", refused.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("root collection", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // A root admin scopes it to finance at that endpoint: the scan registers. Then the scope is withdrawn.
        await admin.Put("/scan/credentials/root-sas",
            SasCredential($"\"allowedEndpoints\":[\"127.0.0.1:{listener.Port}\"],\"allowedCollections\":[\"finance\"]"), HttpStatusCode.OK);
        var scoped = await admin.Get("/scan/credentials/root-sas");
        Assert.Equal($"127.0.0.1:{listener.Port}", scoped.GetProperty("properties").GetProperty("allowedEndpoints")[0].GetString());
        await alice.Put("/scan/datasources/trap/scans/grab", SasScan("root-sas"));
        await admin.Put("/scan/credentials/root-sas", SasCredential(null), HttpStatusCode.OK);

        // Run time: the run fails before anything is sent.
        var run = await RunToEndAsync(host, alice, "trap", "grab");
        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("CredentialNotAllowed", run.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, listener.Connections);
        Assert.DoesNotContain("ROOT-SECRET", listener.Received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credential_scope_is_validated_and_a_scoped_source_cannot_move_to_a_collection_outside_it()
    {
        await using var host = NewHost();
        using var admin = host.Client("admin");
        await admin.CreateCollection("sales");
        await admin.CreateCollection("people");

        var noEndpoints = await admin.Put("/scan/credentials/key-one", """{"properties":{"type":"AccountKey","accountKey":"a2V5","allowedCollections":["sales"]}}""", HttpStatusCode.BadRequest);
        Assert.Equal("properties.allowedEndpoints", noEndpoints.GetProperty("error").GetProperty("target").GetString());
        var badEntry = await admin.Put("/scan/credentials/key-one", """{"properties":{"type":"AccountKey","accountKey":"a2V5","allowedEndpoints":["https://x.blob.core.windows.net/"]}}""", HttpStatusCode.BadRequest);
        Assert.Equal("properties.allowedEndpoints[0]", badEntry.GetProperty("error").GetProperty("target").GetString());
        var unknown = await admin.Put("/scan/credentials/key-one", """{"properties":{"type":"AccountKey","accountKey":"a2V5","allowedEndpoints":["x.blob.core.windows.net"],"allowedCollections":["nope"]}}""", HttpStatusCode.BadRequest);
        Assert.Equal("properties.allowedCollections[0]", unknown.GetProperty("error").GetProperty("target").GetString());
        await admin.Get("/scan/credentials/key-one", HttpStatusCode.NotFound);

        await admin.Put("/scan/credentials/key-one", """{"properties":{"type":"AccountKey","accountKey":"a2V5","allowedEndpoints":["salesacct.blob.core.windows.net"],"allowedCollections":["sales"]}}""");
        await admin.Put("/scan/datasources/lake", RegistryClient.DataSource("sales", endpoint: "https://salesacct.blob.core.windows.net/"));
        await admin.Put("/scan/datasources/lake/scans/scan-one", RegistryClient.CredentialScan("key-one"));
        await admin.Put("/scan/datasources/other", RegistryClient.DataSource("sales", endpoint: "https://otheracct.blob.core.windows.net/"));
        var wrongHost = await admin.Put("/scan/datasources/other/scans/scan-one", RegistryClient.CredentialScan("key-one"), HttpStatusCode.Forbidden);
        Assert.Contains("otheracct.blob.core.windows.net", wrongHost.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var moved = await admin.Put("/scan/datasources/lake", RegistryClient.DataSource("people", endpoint: "https://salesacct.blob.core.windows.net/"), HttpStatusCode.Forbidden);
        Assert.Equal("CredentialNotAllowed", moved.GetProperty("error").GetProperty("code").GetString());
        var repointed = await admin.Put("/scan/datasources/lake", RegistryClient.DataSource("sales", endpoint: "https://evil.blob.core.windows.net/"), HttpStatusCode.Forbidden);
        Assert.Equal("CredentialNotAllowed", repointed.GetProperty("error").GetProperty("code").GetString());
        var still = await admin.Get("/scan/datasources/lake");
        Assert.Equal("sales", still.GetProperty("properties").GetProperty("collection").GetProperty("referenceName").GetString());
        Assert.Equal("https://salesacct.blob.core.windows.net/", still.GetProperty("properties").GetProperty("endpoint").GetString());
    }

    [Theory]
    [InlineData("AzureStorage", "http://169.254.169.254/")]
    [InlineData("AzureStorage", "http://[::ffff:169.254.169.254]/")]
    [InlineData("AzureStorage", "http://168.63.129.16/")]
    [InlineData("AzureStorage", "http://metadata.google.internal/")]
    [InlineData("AzureStorage", "http://169.254.10.1:8080/acct")]
    [InlineData("AzureStorage", "http://[fe80::1]/acct")]
    [InlineData("AzureStorage", "http://10.0.0.5/acct")]
    [InlineData("AzureStorage", "http://192.168.1.20:10000/acct")]
    [InlineData("AdlsGen2", "http://172.20.0.1/acct")]
    [InlineData("AzureStorage", "http://0.0.0.0:10000/acct")]
    [InlineData("SqlDatabase", "postgresql://169.254.169.254/db")]
    [InlineData("SqlDatabase", "postgresql://10.1.2.3:5432/db")]
    public async Task Endpoints_at_metadata_link_local_or_private_addresses_are_refused_at_registration(string kind, string endpoint)
    {
        await using var host = NewHost();
        using var admin = host.Client("admin");

        var body = await admin.Put("/scan/datasources/target", RegistryClient.DataSource(kind: kind, endpoint: endpoint), HttpStatusCode.BadRequest);

        Assert.Equal("EndpointNotAllowed", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("properties.endpoint", body.GetProperty("error").GetProperty("target").GetString());
        await admin.Get("/scan/datasources/target", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Loopback_is_allowed_in_Development_only_unless_configured_and_http_only_where_TLS_is_not_required()
    {
        await using (var development = NewHost())
        {
            using var admin = development.Client("admin");
            await admin.Put("/scan/datasources/local", RegistryClient.DataSource(endpoint: "http://127.0.0.1:10000/otheracct"));
        }

        await using var strict = NewHost(new() { ["Scanning:Targets:AllowLoopback"] = "false", ["Scanning:Targets:RequireTls"] = "true" });
        using var client = strict.Client("admin");
        var loopback = await client.Put("/scan/datasources/local", RegistryClient.DataSource(endpoint: "https://localhost:10000/otheracct"), HttpStatusCode.BadRequest);
        Assert.Contains("loopback", loopback.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var http = await client.Put("/scan/datasources/plain", RegistryClient.DataSource(endpoint: "http://acct.blob.core.windows.net/"), HttpStatusCode.BadRequest);
        Assert.Contains("https", http.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        await client.Put("/scan/datasources/plain", RegistryClient.DataSource(endpoint: "https://acct.blob.core.windows.net/"));
    }

    [Fact]
    public async Task A_scan_registered_where_loopback_was_allowed_is_refused_when_it_connects_from_a_host_that_forbids_it()
    {
        await using var listener = new HostileListener();
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using (var lenient = NewHost(prefix: prefix))
        {
            using var admin = lenient.Client("admin");
            await admin.Put("/scan/datasources/inner", RegistryClient.DataSource(endpoint: $"http://127.0.0.1:{listener.Port}/inneracct"));
            await admin.Put("/scan/datasources/inner/scans/msi", RegistryClient.MsiScan());
        }

        await using var strict = NewHost(new() { ["Scanning:Targets:AllowLoopback"] = "false" }, prefix);
        using var client = strict.Client("admin");
        var run = await RunToEndAsync(strict, client, "inner", "msi");

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("EndpointNotAllowed", run.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task A_PostgreSQL_listener_that_refuses_TLS_never_receives_the_password_where_TLS_is_required()
    {
        await using var listener = new HostileListener(postgresCleartext: true);
        await using var host = NewHost(new() { ["Scanning:Targets:RequireTls"] = "true", ["Scanning:Targets:AllowedHosts"] = "127.0.0.1" });
        using var admin = host.Client("admin");
        await admin.Put("/scan/credentials/pg-reader", """{"properties":{"type":"SqlAuth","userName":"reader","password":"PG-CLEAR-PASSWORD"}}""");
        await admin.Put("/scan/datasources/pg-shop", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: $"postgresql://127.0.0.1:{listener.Port}/shop"));
        await admin.Put("/scan/datasources/pg-shop/scans/nightly",
            """{"kind":"SqlDatabaseCredential","properties":{"scanRulesetName":"SqlDatabase","scanRulesetType":"System","credential":{"referenceName":"pg-reader","credentialType":"SqlAuth"}}}""");

        var run = await RunToEndAsync(host, admin, "pg-shop", "nightly");

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("SourceUnreachable", run.GetProperty("error").GetProperty("code").GetString());
        Assert.True(listener.Connections > 0);
        Assert.DoesNotContain("PG-CLEAR-PASSWORD", listener.Received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_foreign_server_answering_a_blob_scan_is_reported_as_not_a_storage_endpoint_without_echoing_its_answer()
    {
        await using var listener = new HostileListener();
        await using var host = NewHost();
        using var admin = host.Client("admin");
        await admin.Put("/scan/datasources/foreign", RegistryClient.DataSource(endpoint: $"http://127.0.0.1:{listener.Port}/foreignacct"));
        await admin.Put("/scan/datasources/foreign/scans/msi", RegistryClient.MsiScan());

        var run = await RunToEndAsync(host, admin, "foreign", "msi");

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("SourceNotStorage", run.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal($"The endpoint http://127.0.0.1:{listener.Port}/foreignacct did not answer as a blob storage service.", run.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unreachable_source_fails_the_run_fast_with_SourceUnreachable()
    {
        var port = HostileListenerFreePort();
        await using var host = NewHost();
        using var admin = host.Client("admin");
        await admin.Put("/scan/datasources/gone", RegistryClient.DataSource(endpoint: $"http://127.0.0.1:{port}/goneacct"));
        await admin.Put("/scan/datasources/gone/scans/msi", RegistryClient.MsiScan());

        var started = System.Diagnostics.Stopwatch.StartNew();
        var run = await RunToEndAsync(host, admin, "gone", "msi");

        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("SourceUnreachable", run.GetProperty("error").GetProperty("code").GetString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), $"took {started.Elapsed}");
    }

    [Fact]
    public async Task The_apps_own_storage_account_and_denied_accounts_are_never_registered_as_sources()
    {
        await using var host = NewHost(new() { ["Scanning:Targets:DeniedAccounts"] = "secretsacct, " + ScanRunHost.BlobEndpoint(azurite.ScanAccount) });
        using var admin = host.Client("admin");
        var own = azurite.Account.BlobEndpoint;

        foreach (var endpoint in new[] { own.AbsoluteUri, $"http://localhost:{own.Port}/devstoreaccount1/", $"http://[::1]:{own.Port}/DEVSTOREACCOUNT1" })
        {
            var body = await admin.Put("/scan/datasources/self", RegistryClient.DataSource(endpoint: endpoint), HttpStatusCode.BadRequest);
            Assert.Contains("app's own storage account", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        foreach (var endpoint in new[] { "https://secretsacct.blob.core.windows.net/", "https://secretsacct.privatelink.dfs.core.windows.net/", ScanRunHost.BlobEndpoint(azurite.ScanAccount) })
        {
            var body = await admin.Put("/scan/datasources/denied", RegistryClient.DataSource(endpoint: endpoint), HttpStatusCode.BadRequest);
            Assert.Contains("deny list", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_managed_identity_scan_of_the_apps_own_account_fails_at_run_time_and_catalogues_nothing()
    {
        // A registration made before this rule (or written straight to the registry) still cannot run.
        var registry = new InMemoryScanRegistry()
            .AddDataSource("self", DataSourceKinds.AzureStorage, ScanRunHost.BlobEndpoint(azurite.Account), "root")
            .AddScan("self", "msi");
        await using var host = new ScanRunHost(azurite, registry);
        var id = Guid.NewGuid();
        await host.PutRunAsync("self", "msi", id);
        await host.DrainAsync();

        var (_, run) = await host.GetRunAsync("self", "msi", id);
        Assert.Equal("Failed", run.GetProperty("status").GetString());
        Assert.Equal("EndpointNotAllowed", run.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
    }

    [Fact]
    public async Task A_managed_identity_scan_reaches_only_the_endpoints_an_operator_allowed()
    {
        var container = UniqueName.Container("msi");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, 3);
        var registry = new InMemoryScanRegistry()
            .AddDataSource("lake", DataSourceKinds.AzureStorage, ScanRunHost.BlobEndpoint(azurite.ScanAccount), "root")
            .AddScan("lake", "msi", filter: new ScanFilter([prefix], []));
        await using var allowedHost = new ScanRunHost(azurite, registry);

        await using (var strict = new TestHost(azurite, settings: new Dictionary<string, string?>
                     {
                         ["Workers:Enabled"] = "false",
                         ["Scanning:Targets:ManagedIdentityEndpoints"] = "https://allowed.blob.core.windows.net/",
                     }, configureServices: s => s.AddSingleton<IScanRegistry>(registry)))
        {
            using var admin = strict.Client("admin");
            var run = await RunToEndAsync(strict, admin, "lake", "msi");
            Assert.Equal("ManagedIdentityNotAllowed", run.GetProperty("error").GetProperty("code").GetString());
        }

        // The development default (loopback accounts other than the app's own) scans it.
        var id = Guid.NewGuid();
        await allowedHost.PutRunAsync("lake", "msi", id);
        await allowedHost.DrainAsync();
        var (_, ok) = await allowedHost.GetRunAsync("lake", "msi", id);
        Assert.Equal("Succeeded", ok.GetProperty("status").GetString());
        Assert.Equal(3, ok.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
    }

    private static string SasCredential(string? scope) =>
        "{\"properties\":{\"type\":\"SasToken\",\"sasToken\":\"" + RootSecret + "\"" + (scope is null ? string.Empty : "," + scope) + "}}";

    private static string SasScan(string credential) =>
        """{"kind":"AzureStorageCredential","properties":{"credential":{"referenceName":"CRED","credentialType":"SasToken"}}}""".Replace("CRED", credential, StringComparison.Ordinal);

    private static int HostileListenerFreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<JsonElement> RunToEndAsync(TestHost host, HttpClient client, string ds, string scan)
    {
        var id = Guid.NewGuid();
        using var put = await client.PutAsync(new Uri($"/scan/datasources/{ds}/scans/{scan}/runs/{id}?api-version=2023-09-01", UriKind.Relative), null);
        Assert.True(put.StatusCode == HttpStatusCode.Accepted, await put.Content.ReadAsStringAsync());
        await ScanRunHost.DrainAsync(host.Services);

        return await client.Get($"/scan/datasources/{ds}/scans/{scan}/runs/{id}?api-version=2023-09-01");
    }
}
