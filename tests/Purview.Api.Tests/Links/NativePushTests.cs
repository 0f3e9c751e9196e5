using System.Net.Http.Json;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

public sealed class NativePushTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private LinksHost _host = null!;

    public async Task InitializeAsync() => _host = await LinksHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly string Factory = "/providers/Microsoft.DataFactory/factories/factory1";

    [Fact]
    public async Task A_copy_with_two_inputs_and_one_output_creates_its_lineage_and_counts_exactly_what_it_created()
    {
        using var writer = _host.Host.Client("adf-writer");
        var report = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-1", LinksHost.Start)), 200);

        Assert.Equal("Succeeded", report.GetProperty("status").GetString());
        // factory, pipeline, activity, operation + 2 sources + 1 sink; 3 lineage + 3 parent relationships.
        Assert.Equal(7, report.GetProperty("assetsIngested").GetInt32());
        Assert.Equal(6, report.GetProperty("relationshipsIngested").GetInt32());

        var sink = "mssql://srv.database.windows.net/db/dbo/sales";
        var operation = DataMapIds.EntityGuid("adf_copy_operation", $"{Factory}/pipelines/pipe1/activities/copy1#{sink}#azure_sql_table");
        using var reader = _host.Host.Client("rita");
        var lineage = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/lineage/{operation}?direction=BOTH&depth=1", UriKind.Relative)), 200);
        Assert.Equal(operation, lineage.GetProperty("baseEntityGuid").GetString());
        var map = lineage.GetProperty("guidEntityMap");
        var types = map.EnumerateObject().Select(p => p.Value.GetProperty("typeName").GetString()).Order().ToList();
        Assert.Equal(["adf_copy_activity", "adf_copy_operation", "adf_pipeline", "azure_blob_path", "azure_blob_path", "azure_data_factory", "azure_sql_table"], types);
        var relations = lineage.GetProperty("relations").EnumerateArray().Select(r => (r.GetProperty("fromEntityId").GetString(), r.GetProperty("toEntityId").GetString())).ToList();
        Assert.Equal(3, relations.Count);
        Assert.Contains((operation, DataMapIds.EntityGuid("azure_sql_table", sink)), relations);
        Assert.Contains((DataMapIds.EntityGuid("azure_blob_path", "https://acct.blob.core.windows.net/raw/a.csv"), operation), relations);
        var parents = lineage.GetProperty("parentRelations").EnumerateArray().Select(r => (r.GetProperty("parentEntityId").GetString(), r.GetProperty("childEntityId").GetString())).ToList();
        var activity = DataMapIds.EntityGuid("adf_copy_activity", $"{Factory}/pipelines/pipe1/activities/copy1");
        var pipeline = DataMapIds.EntityGuid("adf_pipeline", $"{Factory}/pipelines/pipe1");
        Assert.Contains((activity, operation), parents);
        Assert.Contains((pipeline, activity), parents);
        Assert.Contains((DataMapIds.EntityGuid("azure_data_factory", Factory), pipeline), parents);

        var input = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/lineage/{DataMapIds.EntityGuid("azure_sql_table", sink)}?direction=INPUT&depth=2", UriKind.Relative)), 200);
        Assert.Equal(3, input.GetProperty("relations").GetArrayLength());
        Assert.Equal("INPUT", input.GetProperty("lineageDirection").GetString());

        var entity = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/entity/guid/{operation}", UriKind.Relative)), 200);
        Assert.Equal("adf_copy_operation", entity.GetProperty("entity").GetProperty("typeName").GetString());
    }

    [Fact]
    public async Task Resending_the_same_activity_run_changes_nothing_and_a_new_run_over_the_same_assets_creates_nothing()
    {
        using var writer = _host.Host.Client("adf-writer");
        var first = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-a", LinksHost.Start)), 200);
        var again = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-a", LinksHost.Start)), 200);
        Assert.Equal(first.GetRawText(), again.GetRawText());
        var stored = await LinksHost.JsonAsync(await writer.GetAsync(new Uri("/links/AzureDataFactory/factory1/activityruns/run-a", UriKind.Relative)), 200);
        Assert.Equal(first.GetRawText(), stored.GetProperty("reportLineageToPurview").GetRawText());

        var second = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-b", LinksHost.Start)), 200);
        Assert.Equal("Succeeded", second.GetProperty("status").GetString());
        Assert.Equal(0, second.GetProperty("assetsIngested").GetInt32());
        Assert.Equal(0, second.GetProperty("relationshipsIngested").GetInt32());
    }

    [Fact]
    public async Task Unsupported_stores_are_dropped_and_a_run_with_nothing_left_is_not_reported()
    {
        using var writer = _host.Host.Client("adf-writer");
        var ftp = new { qualifiedName = "ftp://server/file.txt", type = "ftp_file", name = "file.txt" };
        var blob = new { qualifiedName = "https://acct.blob.core.windows.net/raw/c.csv", type = "azure_blob_path", name = "c.csv" };
        var sink = new { qualifiedName = "https://acct.dfs.core.windows.net/lake/out", type = "azure_datalake_gen2_path", name = "out" };
        var partial = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns",
            LinksHost.CopyRun("run-partial", LinksHost.Start, pipeline: "p2", inputs: [ftp, blob], outputs: [sink])), 200);
        Assert.Equal("Succeeded", partial.GetProperty("status").GetString());
        Assert.Equal(6, partial.GetProperty("assetsIngested").GetInt32()); // factory, pipeline, activity, operation, the blob source, the sink: not the ftp file
        var none = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns",
            LinksHost.CopyRun("run-none", LinksHost.Start, pipeline: "p3", inputs: [ftp], outputs: [sink])), 200);
        Assert.Equal("NotReported", none.GetProperty("status").GetString());
        Assert.Contains("ftp_file", none.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, none.GetProperty("assetsIngested").GetInt32());
    }

    [Fact]
    public async Task A_data_flow_reports_its_sources_and_sinks_as_a_dataflow_activity()
    {
        using var writer = _host.Host.Client("adf-writer");
        var report = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns",
            LinksHost.CopyRun("run-df", LinksHost.Start, pipeline: "pdf", activity: "flow1", activityType: "DataFlow")), 200);
        Assert.Equal("Succeeded", report.GetProperty("status").GetString());
        using var reader = _host.Host.Client("rita");
        var activity = DataMapIds.EntityGuid("adf_dataflow_activity", $"{Factory}/pipelines/pdf/activities/flow1");
        await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/entity/guid/{activity}", UriKind.Relative)), 200);
    }

    [Fact]
    public async Task A_push_by_a_principal_that_is_not_a_writer_is_403_and_a_writer_without_curator_is_403()
    {
        using var curious = _host.Host.Client("curious");
        await LinksHost.JsonAsync(await curious.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-x", LinksHost.Start)), 403);
        using var outsider = _host.Host.Client("outsider");
        await LinksHost.JsonAsync(await outsider.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-y", LinksHost.Start)), 403);
    }

    [Fact]
    public async Task A_push_to_an_unconnected_source_says_how_to_connect_it()
    {
        using var writer = _host.Host.Client("adf-writer");
        var problem = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureSynapse/unknown-ws/activityruns", LinksHost.CopyRun("run-z", LinksHost.Start)), 404);
        Assert.Contains("PUT /links/AzureSynapse/unknown-ws", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_are_listed_read_and_a_collection_holding_one_cannot_be_deleted()
    {
        var list = await LinksHost.JsonAsync(await _host.Admin.GetAsync(new Uri("/links", UriKind.Relative)), 200);
        Assert.Equal(2, list.GetProperty("count").GetInt32());
        var one = await LinksHost.JsonAsync(await _host.Admin.GetAsync(new Uri("/links/AzureDataFactory/FACTORY1", UriKind.Relative)), 200);
        Assert.Equal("finance", one.GetProperty("collection").GetString());
        await LinksHost.JsonAsync(await _host.Admin.DeleteAsync(new Uri("/account/collections/finance", UriKind.Relative)), 409);
        using var dana = _host.Host.Client("dana");
        await LinksHost.JsonAsync(await dana.PutAsJsonAsync("/links/AzureSynapse/ws1", new { collection = "finance", writers = new[] { "x" } }), 403);
        await _host.ConnectAsync("AzureSynapse", "ws1", "sales", "x");
        await LinksHost.JsonAsync(await _host.Admin.DeleteAsync(new Uri("/links/AzureSynapse/ws1", UriKind.Relative)), 204);
        await LinksHost.JsonAsync(await _host.Admin.DeleteAsync(new Uri("/links/AzureSynapse/ws1", UriKind.Relative)), 404);
    }
}
