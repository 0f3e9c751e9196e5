using Purview.Core.DataMap;
using Purview.Core.Links;
using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Links;

public sealed class LineageRollupTests
{
    [Theory]
    // Storage URLs: the container is the first path segment and is kept, as in a scan's qualified names.
    [InlineData("https://lake.dfs.core.windows.net/reports/revenue/2026/11/20/part-0.parquet", "https://lake.dfs.core.windows.net/reports/revenue/{N}/{N}/{N}/part-{N}.parquet")]
    [InlineData("https://acct.blob.core.windows.net/c2024/sales/d=2024-01-01/part-00001.csv", "https://acct.blob.core.windows.net/c2024/sales/d={Value}/part-{N}.csv")]
    // The container or bucket is in the authority: every path segment may generalize.
    [InlineData("abfss://raw@lake.dfs.core.windows.net/2026-11-20/orders.parquet", "abfss://raw@lake.dfs.core.windows.net/{Date}/orders.parquet")]
    [InlineData("wasbs://raw@acct.blob.core.windows.net/events/3f2504e0-4f89-11d3-9a0c-0305e82c3301.json", "wasbs://raw@acct.blob.core.windows.net/events/{GUID}.json")]
    [InlineData("s3://bucket/year=2026/month=11/data.csv", "s3://bucket/year={Value}/month={Value}/data.csv")]
    [InlineData("file:///data/exports/20261120/out.csv", "file:///data/exports/{Date}/out.csv")]
    [InlineData("/data/exports/run7/out.csv", "/data/exports/run{N}/out.csv")]
    public void A_partitioned_qualified_name_becomes_the_pattern_scans_use(string qualifiedName, string set)
    {
        Assert.Equal(set, ResourceSetPattern.OfQualifiedName(qualifiedName));
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/raw/orders")]
    [InlineData("https://acct.blob.core.windows.net/")]
    [InlineData("s3://bucket")]
    [InlineData("abfss://raw@lake.dfs.core.windows.net/sales/orders.csv")]
    public void A_name_without_partition_like_parts_has_no_resource_set(string qualifiedName)
    {
        Assert.Null(ResourceSetPattern.OfQualifiedName(qualifiedName));
    }

    [Fact]
    public void A_pushed_blob_path_and_the_scanned_file_roll_up_to_the_same_resource_set()
    {
        var scanned = new DiscoveredAsset("https://acct.blob.core.windows.net/c/d=2024-01-01/part-00001.csv", "part-00001.csv", "azure_blob_path", 1, null, "c/d=2024-01-01/part-00001.csv");
        var pushed = LineageRollup.ResourceSetOf(new DatasetRef("https://acct.blob.core.windows.net/c/d=2024-01-02/part-00017.csv", "azure_blob_path", null))!;

        Assert.Equal(ResourceSetPattern.QualifiedNameOf(scanned), pushed.QualifiedName);
        Assert.Equal(ResourceSetPattern.ResourceSetType, pushed.Type);
    }

    [Theory]
    [InlineData("azure_datalake_gen2_path", "azure_datalake_gen2_resource_set")]
    [InlineData("azure_datalake_gen1_path", "azure_datalake_gen1_resource_set")]
    [InlineData("azure_blob_path", "azure_blob_resource_set")]
    public void Native_path_types_become_their_resource_set_types(string type, string setType)
    {
        var set = LineageRollup.ResourceSetOf(new DatasetRef("https://lake.dfs.core.windows.net/reports/2026/11/20/part-0.parquet", type, "revenue"))!;
        Assert.Equal(setType, set.Type);
        Assert.Equal("revenue", set.Name);
    }

    [Theory]
    [InlineData("azure_sql_table", "mssql://srv.database.windows.net/db/dbo/orders_2024")]
    [InlineData("azure_blob_path", "https://acct.blob.core.windows.net/raw/orders.csv")]
    // A number in a file name alone: a file the pipeline names on purpose, the same on every run.
    [InlineData("azure_blob_path", "https://exampleaccount.blob.core.windows.net/examplepath/exampledata1.txt")]
    [InlineData("azure_datalake_gen2_path", "https://lake.dfs.core.windows.net/out/part-00000.parquet")]
    public void Tables_and_unpartitioned_files_are_left_as_pushed(string type, string qualifiedName)
    {
        Assert.Null(LineageRollup.ResourceSetOf(new DatasetRef(qualifiedName, type, null)));
    }

    [Theory]
    [InlineData("abfss://raw@lake.dfs.core.windows.net", "sales/2026/11/20/part-0.parquet", "sales/{N}/{N}/{N}/part-{N}.parquet")]
    [InlineData("wasbs://raw@acct.blob.core.windows.net", "events/dt=2026-11-20/e.json", "events/dt={Value}/e.json")]
    [InlineData("s3://lake", "orders/20261120/part-00003.parquet", "orders/{Date}/part-{N}.parquet")]
    [InlineData("gs://bucket", "x/3f2504e0-4f89-11d3-9a0c-0305e82c3301/y.avro", "x/{GUID}/y.avro")]
    [InlineData("hdfs://namenode:8020", "/warehouse/orders/ds=2026-11-20", "/warehouse/orders/ds={Value}")]
    [InlineData("file", "/home/etl/out/2026-11-20.csv", "/home/etl/out/{Date}.csv")]
    [InlineData("s3://lake", "logs/app_20261120T1030.log", "logs/app_{Date}.log")]
    [InlineData("https://acct.blob.core.windows.net", "c1/sales/2026/part-1.csv", "c1/sales/{N}/part-{N}.csv")]
    public void OpenLineage_file_datasets_keep_their_namespace_and_roll_their_name_up(string ns, string name, string set)
    {
        var rolled = LineageRollup.ResourceSetOf(new OpenLineageDataset(ns, name));
        Assert.NotNull(rolled);
        Assert.Equal(ns, rolled.Namespace);
        Assert.Equal(set, rolled.Name);
    }

    [Theory]
    [InlineData("postgres://db:5432", "public.orders_2024")]
    [InlineData("snowflake://org-acct", "db.schema.events_20261120")]
    [InlineData("kafka://broker:9092", "topic-7")]
    [InlineData("https://api.example.com", "v1/items/2026")]
    [InlineData("s3://lake", "sales/orders.parquet")]
    [InlineData("s3://lake", "sales/part0")]
    public void OpenLineage_tables_topics_and_unpartitioned_files_are_left_as_named(string ns, string name)
    {
        Assert.Null(LineageRollup.ResourceSetOf(new OpenLineageDataset(ns, name)));
    }

    [Fact]
    public void A_summary_counts_each_new_key_once_keeps_the_latest_by_time_and_a_bounded_recent_list()
    {
        var t = new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.Zero);
        var first = RollupSummary.Add(null, [new RollupEntry("run-1", t), new RollupEntry("run-3", t.AddDays(2))]);
        Assert.Equal(2, first.Count);
        Assert.Equal("run-3", first.Latest.Key);

        // A late run (older time) counts but does not become the latest.
        var late = RollupSummary.Add(first, [new RollupEntry("run-2", t.AddDays(1))]);
        Assert.Equal(3, late.Count);
        Assert.Equal("run-3", late.Latest.Key);
        Assert.Equal(["run-3", "run-2", "run-1"], late.Recent.Select(e => e.Key));

        var many = RollupSummary.Add(late, Enumerable.Range(4, 20).Select(i => new RollupEntry($"run-{i}", t.AddDays(i))).ToList());
        Assert.Equal(23, many.Count);
        Assert.Equal("run-23", many.Latest.Key);
        Assert.Equal(RollupSummary.RecentCapacity, many.Recent.Count);
        Assert.Equal(Enumerable.Range(14, 10).Reverse().Select(i => $"run-{i}"), many.Recent.Select(e => e.Key));
    }

    [Fact]
    public void Every_run_of_a_daily_partitioned_copy_names_the_same_dataset_and_operation()
    {
        var link = new Link(LinkSourceType.AzureDataFactory, "f1", "root", ["w"], DateTimeOffset.UnixEpoch, "admin", DateTimeOffset.UnixEpoch);
        var plans = Enumerable.Range(1, 3).Select(day =>
        {
            var start = new DateTimeOffset(2026, 11, day, 2, 0, 0, TimeSpan.Zero);
            var run = new ActivityRunReport("publish", "copy_revenue", "Copy", $"run-{day}", $"p-{day}", "Succeeded", start, start.AddMinutes(4),
                [new DatasetRef("mssql://srv/db/dbo/orders", "azure_sql_table", "orders")],
                [new DatasetRef($"https://lake.dfs.core.windows.net/reports/revenue/2026/11/{day:D2}/part-0.parquet", "azure_datalake_gen2_path", "revenue")], null);
            return LinkLineage.ForActivityRun(link, run, run.Inputs, run.Outputs, start);
        }).ToList();

        Assert.Single(plans.Select(p => string.Join(",", p.Entities.Select(e => e.Guid).Order())).Distinct());
        var set = plans[0].Entities.Single(e => e.TypeName == "azure_datalake_gen2_resource_set");
        Assert.Equal("https://lake.dfs.core.windows.net/reports/revenue/{N}/{N}/{N}/part-{N}.parquet", set.QualifiedName);
        // Each run is a sighting of both processes (activity, operation) and of the set, under its raw path.
        var third = plans[2].Sightings;
        Assert.Equal(2, third.Count(s => s.Key == "run-3"));
        Assert.Contains(new RollupSighting(set.Guid, "https://lake.dfs.core.windows.net/reports/revenue/2026/11/03/part-0.parquet", new DateTimeOffset(2026, 11, 3, 2, 4, 0, TimeSpan.Zero)), third);
    }
}
