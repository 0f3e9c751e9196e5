using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>Each HTTP function class of the app answering through its own functions, with the same payloads and answers as the local host's tests.</summary>
public sealed class FunctionClassTests(WorkerFixture fixture) : IClassFixture<WorkerFixture>
{
    private const string Version = "?api-version=2023-09-01";

    private FunctionsWorker Worker => fixture.Worker;

    [Fact]
    public async Task Registry_functions_store_a_data_source_and_its_scan_and_list_them()
    {
        await Worker.CallAsync("PutDataSource", "PUT", "/scan/datasources/fc-blob" + Version, 201,
            json: """{"kind":"AzureStorage","properties":{"endpoint":"https://fcacct.blob.core.windows.net/","collection":{"referenceName":"root","type":"CollectionReference"}}}""");
        var scan = await Worker.JsonAsync("PutScan", "PUT", "/scan/datasources/fc-blob/scans/weekly" + Version, 201,
            json: """{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"AzureStorage","scanRulesetType":"System"}}""");
        var scans = await Worker.JsonAsync("ListScans", "GET", "/scan/datasources/fc-blob/scans" + Version);
        var badVersion = await Worker.JsonAsync("GetScan", "GET", "/scan/datasources/fc-blob/scans/weekly?api-version=2018-12-01-preview", 400);

        Assert.Equal("weekly", scan.GetProperty("name").GetString());
        Assert.Equal("AzureStorageMsi", scan.GetProperty("kind").GetString());
        Assert.Equal(["weekly"], scans.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList());
        Assert.Equal("https://fcacct.blob.core.windows.net/", (await Worker.JsonAsync("GetDataSource", "GET", "/scan/datasources/fc-blob" + Version))
            .GetProperty("properties").GetProperty("endpoint").GetString());
        // The /scan group answers errors in Purview's shape.
        Assert.Equal("api-version", badVersion.GetProperty("error").GetProperty("target").GetString());
    }

    [Fact]
    public async Task Classification_functions_store_a_custom_rule_and_list_the_system_rulesets()
    {
        var rule = await Worker.JsonAsync("PutClassificationRule", "PUT", "/scan/classificationrules/fc-employee-id" + Version, 201,
            json: """{"kind":"Custom","properties":{"classificationName":"CONTOSO.HR.EMPLOYEE_ID","minimumPercentageMatch":80,"dataPatterns":[{"kind":"Regex","pattern":"^EMP-[0-9]{6}$"}],"columnPatterns":[{"kind":"Regex","pattern":"^emp_?id$"}]}}""");
        var read = await Worker.JsonAsync("GetClassificationRule", "GET", "/scan/classificationrules/fc-employee-id" + Version);
        var system = await Worker.JsonAsync("ListSystemScanRulesets", "GET", "/scan/systemScanRulesets" + Version);

        Assert.Equal("fc-employee-id", rule.GetProperty("name").GetString());
        Assert.Equal("CONTOSO.HR.EMPLOYEE_ID", read.GetProperty("properties").GetProperty("classificationName").GetString());
        Assert.Contains("AzureStorage", system.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal(system.GetProperty("value").GetArrayLength(), system.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Access_functions_create_a_collection_grant_a_role_and_list_it()
    {
        await Worker.PutCollectionAsync("fc-finance");
        var collection = await Worker.JsonAsync("GetCollection", "GET", "/account/collections/fc-finance");
        Assert.Equal(201, await Worker.GrantAsync("fc-finance", "dataReader", "fc-rita@contoso.com"));
        var assignments = await Worker.JsonAsync("ListRoleAssignments", "GET", "/account/collections/fc-finance/roleAssignments");
        var badFlag = await Worker.JsonAsync("ListRoleAssignments", "GET", "/account/collections/fc-finance/roleAssignments?includeInherited=maybe", 400);

        Assert.Equal("root", collection.GetProperty("parentCollection").GetProperty("referenceName").GetString());
        var grant = Assert.Single(assignments.GetProperty("value").EnumerateArray());
        Assert.Equal(("dataReader", "fc-rita@contoso.com", "admin"), (grant.GetProperty("role").GetString(), grant.GetProperty("principal").GetString(), grant.GetProperty("grantedBy").GetString()));
        Assert.True(badFlag.GetProperty("errors").TryGetProperty("includeInherited", out _), badFlag.GetRawText());
    }

    [Fact]
    public async Task The_role_assignments_function_reads_includeInherited_as_the_local_host_binds_it()
    {
        await Worker.PutCollectionAsync("fc-sales");
        await Worker.PutCollectionAsync("fc-sales-eu", parent: "fc-sales");
        Assert.Equal(201, await Worker.GrantAsync("fc-sales", "dataReader", "fc-ines@contoso.com"));

        async Task<List<string?>> Principals(string query) =>
            (await Worker.JsonAsync("ListRoleAssignments", "GET", "/account/collections/fc-sales-eu/roleAssignments" + query))
                .GetProperty("value").EnumerateArray().Select(a => a.GetProperty("principal").GetString()).Where(p => p == "fc-ines@contoso.com").ToList();

        Assert.Equal(["fc-ines@contoso.com"], await Principals("?includeInherited=TRUE"));
        Assert.Empty(await Principals("?includeInherited=false"));
        Assert.Empty(await Principals("?includeInherited="));
        Assert.Empty(await Principals(string.Empty));
    }

    [Fact]
    public async Task Link_functions_connect_a_source_and_read_it_back_to_its_writers_only_by_role()
    {
        var link = await Worker.JsonAsync("PutLink", "PUT", "/links/AzureDataFactory/fc-factory", 201,
            json: """{"collection":"root","writers":["fc-adf-writer"]}""");
        var read = await Worker.JsonAsync("GetLink", "GET", "/links/AzureDataFactory/fc-factory");
        await Worker.CallAsync("GetLink", "GET", "/links/AzureDataFactory/fc-factory", 403, principal: "fc-adf-writer");

        Assert.Equal(("AzureDataFactory", "fc-factory", "root"), (link.GetProperty("sourceType").GetString(), link.GetProperty("sourceName").GetString(), link.GetProperty("collection").GetString()));
        Assert.Equal(["fc-adf-writer"], read.GetProperty("writers").EnumerateArray().Select(w => w.GetString()).ToList());
    }

    [Fact]
    public async Task Connector_functions_create_a_connector_and_keep_its_user_mappings()
    {
        var created = await Worker.JsonAsync("PutConnector", "PUT", "/connectors/fc-slack", 201, json: """{"name":"fc slack","sourceType":"Slack"}""");
        var again = await Worker.JsonAsync("PutConnector", "PUT", "/connectors/fc-slack", 200, json: """{"name":"fc slack","sourceType":"Slack"}""");
        await Worker.CallAsync("PutUserMappings", "PUT", "/connectors/fc-slack/user-mappings", 200,
            json: """{"mappings":[{"sourceUserId":"u1","userPrincipalName":"u1@contoso.com"},{"sourceUserId":"u2","userPrincipalName":"u2@contoso.com"}]}""");
        var mappings = await Worker.JsonAsync("ListUserMappings", "GET", "/connectors/fc-slack/user-mappings?top=1");

        Assert.Equal(("fc-slack", "Slack"), (created.GetProperty("id").GetString(), created.GetProperty("sourceType").GetString()));
        Assert.Equal(created.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal("u1", Assert.Single(mappings.GetProperty("value").EnumerateArray()).GetProperty("sourceUserId").GetString());
        Assert.False(string.IsNullOrEmpty(mappings.GetProperty("nextLink").GetString()));
    }

    [Fact]
    public async Task Data_map_functions_search_nothing_on_an_empty_map_and_hide_unknown_entities_also_from_moves()
    {
        var search = await Worker.JsonAsync("SearchDataMap", "POST", "/datamap/api/search/query", json: """{"keywords":"nothing-here-fc"}""");
        var missing = await Worker.JsonAsync("GetEntityByGuid", "GET", "/datamap/api/atlas/v2/entity/guid/00000000-0000-4000-8000-00000000f00c", 404);
        var badLimit = await Worker.JsonAsync("SearchDataMap", "POST", "/datamap/api/search/query", 400, json: """{"limit":0}""");
        var moveMissing = await Worker.JsonAsync("MoveEntitiesToCollection", "POST", "/datamap/api/entity/moveTo?collectionId=root", 404,
            json: """{"entityGuids":["00000000-0000-4000-8000-00000000f00c"]}""");
        var moveNoTarget = await Worker.JsonAsync("MoveEntitiesToCollection", "POST", "/datamap/api/entity/moveTo", 400,
            json: """{"entityGuids":["00000000-0000-4000-8000-00000000f00c"]}""");

        Assert.Equal(0, search.GetProperty("value").GetArrayLength());
        // The Data Map spec's Atlas error shape: {requestId, errorCode, errorMessage}.
        Assert.Equal("NotFound", missing.GetProperty("errorCode").GetString());
        Assert.False(string.IsNullOrEmpty(missing.GetProperty("requestId").GetString()));
        Assert.Contains("limit", badLimit.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("NotFound", moveMissing.GetProperty("errorCode").GetString());
        Assert.StartsWith("collectionId", moveNoTarget.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_function_names_the_caller_and_how_they_authenticated()
    {
        var me = await Worker.JsonAsync("GetAccount", "GET", "/account/me", principal: "fc-erin@contoso.com");
        await Worker.CallAsync("GetAccount", "GET", "/account/me", 401, principal: null);

        Assert.Equal("fc-erin@contoso.com", me.GetProperty("name").GetString());
        Assert.Equal("DevelopmentToken", me.GetProperty("authenticationKind").GetString());
    }

    [Fact]
    public async Task Scan_run_functions_list_no_runs_of_a_new_scan_and_summarize_zero()
    {
        await Worker.CallAsync("PutDataSource", "PUT", "/scan/datasources/fc-runs" + Version, 201,
            json: """{"kind":"AzureStorage","properties":{"endpoint":"https://fcruns.blob.core.windows.net/","collection":{"referenceName":"root","type":"CollectionReference"}}}""");
        await Worker.CallAsync("PutScan", "PUT", "/scan/datasources/fc-runs/scans/nightly" + Version, 201,
            json: """{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"AzureStorage","scanRulesetType":"System"}}""");

        var runs = await Worker.JsonAsync("ListScanRuns", "GET", "/scan/datasources/fc-runs/scans/nightly/runs" + Version);
        var badTop = await Worker.JsonAsync("ListScanRuns", "GET", "/scan/datasources/fc-runs/scans/nightly/runs?api-version=2023-09-01&$top=many", 400);
        var missingRun = await Worker.JsonAsync("GetScanRun", "GET", "/scan/datasources/fc-runs/scans/nightly/runs/00000000-0000-4000-8000-00000000f00d" + Version, 404);
        var summary = await Worker.JsonAsync("ScanRunSummary", "GET", "/monitoring/scanruns/summary?period=7d&sourceType=AzureStorage");
        var sourceRuns = await Worker.JsonAsync("DataSourceRuns", "GET", "/monitoring/datasources/fc-runs/runs");

        Assert.Equal(0, runs.GetProperty("value").GetArrayLength());
        Assert.Equal("$top", badTop.GetProperty("error").GetProperty("target").GetString());
        Assert.Equal("NotFound", missingRun.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, summary.GetProperty("totals").GetProperty("total").GetInt64());
        Assert.Equal("AzureStorage", summary.GetProperty("sourceType").GetString());
        Assert.Equal(0, sourceRuns.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Health_function_reports_each_storage_service_without_a_caller()
    {
        var health = await Worker.JsonAsync("Health", "GET", "/healthz", principal: null);

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("devstoreaccount1", health.GetProperty("account").GetString());
        Assert.All(health.GetProperty("storage").EnumerateObject(), s => Assert.Equal("ok", s.Value.GetString()));
        Assert.Equal(3, health.GetProperty("storage").EnumerateObject().Count());
    }

    [Fact]
    public async Task Alert_functions_create_read_list_and_delete_a_rule_and_refuse_a_bad_one()
    {
        var created = await Worker.JsonAsync("PutAlertRule", "PUT", "/monitoring/alerts/fc-failures", 201, json: """{"kind":"scanRunFailures","threshold":2}""");
        var read = await Worker.JsonAsync("GetAlertRule", "GET", "/monitoring/alerts/fc-failures");
        var listed = await Worker.JsonAsync("ListAlertRules", "GET", "/monitoring/alerts");
        var bad = await Worker.JsonAsync("PutAlertRule", "PUT", "/monitoring/alerts/fc-bad", 400, json: """{"kind":"scanRunFailures","threshold":0}""");
        var badTop = await Worker.JsonAsync("AlertRuleHistory", "GET", "/monitoring/alerts/fc-failures/history?top=x", 400);
        var history = await Worker.JsonAsync("AlertRuleHistory", "GET", "/monitoring/alerts/fc-failures/history?top=5");
        var deliveries = await Worker.JsonAsync("AlertRuleDeliveries", "GET", "/monitoring/alerts/fc-failures/deliveries");
        await Worker.CallAsync("DeleteAlertRule", "DELETE", "/monitoring/alerts/fc-failures", 204);
        await Worker.CallAsync("GetAlertRule", "GET", "/monitoring/alerts/fc-failures", 404);

        Assert.Equal("scanRunFailures", created.GetProperty("kind").GetString());
        Assert.Equal(2, read.GetProperty("threshold").GetInt32());
        Assert.Contains(listed.GetProperty("value").EnumerateArray(), r => r.GetProperty("name").GetString() == "fc-failures");
        Assert.True(bad.GetProperty("errors").TryGetProperty("threshold", out _));
        Assert.True(badTop.GetProperty("errors").TryGetProperty("top", out _));
        Assert.Equal(0, history.GetProperty("count").GetInt32());
        Assert.Equal(0, deliveries.GetProperty("count").GetInt32());
    }
}
