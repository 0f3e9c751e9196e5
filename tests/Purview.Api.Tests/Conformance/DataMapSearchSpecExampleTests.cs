using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Purview.Api.Tests.Links;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Conformance;

/// <summary>
/// The Data Map 2023-09-01 search examples (Discovery_Query*, vendored under tests/specs) replayed against the real host:
/// the lineage of two Data Factory copies puts the examples' assets (blob paths, SQL tables) into the data map.
/// </summary>
public sealed class DataMapSearchSpecExampleTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Blob = "https://exampleaccount.blob.core.windows.net/examplepath/";
    private LinksHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LinksHost.StartAsync(azurite);
        using var adf = _host.Host.Client("adf-writer");
        var runs = new[]
        {
            LinksHost.CopyRun("r1", LinksHost.Start.AddMinutes(1), activity: "csvs",
                inputs: [Path(Blob + "csv/exampledata.csv"), Path(Blob + "csv/AllTypes.csv")],
                outputs: [new { qualifiedName = "mssql://exampleaccount.database.windows.net:3342/examplesqlmidb/dbo/exampledata", type = "azure_sql_mi_table", name = "exampledata" }]),
            LinksHost.CopyRun("r2", LinksHost.Start.AddMinutes(2), activity: "texts",
                inputs: [Path(Blob + "exampledata1.txt"), Path(Blob + "exampledata2.txt")],
                outputs: [new { qualifiedName = "mssql://sales.database.windows.net/db/dbo/sales", type = "azure_sql_table", name = "sales" }]),
        };
        foreach (var run in runs)
        {
            using var response = await adf.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", run);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Path(string qualifiedName) => new { qualifiedName, type = "azure_blob_path", name = qualifiedName[(qualifiedName.LastIndexOf('/') + 1)..] };

    private static string RequestOf(string example)
    {
        var parameters = SpecFiles.Read("azure-rest-api-specs/datamap/" + example).GetProperty("parameters");
        return (parameters.TryGetProperty("searchRequest", out var body) ? body : parameters.GetProperty("body")).GetRawText();
    }

    private async Task<JsonElement> SearchAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await LinksHost.JsonAsync(await _host.Admin.PostAsync(new Uri("/datamap/api/search/query?api-version=2023-09-01", UriKind.Relative), content), 200);
    }

    private static List<string> Names(JsonElement result) => result.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task Query_with_object_type_type_filter_orderby_and_facets()
    {
        var result = await SearchAsync(RequestOf("Discovery_Query.json"));
        Assert.Equal(["exampledata.csv", "exampledata1.txt", "exampledata2.txt"], Names(result));
        Assert.Equal(3, result.GetProperty("@search.count").GetInt32());
        Assert.False(result.GetProperty("@search.count.approximate").GetBoolean());
        var facets = result.GetProperty("@search.facets");
        var assetType = Assert.Single(facets.GetProperty("assetType").EnumerateArray());
        Assert.Equal(("Azure Blob Storage", 3), (assetType.GetProperty("value").GetString(), assetType.GetProperty("count").GetInt32()));
        foreach (var empty in new[] { "classification", "contactId", "label", "term" })
        {
            Assert.Equal(0, facets.GetProperty(empty).GetArrayLength());
        }

        Assert.All(result.GetProperty("value").EnumerateArray(), v => Assert.Equal("Files", v.GetProperty("objectType").GetString()));
    }

    [Theory]
    [InlineData("Discovery_Query_And.json")]
    [InlineData("Discovery_Query_AndOrNested.json")]
    public async Task And_and_nested_or_filters_keep_the_csv_blob_paths(string example)
    {
        var result = await SearchAsync(RequestOf(example));
        Assert.Equal(["AllTypes.csv", "exampledata.csv"], Names(result).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Type_filter_with_includeSubTypes_false_keeps_the_blob_paths()
    {
        var result = await SearchAsync(RequestOf("Discovery_Query_Type.json"));
        Assert.Equal(4, result.GetProperty("value").GetArrayLength());
        Assert.All(result.GetProperty("value").EnumerateArray(), v => Assert.Equal("azure_blob_path", v.GetProperty("entityType").GetString()));
    }

    [Theory]
    [InlineData("Discovery_Query_Not.json")]
    [InlineData("Discovery_Query_SystemTime.json")]
    public async Task Not_and_system_time_filters_that_exclude_nothing_here_return_every_asset(string example)
    {
        var everything = Names(await SearchAsync("""{"limit": 1000}"""));
        var result = await SearchAsync(RequestOf(example).Replace("\"limit\": 10", "\"limit\": 1000", StringComparison.Ordinal));
        Assert.Equal(everything.Order(StringComparer.Ordinal), Names(result).Order(StringComparer.Ordinal));
        Assert.Contains("exampledata", Names(result));
    }

    [Fact]
    public async Task Facet_example_counts_the_tables_by_asset_type()
    {
        var result = await SearchAsync(RequestOf("Discovery_Query_Facet.json"));
        Assert.Equal(["exampledata", "sales"], Names(result).Order(StringComparer.Ordinal).ToList());
        var assetTypes = result.GetProperty("@search.facets").GetProperty("assetType").EnumerateArray()
            .ToDictionary(v => v.GetProperty("value").GetString()!, v => v.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["Azure SQL Database"] = 1, ["Azure SQL Managed Instance"] = 1 }, assetTypes);
    }

    [Fact]
    public async Task Ordered_pages_follow_each_other_with_the_continuation_token()
    {
        var first = await SearchAsync("""{"limit": 2, "orderby": [{"name": "DESC"}]}""");
        var token = first.GetProperty("continuationToken").GetString();
        Assert.NotNull(token);
        var second = await SearchAsync($$"""{"limit": 2, "orderby": [{"name": "DESC"}], "continuationToken": "{{token}}"}""");
        var all = Names(await SearchAsync("""{"limit": 100, "orderby": ["name"]}"""));
        Assert.Equal(all.AsEnumerable().Reverse().Take(4), Names(first).Concat(Names(second)));
    }
}
