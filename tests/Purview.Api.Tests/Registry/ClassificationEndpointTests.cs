using System.Net;
using System.Text;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Registry;

/// <summary>A host seeded with a classification rule, a custom scan rule set including it and a scan using that set.</summary>
public sealed class ClassificationSeed : IAsyncLifetime
{
    public const string Rule = """{"kind":"Custom","properties":{"classificationName":"CONTOSO.HR.EMPLOYEE_ID","minimumPercentageMatch":80,"dataPatterns":[{"kind":"Regex","pattern":"^EMP-[0-9]{6}$"}],"columnPatterns":[{"kind":"Regex","pattern":"^emp_?id$"}]}}""";
    public const string Ruleset = """{"kind":"AzureStorage","scanRulesetType":"Custom","properties":{"excludedSystemClassifications":["MICROSOFT.PERSONAL.IPADDRESS"],"includedCustomClassificationRuleNames":["employee-id"],"scanningRule":{"fileExtensions":["CSV","JSON"],"customFileExtensions":[{"customFileType":{"customDelimiter":"$"},"enabled":true,"fileExtension":".model"}]}}}""";

    private readonly AzuriteFixture _azurite = new();

    public TestHost Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Host = new TestHost(_azurite);
        Admin = Host.Client("admin");
        await Admin.Put("/scan/classificationrules/employee-id", Rule);
        await Admin.Put("/scan/scanrulesets/hr-files", Ruleset);
        await Admin.Put("/scan/datasources/blob-1", RegistryClient.DataSource());
        await Admin.Put("/scan/datasources/blob-1/scans/hr-scan", """{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"hr-files","scanRulesetType":"Custom"}}""");
        await Admin.CreateCollection("finance");
        await Admin.Grant("finance", "dataSourceAdmin", "alice");
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    public async Task<string> SnapshotAsync()
    {
        var text = new StringBuilder();
        foreach (var url in new[] { "/scan/classificationrules", "/scan/scanrulesets", "/scan/datasources/blob-1/scans" })
        {
            using var response = await Admin.GetAsync(url);
            text.Append((int)response.StatusCode).Append(' ').AppendLine(await response.Content.ReadAsStringAsync());
        }

        return text.ToString();
    }
}

public sealed class ClassificationEndpointTests(ClassificationSeed seed) : IClassFixture<ClassificationSeed>
{
    private const string NewRule = "/scan/classificationrules/new-rule";
    private const string NewSet = "/scan/scanrulesets/new-set";

    public static TheoryData<string, string, string?, int, string?, string> Cases() => new()
    {
        // Classification rules
        { "PUT", NewRule, """{"kind":"System","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "kind", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "properties.classificationName", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A B","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "properties.classificationName", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"(unclosed"}]}}""", 400, "properties.dataPatterns[0].pattern", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","columnPatterns":[{"kind":"Regex","pattern":"ok"},{"kind":"Regex","pattern":"[z-a]"}]}}""", 400, "properties.columnPatterns[1].pattern", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Glob","pattern":"*"}]}}""", 400, "properties.dataPatterns[0].kind", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":""}]}}""", 400, "properties.dataPatterns[0].pattern", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B"}}""", 400, "properties.dataPatterns", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","minimumPercentageMatch":0,"dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "properties.minimumPercentageMatch", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","minimumPercentageMatch":101,"dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "properties.minimumPercentageMatch", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","minimumPercentageMatch":"high","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "properties.minimumPercentageMatch", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","ruleStatus":"Paused","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "properties.ruleStatus", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":"x"}}""", 400, "properties.dataPatterns", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"x"}],"extra":1}}""", 400, "properties.extra", "admin" },
        { "PUT", NewRule, """{"kind":"Custom"}""", 400, "properties", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","name":"other","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "name", "admin" },
        { "PUT", "/scan/classificationrules/bad%20name", """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "classificationRuleName", "admin" },
        { "PUT", NewRule, """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 403, null, "alice" },
        { "PUT", NewRule + "?api-version=2018-12-01", """{"kind":"Custom","properties":{"classificationName":"A.B","dataPatterns":[{"kind":"Regex","pattern":"x"}]}}""", 400, "api-version", "admin" },
        { "GET", "/scan/classificationrules/nope", null, 404, null, "admin" },
        { "DELETE", "/scan/classificationrules/nope", null, 404, null, "admin" },
        { "DELETE", "/scan/classificationrules/employee-id", null, 409, null, "admin" },
        // Scan rule sets
        { "PUT", NewSet, """{"kind":"S3","properties":{}}""", 400, "kind", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","scanRulesetType":"System","properties":{}}""", 400, "scanRulesetType", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"excludedSystemClassifications":["MICROSOFT.NOPE"]}}""", 400, "properties.excludedSystemClassifications[0]", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"includedCustomClassificationRuleNames":["employee-id","ghost"]}}""", 400, "properties.includedCustomClassificationRuleNames[1]", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"scanningRule":{"fileExtensions":["CSV","EXE"]}}}""", 400, "properties.scanningRule.fileExtensions[1]", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"scanningRule":{"customFileExtensions":[{"customFileType":{"builtInType":"CSV","customDelimiter":";"},"fileExtension":".x"}]}}}""", 400, "properties.scanningRule.customFileExtensions[0].customFileType", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"scanningRule":{"customFileExtensions":[{"customFileType":{"customDelimiter":";;"},"fileExtension":".x"}]}}}""", 400, "properties.scanningRule.customFileExtensions[0].customFileType.customDelimiter", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"scanningRule":{"customFileExtensions":[{"customFileType":{"builtInType":"CSV"},"fileExtension":"a/b"}]}}}""", 400, "properties.scanningRule.customFileExtensions[0].fileExtension", "admin" },
        { "PUT", NewSet, """{"kind":"SqlDatabase","properties":{"scanningRule":{"fileExtensions":["CSV"]}}}""", 400, "properties.scanningRule", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{"unknown":true}}""", 400, "properties.unknown", "admin" },
        { "PUT", NewSet, """{"kind":"AzureStorage","properties":{}}""", 403, null, "alice" },
        { "GET", "/scan/scanrulesets/nope", null, 404, null, "admin" },
        { "DELETE", "/scan/scanrulesets/hr-files", null, 409, null, "admin" },
        { "GET", "/scan/systemScanRulesets/datasources/S3", null, 404, null, "admin" },
        // Scans naming rule sets
        { "PUT", "/scan/datasources/blob-1/scans/other", """{"kind":"AzureStorageMsi","properties":{"scanRulesetName":"nope","scanRulesetType":"Custom"}}""", 400, "properties.scanRulesetName", "admin" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Malformed_or_forbidden_requests_are_refused_in_the_Purview_shape_and_change_nothing(string method, string url, string? body, int status, string? target, string who)
    {
        var before = await seed.SnapshotAsync();
        using var client = seed.Host.Client(who);
        var error = await client.Send(new HttpMethod(method), url, body, (HttpStatusCode)status);
        RegistryClient.AssertPurviewError(error);
        if (target is not null)
        {
            Assert.Equal(target, error.GetProperty("error").GetProperty("target").GetString());
        }

        Assert.Equal(before, await seed.SnapshotAsync());
    }

    [Fact]
    public async Task A_rule_set_naming_published_system_classifications_is_accepted_and_stored_with_their_canonical_spelling()
    {
        // Names as Microsoft's own examples write them (Az.Purview's Get-AzPurviewScanRuleset output), one in lower case and
        // one with '_' where the canonical spelling has '.'.
        const string body = """
            {"kind":"AzureStorage","scanRulesetType":"Custom","properties":{"excludedSystemClassifications":[
              "MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER","MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER",
              "MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER","MICROSOFT.GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER",
              "MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER","MICROSOFT.SECURITY.COMMON_PASSWORDS",
              "microsoft.government.brazil.cpf_number","MICROSOFT.GOVERNMENT.AUSTRIA.TAX_IDENTIFICATION_NUMBER"],
              "includedCustomClassificationRuleNames":[],"scanningRule":{"fileExtensions":["CSV"]}}}
            """;

        var created = await seed.Admin.Put("/scan/scanrulesets/published-names", body, HttpStatusCode.Created);

        string[] expected =
        [
            "MICROSOFT.FINANCIAL.AUSTRALIA.BANK_ACCOUNT_NUMBER", "MICROSOFT.GOVERNMENT.CYPRUS.TAX.IDENTIFICATION.NUMBER",
            "MICROSOFT.GOVERNMENT.CHILE.CDI_NUMBER", "MICROSOFT.GOVERNMENT.MALTA.DRIVERS.LICENSE.NUMBER",
            "MICROSOFT.GOVERNMENT.TURKEY.TURKISH_NATIONAL_IDENTIFICATION_NUMBER", "MICROSOFT.SECURITY.COMMON_PASSWORDS",
            "MICROSOFT.GOVERNMENT.BRAZIL.CPF_NUMBER", "MICROSOFT.GOVERNMENT.AUSTRIA.TAX.IDENTIFICATION.NUMBER",
        ];
        Assert.Equal(expected, created.GetProperty("properties").GetProperty("excludedSystemClassifications").EnumerateArray().Select(e => e.GetString()));
        var read = await seed.Admin.Get("/scan/scanrulesets/published-names");
        Assert.Equal(expected, read.GetProperty("properties").GetProperty("excludedSystemClassifications").EnumerateArray().Select(e => e.GetString()));
        await seed.Admin.Delete("/scan/scanrulesets/published-names");
    }

    [Fact]
    public async Task An_unpublished_MICROSOFT_name_is_refused_with_a_400_naming_it_and_nothing_is_stored()
    {
        var before = await seed.SnapshotAsync();
        const string body = """{"kind":"AzureStorage","properties":{"excludedSystemClassifications":["MICROSOFT.PERSONAL.EMAIL","MICROSOFT.GOVERNMENT.ATLANTIS.PASSPORT_NUMBER"]}}""";

        var error = await seed.Admin.Send(HttpMethod.Put, "/scan/scanrulesets/atlantis", body, HttpStatusCode.BadRequest);

        RegistryClient.AssertPurviewError(error);
        Assert.Equal("properties.excludedSystemClassifications[1]", error.GetProperty("error").GetProperty("target").GetString());
        Assert.Contains("MICROSOFT.GOVERNMENT.ATLANTIS.PASSPORT_NUMBER", error.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(before, await seed.SnapshotAsync());
    }

    [Fact]
    public async Task Rules_and_rule_sets_round_trip_in_the_Purview_shape_and_a_scan_names_its_custom_rule_set()
    {
        var rule = await seed.Admin.Get("/scan/classificationrules/employee-id");
        Assert.Equal("Custom", rule.GetProperty("kind").GetString());
        Assert.Equal("CONTOSO.HR.EMPLOYEE_ID", rule.GetProperty("properties").GetProperty("classificationName").GetString());
        Assert.Equal(80, rule.GetProperty("properties").GetProperty("minimumPercentageMatch").GetInt32());
        Assert.Equal("Enabled", rule.GetProperty("properties").GetProperty("ruleStatus").GetString());
        Assert.Equal("^EMP-[0-9]{6}$", rule.GetProperty("properties").GetProperty("dataPatterns")[0].GetProperty("pattern").GetString());

        var set = await seed.Admin.Get("/scan/scanrulesets/hr-files");
        Assert.Equal("Custom", set.GetProperty("scanRulesetType").GetString());
        Assert.Equal(["CSV", "JSON"], set.GetProperty("properties").GetProperty("scanningRule").GetProperty("fileExtensions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("$", set.GetProperty("properties").GetProperty("scanningRule").GetProperty("customFileExtensions")[0].GetProperty("customFileType").GetProperty("customDelimiter").GetString());

        var scan = await seed.Admin.Get("/scan/datasources/blob-1/scans/hr-scan");
        Assert.Equal("hr-files", scan.GetProperty("properties").GetProperty("scanRulesetName").GetString());
        Assert.Equal("Custom", scan.GetProperty("properties").GetProperty("scanRulesetType").GetString());

        var system = await seed.Admin.Get("/scan/systemScanRulesets/datasources/AzureStorage");
        Assert.Equal("System", system.GetProperty("scanRulesetType").GetString());
        // One system rule set per data source kind: the spec's DataSourceType values (but None) and SqlDatabase.
        Assert.Equal(38, (await seed.Admin.Get("/scan/systemScanRulesets")).GetProperty("count").GetInt32());

        // Replacing bumps the version; a Data source admin of another collection may read but not change.
        var again = await seed.Admin.Put("/scan/classificationrules/employee-id", ClassificationSeed.Rule, HttpStatusCode.OK);
        Assert.Equal(2, again.GetProperty("properties").GetProperty("version").GetInt32());
        using var alice = seed.Host.Client("alice");
        Assert.Equal("employee-id", (await alice.Get("/scan/classificationrules")).GetProperty("value")[0].GetProperty("name").GetString());
    }
}
