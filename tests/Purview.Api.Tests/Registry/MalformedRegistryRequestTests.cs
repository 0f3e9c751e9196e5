using System.Net;
using System.Text;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Registry;

/// <summary>One host seeded with a registry; every malformed request is refused with the Purview error shape and changes nothing.</summary>
public sealed class RegistrySeed : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public TestHost Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Host = new TestHost(_azurite);
        Admin = Host.Client("admin");
        await Admin.Put("/scan/datasources/blob-1", RegistryClient.DataSource());
        await Admin.Put("/scan/datasources/sql-1", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "tcp:sql.example.net,1433"));
        await Admin.Put("/scan/datasources/pg-1", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "postgresql://db.example.net/sales"));
        await Admin.Put("/scan/credentials/key-1", """{"properties":{"type":"AccountKey","accountKey":"a2V5"}}""");
        await Admin.Put("/scan/credentials/sql-cred", """{"properties":{"type":"SqlAuth","userName":"u","password":"p"}}""");
        await Admin.Put("/scan/integrationruntimes/shir-1", """{"kind":"SelfHosted","properties":{"nodes":1,"concurrentScansPerNode":1}}""");
        await Admin.Put("/scan/datasources/blob-1/scans/daily", RegistryClient.MsiScan());
        await Admin.Put("/scan/datasources/blob-1/scans/keyed", """{"kind":"AzureStorageCredential","properties":{"credential":{"referenceName":"key-1"},"connectedVia":{"referenceName":"shir-1"}}}""");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public async Task<string> SnapshotAsync()
    {
        var text = new StringBuilder();
        foreach (var url in new[]
                 {
                     "/scan/datasources", "/scan/datasources/blob-1/scans", "/scan/datasources/sql-1/scans", "/scan/credentials", "/scan/integrationruntimes",
                     "/scan/settings", "/scan/datasources/blob-1/scans/daily/filters/custom", "/scan/datasources/blob-1/scans/daily/triggers/default",
                 })
        {
            using var response = await Admin.GetAsync(url);
            text.Append((int)response.StatusCode).Append(' ').AppendLine(await response.Content.ReadAsStringAsync());
        }

        return text.ToString();
    }
}

public sealed class MalformedRegistryRequestTests(RegistrySeed seed) : IClassFixture<RegistrySeed>
{
    private const string Ds = "/scan/datasources/blob-1";
    private const string Scan = "/scan/datasources/blob-1/scans/daily";
    private const string NewScan = "/scan/datasources/blob-1/scans/new-scan";
    private const string Trigger = "/scan/datasources/blob-1/scans/daily/triggers/default";
    private const string Filter = "/scan/datasources/blob-1/scans/daily/filters/custom";
    private const string EndpointProps = """ "endpoint":"https://acct.blob.core.windows.net/","collection":{"referenceName":"root"} """;

    public static TheoryData<string, string, string?, int, string?> Cases() => new()
    {
        // Data sources: names
        { "PUT", "/scan/datasources/ab", RegistryClient.DataSource(), 400, "dataSourceName" },
        { "PUT", "/scan/datasources/-bad-", RegistryClient.DataSource(), 400, "dataSourceName" },
        { "PUT", "/scan/datasources/a--b", RegistryClient.DataSource(), 400, "dataSourceName" },
        { "PUT", "/scan/datasources/" + new string('a', 64), RegistryClient.DataSource(), 400, "dataSourceName" },
        { "PUT", "/scan/datasources/new_source", RegistryClient.DataSource(), 400, "dataSourceName" },
        { "GET", "/scan/datasources/x", null, 400, "dataSourceName" },
        // Data sources: JSON and shape
        { "PUT", "/scan/datasources/new-1", """{"kind":""", 400, null },
        { "PUT", "/scan/datasources/new-1", "", 400, null },
        { "PUT", "/scan/datasources/new-1", "[]", 400, null },
        { "PUT", "/scan/datasources/new-1", """{"kind":"S3","properties":{""" + EndpointProps + "}}", 400, "kind" },
        { "PUT", "/scan/datasources/new-1", """{"properties":{""" + EndpointProps + "}}", 400, "kind" },
        { "PUT", "/scan/datasources/new-1", """{"kind":5,"properties":{""" + EndpointProps + "}}", 400, "kind" },
        { "PUT", "/scan/datasources/new-1", """{"kind":"AzureStorage","foo":1,"properties":{""" + EndpointProps + "}}", 400, "foo" },
        { "PUT", "/scan/datasources/new-1", """{"kind":"AzureStorage","properties":{"bar":true,""" + EndpointProps + "}}", 400, "properties.bar" },
        { "PUT", "/scan/datasources/new-1", """{"kind":"AzureStorage","properties":"x"}""", 400, "properties" },
        { "PUT", "/scan/datasources/new-1", """{"kind":"AzureStorage","properties":{"collection":{"referenceName":"root"}}}""", 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(endpoint: "acct/blob"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(endpoint: "ftp://acct.blob.core.windows.net/"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(endpoint: "https://acct.blob.core.windows.net/?sv=1"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "Server=x;Password=secret"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "sqlite:../../etc/shadow"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "sqlite:/var/lib/app.db"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "postgresql://scanner:pw@db.example.net/sales"), 400, "properties.endpoint" },
        { "PUT", "/scan/datasources/new-1", """{"kind":"AzureStorage","properties":{"endpoint":"https://acct.blob.core.windows.net/"}}""", 400, "properties.collection.referenceName" },
        { "PUT", "/scan/datasources/new-1", RegistryClient.DataSource(collection: "nowhere"), 400, "properties.collection.referenceName" },
        { "PUT", "/scan/datasources/new-1", """{"kind":"AzureStorage","properties":{"endpoint":"https://a.blob.core.windows.net/","collection":{"referenceName":7}}}""", 400, "properties.collection.referenceName" },
        { "PUT", "/scan/datasources/new-1", """{"name":"other","kind":"AzureStorage","properties":{""" + EndpointProps + "}}", 400, "name" },
        { "PUT", Ds, RegistryClient.DataSource(kind: "AdlsGen2"), 400, "kind" },
        { "PUT", "/scan/datasources/new-1?api-version=2022-02-01-preview", RegistryClient.DataSource(), 400, "api-version" },
        { "GET", "/scan/datasources?api-version=2018-12-01", null, 400, "api-version" },
        { "GET", "/scan/datasources/nope-1", null, 404, null },
        { "DELETE", "/scan/datasources/nope-1", null, 404, null },
        { "DELETE", Ds, null, 409, null },
        // Scans
        { "PUT", "/scan/datasources/blob-1/scans/x", RegistryClient.MsiScan(), 400, "scanName" },
        { "PUT", "/scan/datasources/nope-1/scans/new-scan", RegistryClient.MsiScan(), 404, null },
        { "PUT", NewScan, RegistryClient.MsiScan("AzureStorageKey"), 400, "kind" },
        { "PUT", NewScan, RegistryClient.MsiScan("SqlDatabaseMsi"), 400, "kind" },
        { "PUT", "/scan/datasources/pg-1/scans/new-scan", """{"kind":"SqlDatabaseMsi","properties":{}}""", 400, "kind" },
        { "PUT", NewScan, """{"kind":"AzureStorageCredential","properties":{}}""", 400, "properties.credential.referenceName" },
        { "PUT", NewScan, RegistryClient.CredentialScan("nope-key"), 400, "properties.credential.referenceName" },
        { "PUT", NewScan, """{"kind":"AzureStorageCredential","properties":{"credential":{"referenceName":"key-1","credentialType":"SqlAuth"}}}""", 400, "properties.credential.credentialType" },
        { "PUT", NewScan, """{"kind":"AzureStorageCredential","properties":{"credential":{"referenceName":"sql-cred"}}}""", 400, "properties.credential.referenceName" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"credential":{"referenceName":"key-1"}}}""", 400, "properties.credential" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"connectedVia":{"referenceName":"nope-ir"}}}""", 400, "properties.connectedVia.referenceName" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"scanRulesetType":"Custom"}}""", 400, "properties.scanRulesetName" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"scanRulesetType":"Custom","scanRulesetName":"nope-set"}}""", 400, "properties.scanRulesetName" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"scanRulesetType":"Partial"}}""", 400, "properties.scanRulesetType" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"AdlsGen2"}}""", 400, "properties.scanRulesetName" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"collection":{"referenceName":"elsewhere"}}}""", 400, "properties.collection.referenceName" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"schedule":{}}}""", 400, "properties.schedule" },
        { "PUT", NewScan, """{"kind":"AzureStorageMsi","properties":{"connectedVia":"default"}}""", 400, "properties.connectedVia" },
        { "GET", "/scan/datasources/blob-1/scans/nope-scan", null, 404, null },
        { "DELETE", "/scan/datasources/blob-1/scans/nope-scan", null, 404, null },
        // Scope
        { "PUT", Filter, """{"properties":{"includeUriPrefixes":["https://other.blob.core.windows.net/x/"]}}""", 400, "properties.includeUriPrefixes[0]" },
        { "PUT", Filter, """{"properties":{"excludeUriPrefixes":["https://acct.blob.core.windows.net/a/","finance/"]}}""", 400, "properties.excludeUriPrefixes[1]" },
        { "PUT", Filter, """{"properties":{"includeUriPrefixes":[""" + string.Join(',', Enumerable.Range(0, 1001).Select(i => $"\"https://acct.blob.core.windows.net/c{i}/\"")) + "]}}", 400, "properties.includeUriPrefixes" },
        { "PUT", Filter, """{"properties":{"includeUriPrefixes":"https://acct.blob.core.windows.net/"}}""", 400, "properties.includeUriPrefixes" },
        { "PUT", Filter, """{}""", 400, "properties" },
        { "PUT", Filter, """{"properties":{"other":[]}}""", 400, "properties.other" },
        { "PUT", "/scan/datasources/blob-1/scans/nope-scan/filters/custom", """{"properties":{}}""", 404, null },
        // Triggers
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Year","interval":1,"startTime":"2026-11-01T00:00:00Z"}}}""", 400, "properties.recurrence.frequency" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":0,"startTime":"2026-11-01T00:00:00Z"}}}""", 400, "properties.recurrence.interval" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":1001,"startTime":"2026-11-01T00:00:00Z"}}}""", 400, "properties.recurrence.interval" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":"one","startTime":"2026-11-01T00:00:00Z"}}}""", 400, "properties.recurrence.interval" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":1}}}""", 400, "properties.recurrence.startTime" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"tomorrow"}}}""", 400, "properties.recurrence.startTime" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z","endTime":"2026-10-01T00:00:00Z"}}}""", 400, "properties.recurrence.endTime" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z","timezone":"Europe/Paris"}}}""", 400, "properties.recurrence.timeZone" },
        { "PUT", Trigger, """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z"},"scanLevel":"Partial"}}""", 400, "properties.scanLevel" },
        { "PUT", Trigger, """{"properties":{"scanLevel":"Full"}}""", 400, "properties.recurrence" },
        { "PUT", Trigger, """{"name":"weekly","properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z"}}}""", 400, "name" },
        { "PUT", "/scan/datasources/blob-1/scans/nope-scan/triggers/default", """{"properties":{"recurrence":{"frequency":"Day","interval":1,"startTime":"2026-11-01T00:00:00Z"}}}""", 404, null },
        { "DELETE", Trigger, null, 404, null },
        // Credentials
        { "PUT", "/scan/credentials/new-cred", """{"properties":{"type":"Certificate","accountKey":"x"}}""", 400, "properties.type" },
        { "PUT", "/scan/credentials/new-cred", """{"properties":{"type":"AccountKey"}}""", 400, "properties.accountKey" },
        { "PUT", "/scan/credentials/new-cred", """{"properties":{"type":"AccountKey","accountKey":"x","password":"y"}}""", 400, "properties.password" },
        { "PUT", "/scan/credentials/new-cred", """{"properties":{"type":"SqlAuth","userName":"u"}}""", 400, "properties.password" },
        { "PUT", "/scan/credentials/new-cred", """{"properties":{"type":"SasToken","sasToken":"x","expiry":"2027-01-01"}}""", 400, "properties.expiry" },
        { "PUT", "/scan/credentials/a_b", """{"properties":{"type":"SasToken","sasToken":"x"}}""", 400, "credentialName" },
        { "PUT", "/scan/credentials/new-cred", """{"properties":{"type":"SasToken","sasToken":42}}""", 400, "properties.sasToken" },
        { "DELETE", "/scan/credentials/key-1", null, 409, null },
        { "GET", "/scan/credentials/nope-cred", null, 404, null },
        // Integration runtimes
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"SelfHosted","properties":{"nodes":0,"concurrentScansPerNode":1}}""", 400, "properties.nodes" },
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"SelfHosted","properties":{"nodes":17,"concurrentScansPerNode":1}}""", 400, "properties.nodes" },
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"SelfHosted","properties":{"nodes":1,"concurrentScansPerNode":0}}""", 400, "properties.concurrentScansPerNode" },
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"SelfHosted","properties":{"nodes":1,"concurrentScansPerNode":17}}""", 400, "properties.concurrentScansPerNode" },
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"Managed","properties":{"nodes":1,"concurrentScansPerNode":1}}""", 400, "kind" },
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"SelfHosted","properties":{"concurrentScansPerNode":1}}""", 400, "properties.nodes" },
        { "PUT", "/scan/integrationruntimes/new-ir", """{"kind":"SelfHosted","properties":{"nodes":"2","concurrentScansPerNode":1}}""", 400, "properties.nodes" },
        { "PUT", "/scan/integrationruntimes/default", """{"kind":"SelfHosted","properties":{"nodes":1,"concurrentScansPerNode":1}}""", 409, null },
        { "DELETE", "/scan/integrationruntimes/default", null, 409, null },
        { "DELETE", "/scan/integrationruntimes/shir-1", null, 409, null },
        { "GET", "/scan/integrationruntimes/nope-ir", null, 404, null },
        // Settings
        { "PUT", "/scan/settings", """{"maxConcurrentScanRuns":0}""", 400, "maxConcurrentScanRuns" },
        { "PUT", "/scan/settings", """{"maxConcurrentScanRuns":11}""", 400, "maxConcurrentScanRuns" },
        { "PUT", "/scan/settings", """{}""", 400, "maxConcurrentScanRuns" },
        { "PUT", "/scan/settings", """{"maxConcurrentScanRuns":5,"extra":1}""", 400, "extra" },
        { "PUT", "/scan/settings", """{"maxConcurrentScanRuns":"five"}""", 400, "maxConcurrentScanRuns" },
        { "PUT", "/scan/settings", """{"maxConcurrentScanRuns":5.5}""", 400, "maxConcurrentScanRuns" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_requests_are_refused_in_the_Purview_shape_and_change_nothing(string method, string url, string? body, int status, string? target)
    {
        var before = await seed.SnapshotAsync();
        var error = await seed.Admin.Send(new HttpMethod(method), url, body, (HttpStatusCode)status);
        RegistryClient.AssertPurviewError(error);
        if (target is not null)
        {
            Assert.Equal(target, error.GetProperty("error").GetProperty("target").GetString());
        }

        Assert.Equal(before, await seed.SnapshotAsync());
    }
}
