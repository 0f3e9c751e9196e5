using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Purview.Api.Tests.Links;
using Purview.Api.Tests.Registry;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.DataMap;

/// <summary>
/// An entity belongs to the collection that first put it in the data map (issue 18 item 4): another collection's scan
/// or push leaves it alone and says so; only a Collection admin of both collections moves it; a deleted collection's
/// entities are never inherited by a new collection of the same name. Real HTTP, real Azurite, the real registry.
/// </summary>
public sealed class DataMapOwnershipTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Atlas = OwnershipHost.Atlas;

    [Fact]
    public async Task A_scan_in_another_collection_of_the_same_SQLite_file_leaves_the_entities_where_they_are_and_logs_each_skip()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        var ben = host.As("ben");
        var rita = host.As("rita");
        var bob = host.As("bob");
        var first = await host.AlphaScannedAsync();
        Assert.Equal("Succeeded", first.GetProperty("status").GetString());
        Assert.Equal((6L, 0L), OwnershipHost.Assets(first));
        var before = await rita.Get($"{Atlas}/entity/guid/{OwnershipHost.TableGuid("customers")}");
        Assert.Equal("alpha", before.GetProperty("entity").GetProperty("collectionId").GetString());
        Assert.NotEqual(0, before.GetProperty("entity").GetProperty("classifications").GetArrayLength());

        await host.RegisterShopAsync(ben, "shop-b", "beta");
        var (runId, second) = await host.ScanAsync(ben, "shop-b");

        // Every asset was discovered and none taken over: counted once each, as failed (so this ingestion failed as a
        // whole: nothing of it was written), with a line each in the log.
        Assert.Equal("Failed", second.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString());
        Assert.Equal((0L, 6L), OwnershipHost.Assets(second));
        Assert.Equal((0L, 4L), OwnershipHost.Relationships(second));
        var csv = await OwnershipHost.ExceptionsAsync(ben, "shop-b", runId);
        var skipped = csv.Split('\n').Where(l => l.Contains("EntityOwnedByAnotherCollection", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, skipped.Count);
        foreach (var table in ShopDatabase.Tables)
        {
            Assert.Contains(skipped, l => l.Contains(OwnershipHost.Table(table), StringComparison.Ordinal));
        }

        Assert.DoesNotContain("alpha", csv, StringComparison.Ordinal); // the owner is not disclosed to beta

        // Alpha's entity is byte for byte what alpha's scan wrote; beta's readers do not see it.
        var after = await rita.Get($"{Atlas}/entity/guid/{OwnershipHost.TableGuid("customers")}");
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, await OwnershipHost.StatusAsync(bob, $"{Atlas}/entity/guid/{OwnershipHost.TableGuid("customers")}"));
        var lineage = await rita.Get($"{Atlas}/lineage/{OwnershipHost.TableGuid("order_items")}?direction=OUTPUT&depth=2");
        Assert.Equal(3, lineage.GetProperty("relations").GetArrayLength());
    }

    [Fact]
    public async Task Two_collections_scanning_one_file_at_the_same_time_own_each_entity_exactly_once()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        var ann = host.As("ann");
        var ben = host.As("ben");
        await host.RegisterShopAsync(ann, "shop-a", "alpha");
        await host.RegisterShopAsync(ben, "shop-b", "beta");
        var a = await OwnershipHost.StartRunAsync(ann, "shop-a");
        var b = await OwnershipHost.StartRunAsync(ben, "shop-b");
        await host.DriveAsync();

        var runA = await ann.Get(OwnershipHost.RunUrl("shop-a", a));
        var runB = await ben.Get(OwnershipHost.RunUrl("shop-b", b));
        var (aOk, aSkipped) = OwnershipHost.Assets(runA);
        var (bOk, bSkipped) = OwnershipHost.Assets(runB);
        Assert.Equal(6, aOk + bOk);
        Assert.Equal(6, aSkipped + bSkipped);
        foreach (var table in ShopDatabase.Tables)
        {
            var entity = (await host.Admin.Get($"{Atlas}/entity/guid/{OwnershipHost.TableGuid(table)}")).GetProperty("entity");
            var owner = entity.GetProperty("collectionId").GetString();
            Assert.Contains(owner, new[] { "alpha", "beta" });
            var loser = owner == "alpha" ? ("shop-b", b, ben) : ("shop-a", a, ann);
            Assert.Contains(OwnershipHost.Table(table), await OwnershipHost.ExceptionsAsync(loser.Item3, loser.Item1, loser.Item2), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_push_from_another_collection_writing_into_an_owned_dataset_is_skipped_and_named_in_the_report()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        var sales = await host.AlphaOwnsSalesAsync();
        var betaWriter = host.As("beta-writer");
        var rita = host.As("rita");

        var report = await OwnershipHost.PushAsync(betaWriter, "factory-b", LinksHost.CopyRun("b-1", LinksHost.Start.AddMinutes(5),
            inputs: [OwnershipHost.Blob("b-raw.csv")], outputs: [OwnershipHost.SqlTable("sales")]));

        Assert.Equal("Succeeded", report.GetProperty("status").GetString());
        var skipped = Assert.Single(report.GetProperty("skipped").EnumerateArray());
        Assert.Equal("azure_sql_table", skipped.GetProperty("typeName").GetString());
        Assert.Equal("mssql://srv.database.windows.net/db/dbo/sales", skipped.GetProperty("qualifiedName").GetString());
        Assert.Equal("OwnedByAnotherCollection", skipped.GetProperty("reason").GetString());

        // Alpha's table is unchanged and its lineage shows only alpha's copy, even to a reader of everything.
        Assert.Equal(sales.GetRawText(), (await rita.Get($"{Atlas}/entity/guid/{OwnershipHost.SqlTableGuid("sales")}")).GetRawText());
        var lineage = await host.Admin.Get($"{Atlas}/lineage/{OwnershipHost.SqlTableGuid("sales")}?direction=INPUT&depth=1");
        Assert.Equal(1, lineage.GetProperty("relations").GetArrayLength());

        // A repeated push is answered the same, skip included.
        var again = await OwnershipHost.PushAsync(betaWriter, "factory-b", LinksHost.CopyRun("b-1", LinksHost.Start.AddMinutes(5),
            inputs: [OwnershipHost.Blob("b-raw.csv")], outputs: [OwnershipHost.SqlTable("sales")]));
        Assert.Equal(skipped.GetRawText(), Assert.Single(again.GetProperty("skipped").EnumerateArray()).GetRawText());
    }

    [Fact]
    public async Task A_push_reading_an_owned_dataset_gets_its_lineage_edge_while_the_dataset_stays_its_owners_and_hidden_from_the_pusher()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        var sales = await host.AlphaOwnsSalesAsync();
        var betaWriter = host.As("beta-writer");
        var rita = host.As("rita");
        var bob = host.As("bob");

        var report = await OwnershipHost.PushAsync(betaWriter, "factory-b", LinksHost.CopyRun("b-1", LinksHost.Start.AddMinutes(5),
            inputs: [OwnershipHost.SqlTable("sales")], outputs: [OwnershipHost.SqlTable("report")]));
        Assert.False(report.TryGetProperty("skipped", out _), report.GetRawText());

        // The edge exists (a reader of everything sees beta's copy reading alpha's table) ...
        var all = await host.Admin.Get($"{Atlas}/lineage/{OwnershipHost.SqlTableGuid("report")}?direction=INPUT&depth=2");
        Assert.True(all.GetProperty("guidEntityMap").TryGetProperty(OwnershipHost.SqlTableGuid("sales"), out _));
        Assert.Equal(2, all.GetProperty("relations").GetArrayLength());

        // ... alpha's table is alpha's as it was, and beta's readers neither read it nor see it in beta's lineage.
        Assert.Equal(sales.GetRawText(), (await rita.Get($"{Atlas}/entity/guid/{OwnershipHost.SqlTableGuid("sales")}")).GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, await OwnershipHost.StatusAsync(bob, $"{Atlas}/entity/guid/{OwnershipHost.SqlTableGuid("sales")}"));
        var betaView = await bob.Get($"{Atlas}/lineage/{OwnershipHost.SqlTableGuid("report")}?direction=INPUT&depth=2");
        Assert.False(betaView.GetProperty("guidEntityMap").TryGetProperty(OwnershipHost.SqlTableGuid("sales"), out _));
        Assert.Equal(1, betaView.GetProperty("relations").GetArrayLength());
    }

    [Fact]
    public async Task An_OpenLineage_event_writing_into_another_collections_dataset_is_201_with_the_skip_and_writes_no_edge_into_it()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        await host.ConnectBothAsync("OpenLineage", "airflow-a", "airflow-b");
        var alphaWriter = host.As("alpha-writer");
        var betaWriter = host.As("beta-writer");
        using (var a = await alphaWriter.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start, ns: "airflow-a")))
        {
            await LinksHost.JsonAsync(a, 201);
        }

        using var b = await betaWriter.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(1), ns: "airflow-b"));
        var result = await LinksHost.JsonAsync(b, 201);

        var output = DataMapIds.EntityGuid("openlineage_dataset", "s3://lake/sales/part0");
        var skipped = result.GetProperty("reportLineageToPurview").GetProperty("skipped").EnumerateArray()
            .Select(s => (s.GetProperty("typeName").GetString(), s.GetProperty("qualifiedName").GetString())).ToList();
        Assert.Equal([("openlineage_dataset", "s3://lake/sales/part0")], skipped); // the inputs are read, not skipped
        var lineage = await host.Admin.Get($"{Atlas}/lineage/{output}?direction=INPUT&depth=1");
        var writers = lineage.GetProperty("relations").EnumerateArray().Select(r => r.GetProperty("fromEntityId").GetString()).ToList();
        Assert.Equal([DataMapIds.EntityGuid("openlineage_job", "airflow-a/load_sales")], writers);
    }

    [Fact]
    public async Task Two_collections_pushing_one_new_dataset_at_the_same_time_leave_exactly_one_owner_and_one_skip()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        await host.ConnectBothAsync("OpenLineage", "airflow-a", "airflow-b");
        var alphaWriter = host.As("alpha-writer");
        var betaWriter = host.As("beta-writer");
        for (var i = 0; i < 5; i++)
        {
            var dataset = $"race{i}";
            Dictionary<string, object?> Event(string ns)
            {
                var e = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(i), ns: ns, inputs: 0);
                e["outputs"] = new[] { new { @namespace = "s3://shared", name = dataset } };
                return e;
            }

            var pushes = await Task.WhenAll(alphaWriter.PostAsJsonAsync("/api/v1/lineage", Event("airflow-a")), betaWriter.PostAsJsonAsync("/api/v1/lineage", Event("airflow-b")));
            var reports = new List<JsonElement>();
            foreach (var p in pushes)
            {
                reports.Add((await LinksHost.JsonAsync(p, 201)).GetProperty("reportLineageToPurview"));
                p.Dispose();
            }

            var skippedBy = reports.Select((r, k) => r.TryGetProperty("skipped", out _) ? k : -1).Where(k => k >= 0).ToList();
            var loser = Assert.Single(skippedBy);
            var owner = (await host.Admin.Get($"{Atlas}/entity/guid/{DataMapIds.EntityGuid("openlineage_dataset", "s3://shared/" + dataset)}"))
                .GetProperty("entity").GetProperty("collectionId").GetString();
            Assert.Equal(loser == 0 ? "beta" : "alpha", owner);
        }
    }

    [Fact]
    public async Task A_link_reconnected_in_another_collection_does_not_inherit_the_jobs_its_namespace_wrote_before()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        await host.ConnectAsync("OpenLineage", "airflow-x", "alpha", "alpha-writer");
        var alphaWriter = host.As("alpha-writer");
        var betaWriter = host.As("beta-writer");
        using (var a = await alphaWriter.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start, ns: "airflow-x")))
        {
            await LinksHost.JsonAsync(a, 201);
        }

        await host.Admin.Delete("/links/OpenLineage/airflow-x");
        await host.ConnectAsync("OpenLineage", "airflow-x", "beta", "beta-writer");
        using var b = await betaWriter.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(1), ns: "airflow-x"));
        var report = (await LinksHost.JsonAsync(b, 201)).GetProperty("reportLineageToPurview");

        var skipped = report.GetProperty("skipped").EnumerateArray().Select(s => s.GetProperty("qualifiedName").GetString()).ToHashSet();
        Assert.Contains("airflow-x/load_sales", skipped);
        Assert.Contains("airflow-x", skipped);
        var bob = host.As("bob");
        Assert.Equal(HttpStatusCode.NotFound, await OwnershipHost.StatusAsync(bob, $"{Atlas}/entity/guid/{DataMapIds.EntityGuid("openlineage_job", "airflow-x/load_sales")}"));
        Assert.Equal(0, report.GetProperty("relationshipsIngested").GetInt32());
    }

    [Fact]
    public async Task A_collection_owning_entities_cannot_be_deleted_and_a_new_collection_of_its_name_inherits_nothing()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        var ann = host.As("ann");
        var rita = host.As("rita");
        await host.AlphaScannedAsync();
        foreach (var url in new[] { "/scan/datasources/shop-a/scans/full", "/scan/datasources/shop-a" })
        {
            using var deleted = await ann.DeleteAsync(new Uri(url, UriKind.Relative));
            Assert.True(deleted.IsSuccessStatusCode, $"DELETE {url}: {(int)deleted.StatusCode}");
        }

        // The data source is gone; its entities are alpha's still, so alpha cannot go.
        var refused = await host.Admin.Delete("/account/collections/alpha", HttpStatusCode.Conflict);
        Assert.Contains("entities in the data map", refused.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await OwnershipHost.StatusAsync(rita, $"{Atlas}/entity/guid/{OwnershipHost.TableGuid("customers")}"));

        // Moved out, alpha can be deleted; a new alpha (with a reader of that name again) sees none of them.
        var search = await host.Admin.PostAsJsonAsync("/datamap/api/search/query", new { keywords = "*", limit = 100, filter = new { collectionId = "alpha" } });
        var inAlpha = (await LinksHost.JsonAsync(search, 200)).GetProperty("value").EnumerateArray().Select(v => v.GetProperty("id").GetString()!).ToList();
        Assert.Equal(6, inAlpha.Count);
        using (var move = await host.Admin.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=archive", new { entityGuids = inAlpha }))
        {
            await LinksHost.JsonAsync(move, 200);
        }

        await host.Admin.Delete("/account/collections/alpha");
        await Access.AccessHostFixture.PutCollection(host.Admin, "alpha", "root");
        await Access.AccessHostFixture.Grant(host.Admin, "alpha", "dataReader", "rita");
        Assert.Equal(HttpStatusCode.NotFound, await OwnershipHost.StatusAsync(rita, $"{Atlas}/entity/guid/{OwnershipHost.TableGuid("customers")}"));
        var ritaSearch = await rita.PostAsJsonAsync("/datamap/api/search/query", new { keywords = "*", limit = 100 });
        Assert.Equal(0, (await LinksHost.JsonAsync(ritaSearch, 200)).GetProperty("value").GetArrayLength());
        var archived = (await host.Admin.Get($"{Atlas}/entity/guid/{OwnershipHost.TableGuid("customers")}")).GetProperty("entity");
        Assert.Equal("archive", archived.GetProperty("collectionId").GetString());
    }

    [Fact]
    public async Task Only_a_Collection_admin_of_both_collections_moves_an_entity_and_the_old_owners_scans_then_skip_it()
    {
        await using var host = await OwnershipHost.StartAsync(azurite);
        var ann = host.As("ann");
        var ben = host.As("ben");
        var carol = host.As("carol");
        var rita = host.As("rita");
        var bob = host.As("bob");
        await host.AlphaScannedAsync();
        var customers = OwnershipHost.TableGuid("customers");
        var body = new { entityGuids = new[] { customers } };

        // Admin of alpha only (beta hidden from her: "does not exist"; readable: not hers to fill), admin of beta only (no
        // role on alpha: the entity is not found), a reader: refused.
        var hidden = await LinksHost.JsonAsync(await ann.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=beta", body), 400);
        Assert.StartsWith("collectionId", hidden.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        await Access.AccessHostFixture.Grant(host.Admin, "beta", "dataReader", "ann");
        Assert.Equal(HttpStatusCode.Forbidden, (await ann.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=beta", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ben.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=beta", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rita.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=alpha", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await OwnershipHost.StatusAsync(rita, $"{Atlas}/entity/guid/{customers}"));

        // Bad input: 400 naming the field, nothing moved.
        var noTarget = await LinksHost.JsonAsync(await carol.PostAsJsonAsync("/datamap/api/entity/moveTo", body), 400);
        Assert.StartsWith("collectionId", noTarget.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        var badGuid = await LinksHost.JsonAsync(await carol.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=beta", new { entityGuids = new[] { customers, "not-a-guid" } }), 400);
        Assert.StartsWith("entityGuids[1]", badGuid.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await OwnershipHost.StatusAsync(rita, $"{Atlas}/entity/guid/{customers}"));

        // Carol administers both: moved, with the spec's mutation result.
        using var moved = await carol.PostAsJsonAsync("/datamap/api/entity/moveTo?collectionId=beta", body);
        var result = await LinksHost.JsonAsync(moved, 200);
        Assert.Equal(customers, Assert.Single(result.GetProperty("mutatedEntities").GetProperty("UPDATE").EnumerateArray()).GetProperty("guid").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await OwnershipHost.StatusAsync(rita, $"{Atlas}/entity/guid/{customers}"));
        var entity = (await bob.Get($"{Atlas}/entity/guid/{customers}")).GetProperty("entity");
        Assert.Equal("beta", entity.GetProperty("collectionId").GetString());

        // Alpha's next scan (on the host that wrote the row before) leaves the moved table to beta.
        var (runId, rescan) = await host.ScanAsync(ann, "shop-a");
        Assert.Equal((5L, 1L), OwnershipHost.Assets(rescan));
        Assert.Contains(OwnershipHost.Table("customers"), await OwnershipHost.ExceptionsAsync(ann, "shop-a", runId), StringComparison.Ordinal);
        Assert.Equal("beta", (await bob.Get($"{Atlas}/entity/guid/{customers}")).GetProperty("entity").GetProperty("collectionId").GetString());
    }
}
