using System.Net;
using System.Text.Json;
using Purview.Api.Tests.Registry;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Conformance;

/// <summary>
/// The Scanning API 2023-09-01 examples (azure-rest-api-specs, vendored under tests/specs) replayed against the real
/// host over Azurite: request bodies as the spec writes them, answers checked against the spec's.
/// </summary>
public sealed class ScanningSpecExampleTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string AccountKeyInKeyVault =
        """{"kind":"AccountKey","properties":{"description":"key in a vault","typeProperties":{"accountKey":{"type":"AzureKeyVaultSecret","secretName":"storage-key","secretVersion":"1","store":{"referenceName":"vault-1","type":"LinkedServiceReference"}}}}}""";

    private TestHost NewHost() => new(azurite, settings: new Dictionary<string, string?> { ["Workers:Enabled"] = "false" });

    [Fact]
    public async Task Data_source_example_is_accepted_and_the_fields_of_its_answer_round_trip()
    {
        await using var host = NewHost();
        var admin = host.Client("admin");
        await admin.CreateCollection("Collection-rZX");
        await admin.CreateCollection("sharedeuappurviewaccount");

        var (body, example) = SpecFiles.ScanningExample("DataSources_CreateOrReplace.json");
        var created = await admin.Put("/scan/datasources/myDataSource?api-version=2023-09-01", body!);
        Assert.Equal("AzureStorage", created.GetProperty("kind").GetString());
        Assert.Equal("https://azurestorage.core.windows.net/", created.GetProperty("properties").GetProperty("endpoint").GetString());
        Assert.Equal("Collection-rZX", created.GetProperty("properties").GetProperty("collection").GetProperty("referenceName").GetString());

        // A client that read the spec's answer sends it back: every field it carries is one the spec defines.
        var answer = SpecFiles.ResponseBody(example, "200");
        await admin.Put("/scan/datasources/AzureDataLakeStorage-cpm", answer);
        var read = (await admin.Get("/scan/datasources/AzureDataLakeStorage-cpm")).GetProperty("properties");
        var sent = example.GetProperty("responses").GetProperty("200").GetProperty("body").GetProperty("properties");
        foreach (var field in new[] { "endpoint", "resourceGroup", "subscriptionId", "location", "resourceName", "resourceId", "dataUseGovernance", "dataSourceCollectionMovingState" })
        {
            Assert.Equal(sent.GetProperty(field).GetString(), read.GetProperty(field).GetString());
        }

        Assert.Equal("AdlsGen2", (await admin.Get("/scan/datasources/AzureDataLakeStorage-cpm")).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Credential_examples_are_accepted_with_their_kind_and_description()
    {
        await using var host = NewHost();
        var admin = host.Client("admin");

        var (body, example) = SpecFiles.ScanningExample("Credential_CreateOrReplace.json");
        var created = await admin.Put("/scan/credentials/myCredential?api-version=2023-09-01", body!);
        var expected = example.GetProperty("responses").GetProperty("201").GetProperty("body");
        Assert.Equal(expected.GetProperty("name").GetString(), created.GetProperty("name").GetString());
        Assert.Equal(expected.GetProperty("kind").GetString(), created.GetProperty("kind").GetString());
        Assert.Equal("test description", created.GetProperty("properties").GetProperty("description").GetString());
        Assert.False(created.GetProperty("properties").GetProperty("hasSecret").GetBoolean());
        await admin.Put("/scan/credentials/myCredential", body!, HttpStatusCode.OK);

        var (_, list) = SpecFiles.ScanningExample("Credential_ListAll.json");
        foreach (var item in list.GetProperty("responses").GetProperty("200").GetProperty("body").GetProperty("value").EnumerateArray())
        {
            await admin.Put($"/scan/credentials/{item.GetProperty("name").GetString()}", item.GetRawText());
        }

        var listed = (await admin.Get("/scan/credentials")).GetProperty("value").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("kind").GetString());
        Assert.Equal("BasicAuth", listed["myCredential1"]);
        Assert.Equal("SqlAuth", listed["myCredential2"]);

        await admin.Delete("/scan/credentials/myCredential");
        await admin.Get("/scan/credentials/myCredential", HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> CredentialKinds() => new()
    {
        { "AccountKey", """{"accountKey":{"type":"AzureKeyVaultSecret","secretName":"k","store":{"referenceName":"vault-1","type":"LinkedServiceReference"}}}""" },
        { "ServicePrincipal", """{"servicePrincipalId":"00000000-0000-0000-0000-000000000001","servicePrincipalKey":{"type":"AzureKeyVaultSecret","secretName":"sp"},"tenant":"contoso.onmicrosoft.com"}""" },
        { "BasicAuth", """{"user":"reader","password":{"type":"AzureKeyVaultSecret","secretName":"pw","secretVersion":"2"}}""" },
        { "SqlAuth", """{"user":"sqlreader","password":{"type":"AzureKeyVaultSecret","secretName":"sqlpw"}}""" },
        { "AmazonARN", """{"roleARN":"arn:aws:iam::123456789012:role/purview"}""" },
        { "ConsumerKeyAuth", """{"user":"u","password":{"secretName":"p"},"consumerKey":"ck","consumerSecret":{"secretName":"cs"}}""" },
        { "DelegatedAuth", """{"clientId":"c1","user":"u@contoso.com","password":{"secretName":"p"}}""" },
        { "ManagedIdentity", """{"principalId":"p1","tenantId":"t1","resourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"}""" },
    };

    [Theory]
    [MemberData(nameof(CredentialKinds))]
    public async Task Every_credential_kind_of_the_spec_round_trips_its_type_properties(string kind, string typeProperties)
    {
        await using var host = NewHost();
        var admin = host.Client("admin");
        var name = "cred-" + kind.ToLowerInvariant();
        await admin.Put($"/scan/credentials/{name}", $$$"""{"kind":"{{{kind}}}","properties":{"description":"d","typeProperties":{{{typeProperties}}} } }""");

        var read = await admin.Get($"/scan/credentials/{name}");
        Assert.Equal(kind, read.GetProperty("kind").GetString());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(typeProperties).RootElement, read.GetProperty("properties").GetProperty("typeProperties")),
            read.GetProperty("properties").GetProperty("typeProperties").GetRawText());
    }

    [Fact]
    public async Task Scan_and_trigger_examples_round_trip_credential_type_schedule_and_time_zone()
    {
        await using var host = NewHost();
        var admin = host.Client("admin");
        await admin.CreateCollection("Collection-rZX");
        await admin.Put("/scan/datasources/myDataSource", SpecFiles.ScanningExample("DataSources_CreateOrReplace.json").Body!);
        // The spec's credential body, plus this service's scope extension: a credential serves sources outside the root
        // collection only where a root admin lists them (docs/SECURITY.md).
        var endpoint = (await admin.Get("/scan/datasources/myDataSource")).GetProperty("properties").GetProperty("endpoint").GetString();
        var scoped = System.Text.Json.Nodes.JsonNode.Parse(AccountKeyInKeyVault)!;
        scoped["properties"]!["allowedEndpoints"] = new System.Text.Json.Nodes.JsonArray(new Uri(endpoint!).Host);
        scoped["properties"]!["allowedCollections"] = new System.Text.Json.Nodes.JsonArray("Collection-rZX");
        await admin.Put("/scan/credentials/CredentialAKV", scoped.ToJsonString());

        var (scanBody, scanExample) = SpecFiles.ScanningExample("Scans_CreateOrReplace.json");
        var created = await admin.Put("/scan/datasources/myDataSource/scans/myScanName?api-version=2023-09-01", scanBody!);
        Assert.Equal("AzureStorageCredential", created.GetProperty("kind").GetString());
        Assert.Equal("myDataSource", created.GetProperty("dataSourceName").GetString());
        var credential = (await admin.Get("/scan/datasources/myDataSource/scans/myScanName")).GetProperty("properties").GetProperty("credential");
        Assert.Equal("CredentialAKV", credential.GetProperty("referenceName").GetString());
        Assert.Equal("AccountKey", credential.GetProperty("credentialType").GetString());

        // The spec's answer sent back (read-only collection.lastModifiedAt, domain, ...): accepted, domain kept.
        await admin.Put("/scan/datasources/myDataSource/scans/myScanName", SpecFiles.ResponseBody(scanExample, "200"), HttpStatusCode.OK);
        Assert.Equal("domainName", (await admin.Get("/scan/datasources/myDataSource/scans/myScanName")).GetProperty("properties").GetProperty("domain").GetString());

        var (triggerBody, _) = SpecFiles.ScanningExample("Triggers_CreateTrigger.json");
        await admin.Put("/scan/datasources/myDataSource/scans/myScanName/triggers/default?api-version=2023-09-01", triggerBody!);
        var trigger = (await admin.Get("/scan/datasources/myDataSource/scans/myScanName/triggers/default")).GetProperty("properties");
        Assert.Equal("Enabled", trigger.GetProperty("state").GetString());
        Assert.Equal("Incremental", trigger.GetProperty("scanLevel").GetString());
        var recurrence = trigger.GetProperty("recurrence");
        Assert.Equal("Month", recurrence.GetProperty("frequency").GetString());
        Assert.Equal(23, recurrence.GetProperty("schedule").GetProperty("hours")[0].GetInt32());
        Assert.Equal(10, recurrence.GetProperty("schedule").GetProperty("monthDays")[0].GetInt32());
        Assert.Equal("UTC", recurrence.GetProperty("timeZone").GetString());

        await admin.Put("/scan/datasources/myDataSource/scans/myScanName/triggers/default",
            """{"properties":{"recurrence":{"frequency":"Week","interval":2,"startTime":"2026-11-01T00:00:00Z","timeZone":"Etc/UTC"},"state":"Disabled","recurrenceInterval":"P2W"}}""", HttpStatusCode.OK);
        trigger = (await admin.Get("/scan/datasources/myDataSource/scans/myScanName/triggers/default")).GetProperty("properties");
        Assert.Equal("Etc/UTC", trigger.GetProperty("recurrence").GetProperty("timeZone").GetString());
        Assert.Equal("Disabled", trigger.GetProperty("state").GetString());
        Assert.Equal("P2W", trigger.GetProperty("recurrenceInterval").GetString());
        Assert.False(trigger.GetProperty("recurrence").TryGetProperty("schedule", out _));
    }

    [Fact]
    public async Task Deletes_answer_204_without_a_body_as_the_examples_declare()
    {
        await using var host = NewHost();
        var admin = host.Client("admin");
        await admin.CreateCollection("Collection-rZX");
        await admin.Put("/scan/datasources/myDataSource", SpecFiles.ScanningExample("DataSources_CreateOrReplace.json").Body!);
        await admin.Put("/scan/credentials/myCredential", SpecFiles.ScanningExample("Credential_CreateOrReplace.json").Body!);
        await admin.Put("/scan/datasources/myDataSource/scans/myScanName", RegistryClient.MsiScan());
        await admin.Put("/scan/datasources/myDataSource/scans/myScanName/triggers/default", SpecFiles.ScanningExample("Triggers_CreateTrigger.json").Body!);
        await admin.Put("/scan/classificationrules/my-rule", ClassificationSeed.Rule);
        await admin.Put("/scan/scanrulesets/nyScanRulesetName", """{"kind":"AzureStorage","properties":{}}""");
        await admin.Put("/scan/integrationruntimes/myIntegrationRuntime", """{"kind":"SelfHosted","properties":{"nodes":1,"concurrentScansPerNode":1}}""");

        foreach (var (url, example) in new[]
        {
            ("/scan/datasources/myDataSource/scans/myScanName/triggers/default", "Triggers_Delete.json"),
            ("/scan/datasources/myDataSource/scans/myScanName", "Scans_Delete.json"),
            ("/scan/datasources/myDataSource", "DataSources_Delete.json"),
            ("/scan/credentials/myCredential", "Credential_Delete.json"),
            ("/scan/scanrulesets/nyScanRulesetName", "ScanRulesets_Delete.json"),
            ("/scan/integrationruntimes/myIntegrationRuntime", "IntegrationRuntimes_Delete.json"),
            ("/scan/classificationrules/my-rule", null),
        })
        {
            var expected = example is null ? "204" : SpecFiles.ScanningExample(example).Example.GetProperty("responses").EnumerateObject().Single().Name;
            using var response = await admin.DeleteAsync(new Uri(url + "?api-version=2023-09-01", UriKind.Relative));
            Assert.Equal(expected, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            using var again = await admin.GetAsync(new Uri(url, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }
    }

    [Fact]
    public async Task Run_and_cancel_answer_202_with_the_Operation_Location_of_the_run()
    {
        await using var host = NewHost();
        var admin = host.Client("admin");
        await admin.Put("/scan/datasources/testDataSourceName", RegistryClient.DataSource());
        await admin.Put("/scan/datasources/testDataSourceName/scans/scan1", RegistryClient.MsiScan());

        var (_, run) = SpecFiles.ScanningExample("ScanResult_RunScan.json");
        var p = run.GetProperty("parameters");
        var runId = p.GetProperty("runId").GetString();
        using var started = await admin.PutAsync(new Uri($"/scan/datasources/testDataSourceName/scans/scan1/runs/{runId}?api-version=2023-09-01&scanLevel={p.GetProperty("scanLevel").GetString()}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var operation = Assert.Single(started.Headers.GetValues("Operation-Location"));
        Assert.Equal($"http://localhost/scan/datasources/testDataSourceName/scans/scan1/runs/{runId}?api-version=2023-09-01", operation);
        var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(runId, body.GetProperty("scanResultId").GetString());
        Assert.Contains(body.GetProperty("status").GetString(), new[] { "Accepted", "InProgress" });

        using var polled = await admin.GetAsync(new Uri(operation, UriKind.Absolute));
        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);

        using var canceled = await admin.PostAsync(new Uri($"/scan/datasources/testDataSourceName/scans/scan1/runs/{runId}:cancel?api-version=2023-09-01", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, canceled.StatusCode);
        Assert.Equal(operation, Assert.Single(canceled.Headers.GetValues("Operation-Location")));
    }

    [Fact]
    public async Task Kinds_of_the_spec_register_and_SqlDatabase_stays_this_services_own_kind()
    {
        await using var host = NewHost();
        var admin = host.Client("admin");
        var source = await admin.Put("/scan/datasources/sales-sql",
            """{"kind":"AzureSqlDatabase","properties":{"serverEndpoint":"sales.database.windows.net","resourceGroup":"rg","subscriptionId":"s","location":"westeurope","resourceName":"sales","collection":{"referenceName":"root","type":"CollectionReference"}}}""");
        Assert.Equal("AzureSqlDatabase", source.GetProperty("kind").GetString());
        Assert.Equal("sales.database.windows.net", source.GetProperty("properties").GetProperty("serverEndpoint").GetString());
        Assert.False(source.GetProperty("properties").TryGetProperty("endpoint", out _));

        await admin.Put("/scan/credentials/sql-reader", """{"kind":"SqlAuth","properties":{"typeProperties":{"user":"reader","password":{"secretName":"pw"}}}}""");
        var scan = await admin.Put("/scan/datasources/sales-sql/scans/nightly",
            """{"kind":"AzureSqlDatabaseCredential","properties":{"serverEndpoint":"sales.database.windows.net","databaseName":"sales","credential":{"referenceName":"sql-reader","credentialType":"SqlAuth"},"scanRulesetName":"AzureSqlDatabase","scanRulesetType":"System"}}""");
        Assert.Equal("sales", scan.GetProperty("properties").GetProperty("databaseName").GetString());
        Assert.Equal("SqlAuth", scan.GetProperty("properties").GetProperty("credential").GetProperty("credentialType").GetString());

        var refused = await admin.Put("/scan/datasources/sales-sql/scans/other", """{"kind":"AzureSqlDatabaseManagedInstanceMsi","properties":{}}""", HttpStatusCode.BadRequest);
        Assert.Equal("kind", refused.GetProperty("error").GetProperty("target").GetString());
        var none = await admin.Put("/scan/datasources/not-a-kind", RegistryClient.DataSource(kind: "None"), HttpStatusCode.BadRequest);
        Assert.Equal("kind", none.GetProperty("error").GetProperty("target").GetString());

        await admin.Put("/scan/datasources/local-db", RegistryClient.DataSource(kind: "SqlDatabase", endpoint: "postgresql://db.example.net:5432/sales"));
    }
}
