using System.Net.Http.Json;
using System.Text.Json;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>Pushed lineage at resource-set level: a daily partitioned output is one dataset and one process for all runs.</summary>
public sealed class LineageRollupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string Factory = "/providers/Microsoft.DataFactory/factories/factory1";
    private const string RawRoot = "https://lake.dfs.core.windows.net/reports/revenue";
    private const string SetName = RawRoot + "/{N}/{N}/{N}/part-{N}.parquet";
    private LinksHost _host = null!;

    public async Task InitializeAsync() => _host = await LinksHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DateTimeOffset Day(int d) => LinksHost.Start.AddDays(-10 + d).AddHours(-8);

    private static object DailyCopy(int d) => LinksHost.CopyRun($"run-{d:D2}", Day(d), pipeline: "publish", activity: "copy_revenue",
        inputs: [new { qualifiedName = "mssql://srv.database.windows.net/db/dbo/orders", type = "azure_sql_table", name = "orders" }],
        outputs: [new { qualifiedName = $"{RawRoot}/{Day(d):yyyy/MM/dd}/part-0.parquet", type = "azure_datalake_gen2_path", name = "revenue" }]);

    [Fact]
    public async Task Ten_daily_pushes_make_one_resource_set_and_one_process_that_counts_ten_runs_and_a_re_push_counts_nothing()
    {
        using var writer = _host.Host.Client("adf-writer");
        // All ten at once: concurrent writers of one process's count must neither lose nor double a run.
        var reports = await Task.WhenAll(Enumerable.Range(0, 10).Select(async d => await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", DailyCopy(d)), 200)));
        Assert.All(reports, r => Assert.Equal("Succeeded", r.GetProperty("status").GetString()));
        // factory, pipeline, activity, operation, orders, the set: created once in all, whichever push created each.
        Assert.Equal(6, reports.Sum(r => r.GetProperty("assetsIngested").GetInt32()));

        var set = DataMapIds.EntityGuid("azure_datalake_gen2_resource_set", SetName);
        var operation = DataMapIds.EntityGuid("adf_copy_operation", $"{Factory}/pipelines/publish/activities/copy_revenue#{SetName}#azure_datalake_gen2_resource_set");
        using var reader = _host.Host.Client("rita");
        var lineage = await GetAsync(reader, $"/datamap/api/atlas/v2/lineage/{DataMapIds.EntityGuid("azure_sql_table", "mssql://srv.database.windows.net/db/dbo/orders")}?direction=OUTPUT&depth=4");
        var map = lineage.GetProperty("guidEntityMap");
        var relations = lineage.GetProperty("relations").EnumerateArray().Select(r => (r.GetProperty("fromEntityId").GetString(), r.GetProperty("toEntityId").GetString())).ToList();
        Assert.Equal(2, relations.Count);
        Assert.Contains((DataMapIds.EntityGuid("azure_sql_table", "mssql://srv.database.windows.net/db/dbo/orders"), operation), relations);
        Assert.Contains((operation, set), relations);
        // orders, the operation, the set, and the operation's activity, pipeline and factory.
        Assert.Equal(6, map.EnumerateObject().Count());
        var process = map.GetProperty(operation).GetProperty("attributes");
        Assert.Equal(10, process.GetProperty("runCount").GetInt64());
        Assert.Equal("run-09", process.GetProperty("lastRunId").GetString());
        Assert.Equal(Day(9).AddMinutes(2).ToUnixTimeMilliseconds(), process.GetProperty("lastRunTime").GetInt64());
        Assert.Equal(10, map.GetProperty(set).GetProperty("attributes").GetProperty("partitionCount").GetInt64());
        Assert.Equal("revenue", map.GetProperty(set).GetProperty("displayText").GetString());

        // The raw path of each run stays readable on the set (the ten most recent, newest first); no raw path is an entity.
        var entity = (await GetAsync(reader, $"/datamap/api/atlas/v2/entity/guid/{set}")).GetProperty("entity");
        Assert.Equal(SetName, entity.GetProperty("attributes").GetProperty("qualifiedName").GetString());
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(d => $"{RawRoot}/{Day(d):yyyy/MM/dd}/part-0.parquet"),
            entity.GetProperty("attributes").GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        using (var raw = await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/entity/guid/{DataMapIds.EntityGuid("azure_datalake_gen2_path", $"{RawRoot}/{Day(3):yyyy/MM/dd}/part-0.parquet")}", UriKind.Relative)))
        {
            Assert.Equal(404, (int)raw.StatusCode);
        }

        // A re-pushed run (and an older one arriving late again) changes neither the count nor the latest run.
        var again = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", DailyCopy(4)), 200);
        Assert.Equal(reports[4].GetRawText(), again.GetRawText());
        await Task.WhenAll(Enumerable.Range(0, 10).Select(async d => await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", DailyCopy(d)), 200)));
        var after = (await GetAsync(reader, $"/datamap/api/atlas/v2/entity/guid/{operation}")).GetProperty("entity").GetProperty("attributes");
        Assert.Equal(10, after.GetProperty("runCount").GetInt64());
        Assert.Equal("run-09", after.GetProperty("lastRunId").GetString());
        Assert.Equal(10, after.GetProperty("recentRuns").GetArrayLength());

        // An eleventh day moves the latest run and the count by one.
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", DailyCopy(10)), 200);
        var eleventh = (await GetAsync(reader, $"/datamap/api/atlas/v2/entity/guid/{operation}")).GetProperty("entity").GetProperty("attributes");
        Assert.Equal(11, eleventh.GetProperty("runCount").GetInt64());
        Assert.Equal("run-10", eleventh.GetProperty("lastRunId").GetString());
    }

    [Fact]
    public async Task Daily_OpenLineage_runs_writing_partitions_make_one_dataset_and_the_job_counts_each_run_once()
    {
        using var writer = _host.Host.Client("ol-writer");
        var runs = Enumerable.Range(0, 10).Select(d => (RunId: $"00000000-0000-4000-8000-{d:D12}", Time: Day(d))).ToList();
        Dictionary<string, object?> Complete((string RunId, DateTimeOffset Time) run)
        {
            var e = LinksHost.RunEvent("COMPLETE", run.RunId, run.Time, job: "export_orders", parent: null, inputs: 1, outputs: 0);
            e["outputs"] = new[] { new { @namespace = "abfss://exports@lake.dfs.core.windows.net", name = $"orders/dt={run.Time:yyyy-MM-dd}/part-00000.parquet" } };
            return e;
        }

        // One array of ten runs, then the same ten again one by one: duplicates, counted once.
        var batch = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", runs.Select(Complete).ToArray()), 200);
        Assert.Equal(10, batch.GetProperty("value").EnumerateArray().Count(r => r.GetProperty("reportLineageToPurview").GetProperty("status").GetString() == "Succeeded"));
        foreach (var run in runs)
        {
            var repeat = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", Complete(run)), 201);
            Assert.True(repeat.GetProperty("duplicate").GetBoolean());
        }

        var job = DataMapIds.EntityGuid("openlineage_job", "airflow-prod/export_orders");
        var dataset = DataMapIds.EntityGuid("openlineage_dataset", "abfss://exports@lake.dfs.core.windows.net/orders/dt={Value}/part-{N}.parquet");
        using var reader = _host.Host.Client("rita");
        var lineage = await GetAsync(reader, $"/datamap/api/atlas/v2/lineage/{job}?direction=OUTPUT&depth=1");
        Assert.Equal([(job, dataset)], lineage.GetProperty("relations").EnumerateArray().Select(r => (r.GetProperty("fromEntityId").GetString(), r.GetProperty("toEntityId").GetString())).ToList());
        var attributes = lineage.GetProperty("guidEntityMap").GetProperty(job).GetProperty("attributes");
        Assert.Equal(10, attributes.GetProperty("runCount").GetInt64());
        Assert.Equal(runs[9].RunId, attributes.GetProperty("lastRunId").GetString());
        Assert.Equal(runs[9].Time.ToUnixTimeMilliseconds(), attributes.GetProperty("lastRunTime").GetInt64());
        var set = (await GetAsync(reader, $"/datamap/api/atlas/v2/entity/guid/{dataset}")).GetProperty("entity").GetProperty("attributes");
        Assert.Equal(10, set.GetProperty("partitionCount").GetInt64());
        Assert.Equal($"abfss://exports@lake.dfs.core.windows.net/orders/dt={runs[9].Time:yyyy-MM-dd}/part-00000.parquet", set.GetProperty("partitions")[0].GetProperty("id").GetString());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path) => await LinksHost.JsonAsync(await client.GetAsync(new Uri(path, UriKind.Relative)), 200);
}
