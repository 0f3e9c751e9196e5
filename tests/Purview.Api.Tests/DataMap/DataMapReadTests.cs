using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.ScanRuns;
using Purview.Api.Tests.Access;
using Purview.Api.Tests.Registry;
using Purview.Api.Tests.ScanRuns;
using Purview.Core.DataMap;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.DataMap;

/// <summary>
/// One host over Azurite that scanned a generated SQLite database (5 tables, 4 foreign keys, 1 view) and a blob
/// container, both in collection "finance", in pages of 2 assets. Principals: rita reads finance, mark reads marketing.
/// </summary>
public sealed class ScannedDataMap : IAsyncLifetime
{
    public const int Blobs = 5;
    private readonly AzuriteFixture _azurite = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "purview-sqlite", Guid.NewGuid().ToString("N"));

    public TestHost Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public string BlobPrefix { get; private set; } = string.Empty;

    public JsonElement SqlRun { get; private set; }

    public JsonElement BlobRun { get; private set; }

    public static string Table(string name) => "sqlite://shop/shop.db/" + name;

    public static string TableGuid(string name) => DataMapIds.EntityGuid("sqlite_table", Table(name));

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        ShopDatabase.Create(Path.Combine(_root, "shop", "shop.db"));
        var container = UniqueName.Container("dm");
        BlobPrefix = await ScanRunHost.UploadBlobsAsync(_azurite.ScanAccount, container, Blobs);
        var registry = new InMemoryScanRegistry()
            .AddDataSource("shop-db", DataSourceKinds.SqlDatabase, "sqlite:shop/shop.db", "finance")
            .AddScan("shop-db", "full", kind: "SqlDatabaseMsi")
            .AddDataSource("lake", DataSourceKinds.AzureStorage, ScanRunHost.BlobEndpoint(_azurite.ScanAccount), "finance")
            .AddScan("lake", "full", filter: new ScanFilter([BlobPrefix], []));
        Host = new TestHost(_azurite, null, new Dictionary<string, string?>
        {
            ["Workers:Enabled"] = "false",
            ["Scanning:SqliteRoot"] = _root,
            ["ScanRuns:PageSize"] = "2",
        }, services => services.AddSingleton<IScanRegistry>(registry));
        Admin = Host.Client("admin");
        foreach (var c in new[] { "finance", "marketing" })
        {
            await AccessHostFixture.PutCollection(Admin, c, "root");
        }

        await AccessHostFixture.Grant(Admin, "finance", "dataReader", "rita");
        await AccessHostFixture.Grant(Admin, "marketing", "dataReader", "mark");
        SqlRun = await RunAsync("shop-db");
        BlobRun = await RunAsync("lake");
    }

    public static string RunUrl(string ds, Guid id) => $"/scan/datasources/{ds}/scans/full/runs/{id}?api-version=2023-09-01";

    private async Task<JsonElement> RunAsync(string ds)
    {
        var id = Guid.NewGuid();
        var url = RunUrl(ds, id);
        Assert.Equal(HttpStatusCode.Accepted, (await Admin.PutAsync(new Uri(url, UriKind.Relative), null)).StatusCode);
        await ScanRunHost.DrainAsync(Host.Services);

        return await Admin.Get(url);
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}

public sealed class DataMapReadTests(ScannedDataMap map) : IClassFixture<ScannedDataMap>
{
    private const string Atlas = "/datamap/api/atlas/v2";

    [Fact]
    public void A_SQLite_database_of_5_tables_and_4_foreign_keys_ingests_its_tables_and_view_and_4_relationships()
    {
        var run = map.SqlRun;
        Assert.Equal("Succeeded", run.GetProperty("status").GetString());
        Assert.Equal(6, run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64());
        var ingestion = run.GetProperty("ingestionExecutionDetails").GetProperty("statistics");
        Assert.Equal(6, ingestion.GetProperty("assets").GetProperty("succeeded").GetInt64());
        Assert.Equal(4, ingestion.GetProperty("relationships").GetProperty("succeeded").GetInt64());
        Assert.Equal(0, ingestion.GetProperty("relationships").GetProperty("failed").GetInt64());
    }

    [Fact]
    public async Task Lineage_of_scanned_tables_returns_every_foreign_key_as_a_relation_from_the_referencing_table()
    {
        using var rita = map.Host.Client("rita");
        var output = await rita.Get($"{Atlas}/lineage/{ScannedDataMap.TableGuid("order_items")}?direction=OUTPUT&depth=2");
        var input = await rita.Get($"{Atlas}/lineage/{ScannedDataMap.TableGuid("products")}?direction=INPUT&depth=1");
        var relations = output.GetProperty("relations").EnumerateArray().Concat(input.GetProperty("relations").EnumerateArray())
            .Select(r => (r.GetProperty("fromEntityId").GetString()!, r.GetProperty("toEntityId").GetString()!, r.GetProperty("relationshipId").GetString()!))
            .Distinct()
            .ToList();
        var expected = ShopDatabase.ForeignKeys.Select(k => (ScannedDataMap.TableGuid(k.From), ScannedDataMap.TableGuid(k.To))).OrderBy(k => k).ToList();
        Assert.Equal(expected, relations.Select(r => (r.Item1, r.Item2)).OrderBy(k => k).ToList());
        Assert.All(relations, r => Assert.Equal(DataMapIds.RelationshipId(RelationKind.Reference, r.Item1, r.Item2), r.Item3));
        Assert.Equal(3, output.GetProperty("relations").GetArrayLength()); // order_items → orders → customers, order_items → products
        var names = output.GetProperty("guidEntityMap").EnumerateObject().Select(p => p.Value.GetProperty("attributes").GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["customers", "order_items", "orders", "products"], names);
        Assert.Equal("OUTPUT", output.GetProperty("lineageDirection").GetString());
    }

    [Fact]
    public async Task A_SQL_table_reads_by_guid_and_by_unique_attribute_with_its_columns()
    {
        using var rita = map.Host.Client("rita");
        var guid = ScannedDataMap.TableGuid("customers");
        var byGuid = await rita.Get($"{Atlas}/entity/guid/{guid}");
        var byName = await rita.Get($"{Atlas}/entity/uniqueAttribute/type/sqlite_table?attr:qualifiedName={Uri.EscapeDataString(ScannedDataMap.Table("customers"))}");
        Assert.Equal(byGuid.GetRawText(), byName.GetRawText());
        var entity = byGuid.GetProperty("entity");
        Assert.Equal(guid, entity.GetProperty("guid").GetString());
        Assert.Equal("sqlite_table", entity.GetProperty("typeName").GetString());
        Assert.Equal("finance", entity.GetProperty("collectionId").GetString());
        Assert.Equal(ScannedDataMap.Table("customers"), entity.GetProperty("attributes").GetProperty("qualifiedName").GetString());
        Assert.Equal("customers", entity.GetProperty("attributes").GetProperty("name").GetString());
        var columns = entity.GetProperty("relationshipAttributes").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("displayText").GetString()).ToList();
        Assert.Equal(["id", "name", "email", "photo"], columns);
        var referred = byGuid.GetProperty("referredEntities");
        var email = referred.GetProperty(DataMapIds.EntityGuid("sqlite_table_column", ScannedDataMap.Table("customers") + "#email"));
        Assert.Equal("TEXT", email.GetProperty("attributes").GetProperty("data_type").GetString());
        Assert.Equal(guid, email.GetProperty("relationshipAttributes").GetProperty("table")[0].GetProperty("guid").GetString());

        var view = await rita.Get($"{Atlas}/entity/uniqueAttribute/type/sqlite_view?attr:qualifiedName={Uri.EscapeDataString(ScannedDataMap.Table("big_orders"))}");
        Assert.Equal("sqlite_view", view.GetProperty("entity").GetProperty("typeName").GetString());
    }

    [Fact]
    public async Task A_scanned_blob_reads_by_guid_and_by_unique_attribute_with_the_GUID_the_links_use()
    {
        Assert.Equal(ScannedDataMap.Blobs, map.BlobRun.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64());
        var qualifiedName = map.BlobPrefix + "folder3/blob-000003.csv";
        var guid = DataMapIds.EntityGuid("azure_blob_path", qualifiedName);
        using var rita = map.Host.Client("rita");
        var byGuid = await rita.Get($"{Atlas}/entity/guid/{guid}");
        var byName = await rita.Get($"{Atlas}/entity/uniqueAttribute/type/azure_blob_path?attr:qualifiedName={Uri.EscapeDataString(qualifiedName)}");
        Assert.Equal(byGuid.GetRawText(), byName.GetRawText());
        var entity = byGuid.GetProperty("entity");
        Assert.Equal("azure_blob_path", entity.GetProperty("typeName").GetString());
        Assert.Equal("blob-000003.csv", entity.GetProperty("attributes").GetProperty("name").GetString());
        Assert.Equal(12, entity.GetProperty("attributes").GetProperty("size").GetInt64()); // "id,value\n3,x"
        Assert.Equal("lake", entity.GetProperty("attributes").GetProperty("dataSource").GetString());
    }

    [Fact]
    public async Task Search_pages_through_every_match_once_and_filters_by_type_and_qualified_name_prefix()
    {
        using var rita = map.Host.Client("rita");
        var seen = new List<string>();
        var sizes = new List<int>();
        string? token = null;
        do
        {
            var body = JsonSerializer.Serialize(new { keywords = "shop", limit = 2, continuationToken = token });
            var page = await rita.Send(HttpMethod.Post, "/datamap/api/search/query", body, HttpStatusCode.OK);
            var values = page.GetProperty("value").EnumerateArray().ToList();
            seen.AddRange(values.Select(v => v.GetProperty("qualifiedName").GetString()!));
            token = page.TryGetProperty("continuationToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            sizes.Add(values.Count);
        }
        while (token is not null && sizes.Count < 20);

        var expected = ShopDatabase.Tables.Append("big_orders").Select(ScannedDataMap.Table).Order().ToList();
        Assert.Equal(expected, seen.Order().ToList());
        // Six matches in pages of 2: a full page always carries a token (the data map does not read ahead to see
        // whether more match), so the token of the third page leads to an empty fourth, the last.
        Assert.Equal([2, 2, 2, 0], sizes);

        var tables = await rita.Send(HttpMethod.Post, "/datamap/api/search/query", """
            {"limit": 100, "filter": {"and": [{"entityType": "sqlite_table"}, {"attributeName": "qualifiedName", "operator": "prefix", "attributeValue": "sqlite://shop/shop.db/order"}]}}
            """, HttpStatusCode.OK);
        Assert.Equal(["order_items", "orders"], tables.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("name").GetString()).Order().ToList());
        Assert.All(tables.GetProperty("value").EnumerateArray(), v => Assert.Equal("finance", v.GetProperty("collectionId").GetString()));

        var blobs = await rita.Send(HttpMethod.Post, "/datamap/api/search/query", """{"keywords": "blob-00000", "filter": {"collectionId": "finance"}}""", HttpStatusCode.OK);
        Assert.Equal(ScannedDataMap.Blobs, blobs.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Readers_of_another_collection_get_404_for_hidden_entities_and_find_nothing()
    {
        using var mark = map.Host.Client("mark");
        var guid = ScannedDataMap.TableGuid("customers");
        foreach (var url in new[]
                 {
                     $"{Atlas}/entity/guid/{guid}",
                     $"{Atlas}/entity/uniqueAttribute/type/sqlite_table?attr:qualifiedName={Uri.EscapeDataString(ScannedDataMap.Table("customers"))}",
                     $"{Atlas}/lineage/{guid}",
                 })
        {
            var error = await mark.Get(url, HttpStatusCode.NotFound);
            Assert.Equal("NotFound", error.GetProperty("errorCode").GetString());
        }

        var search = await mark.Send(HttpMethod.Post, "/datamap/api/search/query", """{"keywords": "shop"}""", HttpStatusCode.OK);
        Assert.Equal(0, search.GetProperty("value").GetArrayLength());

        using var nobody = map.Host.Client("nobody");
        await nobody.Get($"{Atlas}/entity/guid/{guid}", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Ingestion_pages_retried_after_a_crash_count_each_relationship_once()
    {
        var sp = map.Host.Services;
        var store = sp.GetRequiredService<IScanRunStore>();
        var healthy = sp.GetRequiredService<ScanRunStepExecutor>();
        var dying = ExecutorWithPorts.Create(sp, store, sp.GetRequiredService<IScanRegistry>(), sp.GetRequiredService<IStagingStore>(), new DieAfterRelationships(sp.GetRequiredService<IAssetSink>()), new NoRunDriver());
        var id = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Accepted, (await map.Admin.PutAsync(new Uri(ScannedDataMap.RunUrl("shop-db", id), UriKind.Relative), null)).StatusCode);
        var crashes = 0;
        for (var i = 0; i < 40; i++)
        {
            var current = (await store.GetAsync(new ScanRunId(id), default))!;
            if (current.Run.IsFinal)
            {
                break;
            }

            if (ScanRunStepPlanner.Next(current.Run, current.Checkpoint, DateTimeOffset.UtcNow) == ScanRunStepKind.IngestPage)
            {
                // Assets, entities and relationships are written, then the worker dies before advancing the run.
                await Assert.ThrowsAsync<InvalidOperationException>(() => dying.StepAsync(current, default));
                crashes++;
                current = (await store.GetAsync(new ScanRunId(id), default))!;
            }

            await healthy.StepAsync(current, default);
        }

        Assert.Equal(3, crashes);
        var run = await map.Admin.Get(ScannedDataMap.RunUrl("shop-db", id));
        var ingestion = run.GetProperty("ingestionExecutionDetails").GetProperty("statistics");
        Assert.Equal(6, ingestion.GetProperty("assets").GetProperty("succeeded").GetInt64());
        Assert.Equal(4, ingestion.GetProperty("relationships").GetProperty("succeeded").GetInt64());
    }

    private sealed class DieAfterRelationships(IAssetSink inner) : IAssetSink
    {
        public Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken) =>
            inner.UpsertAsync(dataSourceName, collectionName, runId, assets, cancellationToken);

        public async Task<IngestResult> UpsertRelationshipsAsync(string dataSourceName, string collectionName, ScanRunId runId, StagedPage page, CancellationToken cancellationToken)
        {
            await inner.UpsertRelationshipsAsync(dataSourceName, collectionName, runId, page, cancellationToken);
            throw new InvalidOperationException("The worker died.");
        }
    }


    public static TheoryData<string, string, string?, int, string?> Malformed() => new()
    {
        { "GET", $"{Atlas}/entity/guid/not-a-guid", null, 400, "guid" },
        { "GET", $"{Atlas}/entity/guid/{Guid.NewGuid()}", null, 404, null },
        { "GET", $"{Atlas}/entity/uniqueAttribute/type/sqlite_table", null, 400, "attr:qualifiedName" },
        { "GET", $"{Atlas}/entity/uniqueAttribute/type/sqlite_table?attr:qualifiedName=", null, 400, "attr:qualifiedName" },
        { "GET", $"{Atlas}/entity/uniqueAttribute/type/sqlite_table?attr:qualifiedName=sqlite%3A%2F%2Fnope", null, 404, null },
        { "GET", $"{Atlas}/entity/uniqueAttribute/type/{new string('t', 300)}?attr:qualifiedName=x", null, 400, "typeName" },
        { "GET", $"{Atlas}/lineage/not-a-guid", null, 400, "guid" },
        { "GET", $"{Atlas}/lineage/{ScannedDataMap.TableGuid("orders")}?depth=11", null, 400, "depth" },
        { "GET", $"{Atlas}/lineage/{ScannedDataMap.TableGuid("orders")}?depth=-1", null, 400, "depth" },
        { "GET", $"{Atlas}/lineage/{ScannedDataMap.TableGuid("orders")}?depth=two", null, 400, "depth" },
        { "GET", $"{Atlas}/lineage/{ScannedDataMap.TableGuid("orders")}?direction=SIDEWAYS", null, 400, "direction" },
        { "GET", $"{Atlas}/lineage/{Guid.NewGuid()}", null, 404, null },
        { "POST", "/datamap/api/search/query", """{"limit": 0}""", 400, "limit" },
        { "POST", "/datamap/api/search/query", """{"limit": 1001}""", 400, "limit" },
        { "POST", "/datamap/api/search/query", """{"limit": "ten"}""", 400, "limit" },
        { "POST", "/datamap/api/search/query", """{"continuationToken": "bm9wZQ=="}""", 400, "continuationToken" },
        { "POST", "/datamap/api/search/query", """{"continuationToken": "%%%"}""", 400, "continuationToken" },
        { "POST", "/datamap/api/search/query", """{"keywords": "x", "facets": [{"facet": "color"}]}""", 400, "facets[0].facet" },
        { "POST", "/datamap/api/search/query", """{"keywords": "x", "facets": [{"facet": "label", "sort": {"count": "up"}}]}""", 400, "facets[0].sort" },
        { "POST", "/datamap/api/search/query", """{"orderby": [{"size": "ASC"}]}""", 400, "orderby[0]" },
        { "POST", "/datamap/api/search/query", """{"orderby": "name"}""", 400, "orderby" },
        { "POST", "/datamap/api/search/query", """{"filter": {"entityType": "a", "collectionId": "b"}}""", 400, "filter.collectionId" },
        { "POST", "/datamap/api/search/query", """{"filter": {"and": [{"entityType": "a"}, {"entityType": 5}]}}""", 400, "filter.and[1].entityType" },
        { "POST", "/datamap/api/search/query", """{"filter": {"and": []}}""", 400, "filter.and" },
        { "POST", "/datamap/api/search/query", """{"filter": {"kind": "SomeFilter", "entityType": "a"}}""", 400, "filter.kind" },
        { "POST", "/datamap/api/search/query", """{"filter": {"attributeName": "color", "operator": "eq", "attributeValue": "x"}}""", 400, "filter.attributeName" },
        { "POST", "/datamap/api/search/query", """{"filter": {"attributeName": "name", "operator": "like", "attributeValue": "x"}}""", 400, "filter.operator" },
        { "POST", "/datamap/api/search/query", """{"filter": {"attributeName": "updateTime", "operator": "timerange", "attributeValue": {"from": 5}}}""", 400, "filter.attributeValue" },
        { "POST", "/datamap/api/search/query", """{"filter": {"or": [{"not": {"shape": "round"}}]}}""", 400, "filter.or[0].not.shape" },
        { "POST", "/datamap/api/search/query", """{"keywords": """ + "\"" + new string('k', 300) + "\"}", 400, "keywords" },
        { "POST", "/datamap/api/search/query", """{"keywords": """, 400, null },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Malformed_data_map_reads_are_refused_in_the_Atlas_error_shape(string method, string url, string? body, int status, string? target)
    {
        var error = await map.Admin.Send(new HttpMethod(method), url, body, (HttpStatusCode)status);
        // The Data Map spec's AtlasErrorResponse: {requestId, errorCode, errorMessage}.
        Assert.Equal(["errorCode", "errorMessage", "requestId"], error.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("requestId").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("errorCode").GetString()));
        if (target is not null)
        {
            Assert.StartsWith(target, error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        }
    }
}
