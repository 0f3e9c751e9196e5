using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.Infra;

/// <summary>
/// infra/ has what the deployment needs (Flex Consumption .NET 10 isolated, identity-based storage with the data roles
/// and no keys, Application Insights on Log Analytics, Easy Auth with Entra ID, the parameters azd passes), read from
/// the Bicep text: the Bicep CLI is not installable here (BicepBuildTests compiles it where it is).
/// </summary>
public sealed class InfraTemplateTests
{
    private static readonly string InfraRoot = Path.Combine(RepoPaths.Root, "infra");
    private static readonly BicepTemplate Main = new(File.ReadAllText(Path.Combine(InfraRoot, "main.bicep")));
    private static readonly BicepTemplate App = new(File.ReadAllText(Path.Combine(InfraRoot, "app.bicep")));

    [Theory]
    [InlineData("Microsoft.Web/serverfarms")]
    [InlineData("Microsoft.Web/sites")]
    [InlineData("Microsoft.Web/sites/config")]
    [InlineData("Microsoft.Storage/storageAccounts")]
    [InlineData("Microsoft.Storage/storageAccounts/tableServices/tables")]
    [InlineData("Microsoft.Storage/storageAccounts/queueServices/queues")]
    [InlineData("Microsoft.Storage/storageAccounts/blobServices/containers")]
    [InlineData("Microsoft.Insights/components")]
    [InlineData("Microsoft.OperationalInsights/workspaces")]
    [InlineData("Microsoft.Authorization/roleAssignments")]
    public void The_app_template_declares_the_resource(string type) =>
        Assert.Contains(App.Resources, r => r.Type == type);

    [Fact]
    public void The_function_app_runs_dotnet_10_isolated_on_flex_consumption_with_a_system_assigned_identity()
    {
        Assert.Contains("tier: 'FlexConsumption'", App.Text, StringComparison.Ordinal);
        Assert.Contains("name: 'FC1'", App.Text, StringComparison.Ordinal);
        Assert.Contains("kind: 'functionapp,linux'", App.Text, StringComparison.Ordinal);
        Assert.Matches(@"runtime:\s*\{\s*name:\s*'dotnet-isolated'\s*version:\s*'10\.0'", App.Text);
        Assert.Matches(@"identity:\s*\{\s*type:\s*'SystemAssigned'\s*\}", App.Text);
        // functionAppConfig needs Microsoft.Web/sites 2023-12-01 or later.
        var site = Assert.Single(App.Resources, r => r.Type == "Microsoft.Web/sites");
        Assert.True(string.CompareOrdinal(site.ApiVersion, "2023-12-01") >= 0, $"Microsoft.Web/sites@{site.ApiVersion} is older than 2023-12-01");
    }

    [Fact]
    public void Storage_is_identity_based_with_no_keys_anywhere()
    {
        Assert.Equal("storage.name", App.AppSettings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("'managedidentity'", App.AppSettings["AzureWebJobsStorage__credential"]);
        Assert.DoesNotContain("AzureWebJobsStorage", App.AppSettings.Keys);
        Assert.DoesNotContain("listKeys", App.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey", App.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("allowSharedKeyAccess: false", App.Text, StringComparison.Ordinal);
        Assert.Matches(@"authentication:\s*\{\s*type:\s*'SystemAssignedIdentity'", App.Text);
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    public void The_app_identity_gets_the_storage_data_role(string roleId, string roleName)
    {
        Assert.Contains($"{{ name: '{roleName}', id: '{roleId}' }}", App.Text, StringComparison.Ordinal);
        Assert.Matches(@"principalId:\s*functionApp\.identity\.principalId", App.Text);
    }

    [Fact]
    public void Flex_consumption_settings_it_forbids_are_not_set() =>
        Assert.Empty(App.AppSettings.Keys.Intersect(["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING"]));

    [Fact]
    public void Every_setting_host_json_reads_is_set()
    {
        var hostJson = File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json"));
        var referenced = System.Text.RegularExpressions.Regex.Matches(hostJson, "%([A-Za-z0-9_]+)%").Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.True(App.AppSettings.ContainsKey(name), $"host.json reads %{name}% but app.bicep does not set it"));
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", App.AppSettings.Keys);
    }

    [Fact]
    public void App_service_authentication_puts_entra_id_in_front_and_leaves_healthz_open()
    {
        Assert.Contains(App.Resources, r => r.Type == "Microsoft.Web/sites/config");
        Assert.Contains("name: 'authsettingsV2'", App.Text, StringComparison.Ordinal);
        Assert.Matches(@"azureActiveDirectory:\s*\{\s*enabled:\s*true", App.Text);
        Assert.Contains("requireAuthentication: true", App.Text, StringComparison.Ordinal);
        Assert.Contains("unauthenticatedClientAction: 'Return401'", App.Text, StringComparison.Ordinal);
        Assert.Matches(@"excludedPaths:\s*\[\s*'/healthz'\s*\]", App.Text);
        // The app trusts X-MS-CLIENT-PRINCIPAL only when told so, and validates tokens for the same tenant itself.
        Assert.Equal("'true'", App.AppSettings["Identity__AppServiceAuthentication__Enabled"]);
        Assert.Equal("tenant().tenantId", App.AppSettings["Identity__EntraId__TenantId"]);
        Assert.Equal("authAudience", App.AppSettings["Identity__EntraId__Audience"]);
    }

    [Fact]
    public void Name_region_and_bootstrap_admins_are_parameters_that_azd_fills()
    {
        Assert.Equal("string", Main.Parameters["environmentName"]);
        Assert.Equal("string", Main.Parameters["location"]);
        Assert.Equal("string", Main.Parameters["bootstrapAdmins"]);
        Assert.Equal("bootstrapAdmins", App.AppSettings["Access__BootstrapAdmins"]);
        Assert.Equal("prefix", App.AppSettings["Storage__Prefix"]);

        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraRoot, "main.parameters.json")));
        var values = parameters.RootElement.GetProperty("parameters");
        Assert.Equal("${AZURE_ENV_NAME}", values.GetProperty("environmentName").GetProperty("value").GetString());
        Assert.Equal("${AZURE_LOCATION}", values.GetProperty("location").GetProperty("value").GetString());
        // Every parameter without a default is given a value, and every value names a declared parameter.
        var withoutDefault = System.Text.RegularExpressions.Regex.Matches(Main.Text, @"(?m)^param\s+(\w+)\s+\w+\s*$").Select(m => m.Groups[1].Value);
        Assert.All(withoutDefault, p => Assert.True(values.TryGetProperty(p, out _), $"main.parameters.json gives no value for {p}"));
        Assert.All(values.EnumerateObject(), p => Assert.True(Main.Parameters.ContainsKey(p.Name), $"main.parameters.json sets {p.Name}, which main.bicep does not declare"));
    }

    [Fact]
    public void Azd_deploys_the_functions_project_with_this_infra()
    {
        var yaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "azure.yaml"));

        Assert.Matches(@"(?m)^\s+project:\s*\./src/Purview\.Functions\s*$", yaml);
        Assert.Matches(@"(?m)^\s+host:\s*function\s*$", yaml);
        Assert.Matches(@"(?m)^\s+language:\s*dotnet\s*$", yaml);
        Assert.Matches(@"(?m)^\s+path:\s*infra\s*$", yaml);
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "src", "Purview.Functions", "Purview.Functions.csproj")));
        // azd finds the app to deploy to by this tag.
        Assert.Contains("'azd-service-name': 'api'", App.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Storage_names_in_the_list_are_valid_azure_names_under_the_default_prefix()
    {
        using var names = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraRoot, "storage-names.json")));
        string[] Read(string kind) => [.. names.RootElement.GetProperty(kind).EnumerateArray().Select(e => e.GetString()!)];

        Assert.All(Read("tables"), t => Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", "pv" + t));
        Assert.All(Read("queues").Concat(Read("containers")), q => Assert.Matches("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$", "pv-" + q));
        Assert.Contains("storagePrefix string = 'pv'", Main.Text, StringComparison.Ordinal);
        Assert.Contains("loadJsonContent('storage-names.json')", App.Text, StringComparison.Ordinal);
    }
}
