using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Registry;
using Purview.Storage;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Registry;

public sealed class RegistryEndpointTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Data_sources_scans_scope_and_triggers_round_trip_in_the_Purview_shapes()
    {
        await using var host = new TestHost(azurite);
        var admin = host.Client("admin");

        var created = await admin.Put("/scan/datasources/blob-1?api-version=2023-09-01", RegistryClient.DataSource(endpoint: "http://127.0.0.1:10000/devstoreaccount1"));
        Assert.Equal("AzureStorage", created.GetProperty("kind").GetString());
        Assert.Equal("blob-1", created.GetProperty("name").GetString());
        var props = created.GetProperty("properties");
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/", props.GetProperty("endpoint").GetString());
        Assert.Equal("root", props.GetProperty("collection").GetProperty("referenceName").GetString());
        Assert.Equal("CollectionReference", props.GetProperty("collection").GetProperty("type").GetString());
        Assert.True(props.TryGetProperty("createdAt", out _) && props.TryGetProperty("lastModifiedAt", out _));

        await admin.Put("/scan/datasources/blob-1", RegistryClient.DataSource(endpoint: "http://127.0.0.1:10000/devstoreaccount1/"), HttpStatusCode.OK);
        var list = await admin.Get("/scan/datasources");
        Assert.Equal(1, list.GetProperty("count").GetInt32());
        Assert.Equal("blob-1", list.GetProperty("value")[0].GetProperty("name").GetString());
        Assert.True(list.TryGetProperty("nextLink", out _));

        var scan = await admin.Put("/scan/datasources/blob-1/scans/daily", RegistryClient.MsiScan());
        Assert.Equal("AzureStorageMsi", scan.GetProperty("kind").GetString());
        var scanProps = scan.GetProperty("properties");
        Assert.Equal("AzureStorage", scanProps.GetProperty("scanRulesetName").GetString());
        Assert.Equal("System", scanProps.GetProperty("scanRulesetType").GetString());
        Assert.Equal("default", scanProps.GetProperty("connectedVia").GetProperty("referenceName").GetString());
        Assert.Equal("root", scanProps.GetProperty("collection").GetProperty("referenceName").GetString());
        Assert.Equal(1, (await admin.Get("/scan/datasources/blob-1/scans")).GetProperty("count").GetInt32());

        var emptyFilter = await admin.Get("/scan/datasources/blob-1/scans/daily/filters/custom");
        Assert.Equal(0, emptyFilter.GetProperty("properties").GetProperty("includeUriPrefixes").GetArrayLength());
        await admin.Put("/scan/datasources/blob-1/scans/daily/filters/custom",
            """{"properties":{"includeUriPrefixes":["http://127.0.0.1:10000/devstoreaccount1/finance/"],"excludeUriPrefixes":["http://127.0.0.1:10000/devstoreaccount1/finance/tmp/"]}}""", HttpStatusCode.OK);
        var filter = await admin.Get("/scan/datasources/blob-1/scans/daily/filters/custom");
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/finance/", filter.GetProperty("properties").GetProperty("includeUriPrefixes")[0].GetString());
        var stored = await host.Services.GetRequiredService<IScanRegistry>().GetFilterAsync("blob-1", "daily", default);
        Assert.True(stored.Includes("http://127.0.0.1:10000/devstoreaccount1/finance/a.csv"));
        Assert.False(stored.Includes("http://127.0.0.1:10000/devstoreaccount1/finance/tmp/a.csv"));

        await admin.Get("/scan/datasources/blob-1/scans/daily/triggers/default", HttpStatusCode.NotFound);
        var trigger = await admin.Put("/scan/datasources/blob-1/scans/daily/triggers/default",
            """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z","endTime":null,"timezone":"UTC"},"scanLevel":"Incremental"}}""");
        var recurrence = trigger.GetProperty("properties").GetProperty("recurrence");
        Assert.Equal("Day", recurrence.GetProperty("frequency").GetString());
        Assert.Equal(1, recurrence.GetProperty("interval").GetInt32());
        Assert.Equal("UTC", recurrence.GetProperty("timeZone").GetString());
        Assert.Equal("Incremental", trigger.GetProperty("properties").GetProperty("scanLevel").GetString());
        var triggers = await host.Services.GetRequiredService<IScanRegistry>().ListTriggersAsync(default);
        Assert.Equal(("blob-1", "daily", "Day"), (triggers.Single().DataSourceName, triggers.Single().ScanName, triggers.Single().Frequency));

        var refused = await admin.Delete("/scan/datasources/blob-1", HttpStatusCode.Conflict);
        RegistryClient.AssertPurviewError(refused);
        await admin.Delete("/scan/datasources/blob-1/scans/daily");
        Assert.Empty(await host.Services.GetRequiredService<IScanRegistry>().ListTriggersAsync(default));
        await admin.Get("/scan/datasources/blob-1/scans/daily", HttpStatusCode.NotFound);
        await admin.Delete("/scan/datasources/blob-1");
        Assert.Equal(0, (await admin.Get("/scan/datasources")).GetProperty("count").GetInt32());

        var audit = await admin.Get("/account/audit");
        var actions = audit.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "datasource.put", "scan.put", "scan.filter.put", "trigger.put", "scan.delete", "datasource.delete" }, actions);
    }

    [Fact]
    public async Task Credentials_are_stored_encrypted_never_returned_and_readable_by_another_instance()
    {
        const string secret = "c2VjcmV0LWtleS10aGF0LW11c3Qtbm90LWxlYWs=";
        await using var host = new TestHost(azurite);
        var admin = host.Client("admin");
        var created = await admin.Put("/scan/credentials/blob-key", $$$"""{"properties":{"type":"AccountKey","accountKey":"{{{secret}}}"}}""");
        Assert.Equal("AccountKey", created.GetProperty("properties").GetProperty("type").GetString());
        Assert.True(created.GetProperty("properties").GetProperty("hasSecret").GetBoolean());
        await admin.Put("/scan/credentials/sql-login", """{"properties":{"type":"SqlAuth","userName":"scanner","password":"P@ssw0rd-not-logged"}}""");

        foreach (var body in new[] { await admin.Get("/scan/credentials/blob-key"), await admin.Get("/scan/credentials"), await admin.Get("/scan/credentials/sql-login") })
        {
            var text = body.GetRawText();
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("P@ssw0rd", text, StringComparison.Ordinal);
        }

        Assert.Equal("scanner", (await admin.Get("/scan/credentials/sql-login")).GetProperty("properties").GetProperty("userName").GetString());

        var layout = host.Services.GetRequiredService<StorageLayout>();
        var raw = new List<string>();
        await foreach (var e in layout.Table("credentials").QueryAsync())
        {
            raw.Add(JsonSerializer.Serialize(e.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString())));
        }

        Assert.Equal(2, raw.Count);
        Assert.All(raw, r => Assert.DoesNotContain(secret, r, StringComparison.Ordinal));
        Assert.All(raw, r => Assert.DoesNotContain("P@ssw0rd", r, StringComparison.Ordinal));
        var audit = (await admin.Get("/account/audit")).GetRawText();
        Assert.Contains("credential.put", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, audit, StringComparison.Ordinal);

        Assert.Equal(secret, (await host.Services.GetRequiredService<IScanRegistry>().GetCredentialSecretAsync("blob-key", default))!.Secret);
        await using (var second = new TestHost(azurite, settings: new Dictionary<string, string?> { ["Storage:Prefix"] = host.Factory.StoragePrefix }))
        {
            var fromSecond = await second.Services.GetRequiredService<IScanRegistry>().GetCredentialSecretAsync("blob-key", default);
            Assert.Equal(secret, fromSecond!.Secret);
            Assert.Equal(CredentialType.AccountKey, fromSecond.Type);
            var sql = await second.Services.GetRequiredService<IScanRegistry>().GetCredentialSecretAsync("sql-login", default);
            Assert.Equal(("scanner", "P@ssw0rd-not-logged"), (sql!.UserName, sql.Secret));
        }

        await admin.Put("/scan/datasources/blob-1", RegistryClient.DataSource());
        var scan = await admin.Put("/scan/datasources/blob-1/scans/with-key", RegistryClient.CredentialScan("blob-key"));
        Assert.Equal("blob-key", scan.GetProperty("properties").GetProperty("credential").GetProperty("referenceName").GetString());
        RegistryClient.AssertPurviewError(await admin.Delete("/scan/credentials/blob-key", HttpStatusCode.Conflict));
        await admin.Delete("/scan/datasources/blob-1/scans/with-key");
        await admin.Delete("/scan/credentials/blob-key");
        await admin.Get("/scan/credentials/blob-key", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Integration_runtimes_and_settings_have_defaults_bounds_and_in_use_protection()
    {
        await using var host = new TestHost(azurite);
        var admin = host.Client("admin");
        var runtimes = await admin.Get("/scan/integrationruntimes");
        var managed = runtimes.GetProperty("value")[0];
        Assert.Equal(("default", "Managed", 10), (managed.GetProperty("name").GetString(), managed.GetProperty("kind").GetString(), managed.GetProperty("properties").GetProperty("capacity").GetInt32()));
        RegistryClient.AssertPurviewError(await admin.Delete("/scan/integrationruntimes/default", HttpStatusCode.Conflict));

        var shir = await admin.Put("/scan/integrationruntimes/shir-1", """{"kind":"SelfHosted","properties":{"nodes":2,"concurrentScansPerNode":1}}""");
        Assert.Equal(2, shir.GetProperty("properties").GetProperty("capacity").GetInt32());
        await admin.Put("/scan/integrationruntimes/shir-1", """{"kind":"SelfHosted","properties":{"nodes":3,"concurrentScansPerNode":2}}""", HttpStatusCode.OK);
        Assert.Equal(6, (await host.Services.GetRequiredService<IScanRegistry>().GetIntegrationRuntimeAsync("shir-1", default))!.Capacity);

        await admin.Put("/scan/datasources/blob-1", RegistryClient.DataSource());
        await admin.Put("/scan/datasources/blob-1/scans/on-shir", """{"kind":"AzureStorageMsi","properties":{"connectedVia":{"referenceName":"shir-1"}}}""");
        RegistryClient.AssertPurviewError(await admin.Delete("/scan/integrationruntimes/shir-1", HttpStatusCode.Conflict));
        await admin.Delete("/scan/datasources/blob-1/scans/on-shir");
        await admin.Delete("/scan/integrationruntimes/shir-1");

        Assert.Equal(5, (await admin.Get("/scan/settings")).GetProperty("maxConcurrentScanRuns").GetInt32());
        await admin.Put("/scan/settings", """{"maxConcurrentScanRuns":8}""", HttpStatusCode.OK);
        Assert.Equal(8, (await admin.Get("/scan/settings")).GetProperty("maxConcurrentScanRuns").GetInt32());
        Assert.Equal(8, (await host.Services.GetRequiredService<IScanRegistry>().GetSettingsAsync(default)).MaxConcurrentScanRuns);
        var error = await admin.Put("/scan/settings", """{"maxConcurrentScanRuns":11}""", HttpStatusCode.BadRequest);
        Assert.Equal("maxConcurrentScanRuns", error.GetProperty("error").GetProperty("target").GetString());
    }

    [Fact]
    public async Task Data_source_admins_act_only_in_their_collections()
    {
        await using var host = new TestHost(azurite);
        var admin = host.Client("admin");
        await admin.CreateCollection("finance");
        await admin.CreateCollection("sales");
        await admin.Grant("finance", "dataSourceAdmin", "alice@contoso.com");
        await admin.Grant("sales", "dataReader", "alice@contoso.com");
        var alice = host.Client("alice@contoso.com");
        var bob = host.Client("bob@contoso.com");

        await admin.Put("/scan/datasources/sales-blob", RegistryClient.DataSource("sales"));
        await admin.Put("/scan/datasources/hr-blob", RegistryClient.DataSource("root"));
        await alice.Put("/scan/datasources/fin-blob", RegistryClient.DataSource("finance"));
        await alice.Put("/scan/datasources/fin-blob/scans/scan-1", RegistryClient.MsiScan());

        var list = await alice.Get("/scan/datasources");
        Assert.Equal(["fin-blob"], list.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
        RegistryClient.AssertPurviewError(await alice.Get("/scan/datasources/hr-blob", HttpStatusCode.NotFound));
        await alice.Get("/scan/datasources/hr-blob/scans", HttpStatusCode.NotFound);
        await alice.Delete("/scan/datasources/hr-blob", HttpStatusCode.NotFound);
        // Alice reads sales (Data reader) but does not administer its sources.
        RegistryClient.AssertPurviewError(await alice.Get("/scan/datasources/sales-blob", HttpStatusCode.Forbidden));
        await alice.Put("/scan/datasources/sales-2", RegistryClient.DataSource("sales"), HttpStatusCode.Forbidden);
        // Moving her source needs the role on both collections.
        await alice.Put("/scan/datasources/fin-blob", RegistryClient.DataSource("sales"), HttpStatusCode.Forbidden);
        await alice.Put("/scan/datasources/fin-blob", RegistryClient.DataSource("root"), HttpStatusCode.BadRequest);
        Assert.Equal("finance", (await alice.Get("/scan/datasources/fin-blob")).GetProperty("properties").GetProperty("collection").GetProperty("referenceName").GetString());

        // Account-level objects: readable by any Data source admin, changed only from the root.
        await alice.Get("/scan/credentials");
        await alice.Get("/scan/integrationruntimes");
        await alice.Put("/scan/credentials/alice-key", """{"properties":{"type":"SasToken","sasToken":"sv=1"}}""", HttpStatusCode.Forbidden);
        await alice.Put("/scan/settings", """{"maxConcurrentScanRuns":3}""", HttpStatusCode.Forbidden);

        // No Data source admin role anywhere: the whole group is refused.
        RegistryClient.AssertPurviewError(await bob.Get("/scan/datasources", HttpStatusCode.Forbidden));
        await bob.Get("/scan/credentials", HttpStatusCode.Forbidden);
        await host.Client(null).Get("/scan/datasources", HttpStatusCode.Unauthorized);

        // A collection holding a data source cannot be deleted; a move frees it.
        await admin.Delete("/account/collections/finance", HttpStatusCode.Conflict);
        await admin.Put("/scan/datasources/fin-blob", RegistryClient.DataSource("sales"), HttpStatusCode.OK);
        Assert.Equal("sales", (await admin.Get("/scan/datasources/fin-blob/scans/scan-1")).GetProperty("properties").GetProperty("collection").GetProperty("referenceName").GetString());
        await alice.Get("/scan/datasources/fin-blob", HttpStatusCode.Forbidden);
        await admin.Send(HttpMethod.Delete, "/account/collections/finance", null, HttpStatusCode.NoContent);
    }
}
