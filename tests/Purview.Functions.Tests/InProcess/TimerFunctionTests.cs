using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Connectors;
using Purview.Core.Links;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>
/// The app's timer functions invoked as the host fires them (a TimerInfo, the invocation's context), on a worker whose
/// clock the test moves; each effect read back through the app's HTTP functions (or its stores where no route reads it).
/// StartScheduledScanRuns needs a Durable client and is not here.
/// </summary>
public sealed class TimerFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private const string ExpectedLog =
        "Import completion time,Items available from source,Items available for import,Items imported successfully,Items partially imported,Items skipped,Items failed\r\n" +
        "2026-11-21T10:00:00.000Z,7,15,7,4,0,4\r\n" +
        "2026-11-21T10:01:00.000Z,2,5,1,0,3,1\r\n" +
        "\r\n" +
        "Failed item details\r\n" +
        "Item id,Source User ID,M365 User ID,Failure Reason\r\n" +
        "i2,u9,,User mapping failure\r\n" +
        "i4,u2,u2@contoso.com,Item size exceeded\r\n" +
        "i4,u3,u3@contoso.com,Item size exceeded\r\n";

    [Fact]
    public async Task LinkAggregationTimer_aggregates_the_closed_hour_of_pushed_activity_runs()
    {
        var time = new ManualTimeProvider(Start.AddMinutes(10));
        await using var worker = await FunctionsWorker.StartAsync(azurite, time);
        await ConnectFactoryAsync(worker);
        await PushAsync(worker, CopyRun("run-1", Start));
        await PushAsync(worker, CopyRun("run-1", Start)); // the same run again counts once
        await PushAsync(worker, CopyRun("run-2", Start.AddMinutes(20), pipeline: "pipe2", activity: "copy2"));
        var before = await worker.JsonAsync("LinkMonitoringSources", "GET", "/monitoring/links?period=7d");

        time.SetUtcNow(Start.AddHours(1).AddMinutes(5));
        await InvokeTimerAsync(worker, "LinkAggregationTimer");

        var source = Assert.Single((await worker.JsonAsync("LinkMonitoringSources", "GET", "/monitoring/links?period=7d")).GetProperty("value").EnumerateArray());
        var summary = await worker.JsonAsync("LinkMonitoringSummary", "GET", "/monitoring/links/summary?period=7d");
        var drill = await worker.JsonAsync("LinkMonitoringSubArtifacts", "GET", "/monitoring/links/AzureDataFactory/factory1?period=7d");
        Assert.Equal(0, before.GetProperty("value").EnumerateArray().Sum(s => s.GetProperty("assetsIngested").GetInt64()));
        Assert.Equal("factory1", source.GetProperty("sourceName").GetString());
        // run-2 reused every dataset of run-1: only its pipeline, activity, operation and their relations are new.
        Assert.Equal((7L + 3, 6L + 6, 2L), (source.GetProperty("assetsIngested").GetInt64(), source.GetProperty("relationshipsIngested").GetInt64(), source.GetProperty("activityRuns").GetInt64()));
        Assert.Equal(Start.AddMinutes(22), source.GetProperty("lastRunTime").GetDateTimeOffset());
        Assert.Equal("hourly", summary.GetProperty("granularity").GetString());
        Assert.Equal(Start.AddHours(1), summary.GetProperty("reportedTill").GetDateTimeOffset());
        Assert.Equal(10, summary.GetProperty("trend").EnumerateArray().Single(p => p.GetProperty("time").GetDateTimeOffset() == Start).GetProperty("assets").GetInt64());
        Assert.Equal(["pipe1/copy1", "pipe2/copy2"], drill.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order().ToList());
    }

    [Fact]
    public async Task LinkRetentionTimer_deletes_events_and_aggregates_older_than_45_days_and_keeps_newer_ones()
    {
        var time = new ManualTimeProvider(Start.AddMinutes(10));
        await using var worker = await FunctionsWorker.StartAsync(azurite, time);
        await ConnectFactoryAsync(worker);
        await PushAsync(worker, CopyRun("old-run", Start));
        time.SetUtcNow(Start.AddHours(1).AddMinutes(5));
        await InvokeTimerAsync(worker, "LinkAggregationTimer");
        var events = worker.Services.GetRequiredService<ILinkEventStore>();
        var aggregates = worker.Services.GetRequiredService<ILinkAggregateStore>();
        Assert.Single(await events.ListHourAsync(Start, default));
        Assert.NotEmpty(await aggregates.QueryAsync(Start.AddDays(-1), Start.AddDays(2), null, wholeDays: true, default));

        var later = Start.AddDays(46);
        time.SetUtcNow(later);
        await PushAsync(worker, CopyRun("new-run", later.AddHours(-1)));
        await InvokeTimerAsync(worker, "LinkRetentionTimer");

        Assert.Empty(await events.ListHourAsync(Start, default));
        Assert.Empty(await aggregates.QueryAsync(Start.AddDays(-1), Start.AddDays(2), null, wholeDays: true, default));
        Assert.True(Assert.Single(await events.ListHourAsync(later.AddHours(-1), default)).IsRun);
    }

    [Fact]
    public async Task ConnectorAdminLogsDaily_writes_yesterdays_admin_log_from_the_imports()
    {
        var time = new ManualTimeProvider(Start);
        await using var worker = await FunctionsWorker.StartAsync(azurite, time);
        await ImportTwoBatchesAsync(worker, time);
        var notYet = await worker.JsonAsync("DownloadAdminLog", "GET", "/connectors/slack-eu/admin-logs/2026-11-21", 404);

        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 0, 10, 0, TimeSpan.Zero));
        await InvokeTimerAsync(worker, "ConnectorAdminLogsDaily");

        var log = await worker.CallAsync("DownloadAdminLog", "GET", "/connectors/slack-eu/admin-logs/2026-11-21", 200);
        var listed = Assert.Single((await worker.JsonAsync("ListAdminLogs", "GET", "/connectors/slack-eu/admin-logs")).GetProperty("value").EnumerateArray());
        Assert.Equal("NotFound", notYet.GetProperty("code").GetString());
        Assert.Equal(ExpectedLog, log.Body);
        Assert.StartsWith("text/csv", log.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains("slack-eu-admin-log-2026-11-21.csv", log.Headers.ContentDisposition.ToString(), StringComparison.Ordinal);
        Assert.Equal(("2026-11-21", (long)System.Text.Encoding.UTF8.GetByteCount(ExpectedLog), 0),
            (listed.GetProperty("date").GetString(), listed.GetProperty("sizeBytes").GetInt64(), listed.GetProperty("invariantViolations").GetInt32()));
    }

    [Fact]
    public async Task EvaluateAlerts_fires_a_rule_whose_admin_log_is_missing_and_resolves_it_once_the_log_exists()
    {
        var time = new ManualTimeProvider(Start);
        await using var worker = await FunctionsWorker.StartAsync(azurite, time);
        await worker.CallAsync("PutConnector", "PUT", "/connectors/slack-eu", 201, json: """{"name":"slack-eu connector","sourceType":"Slack"}""");
        await worker.CallAsync("PutAlertRule", "PUT", "/monitoring/alerts/admin-logs", 201, json: """{"kind":"connectorAdminLog"}""");

        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 1, 30, 0, TimeSpan.Zero));
        await InvokeTimerAsync(worker, "EvaluateAlerts");
        var firing = await worker.JsonAsync("GetAlertRule", "GET", "/monitoring/alerts/admin-logs");
        var summary = await worker.JsonAsync("AlertSummary", "GET", "/monitoring/alerts/summary");

        await worker.CallAsync("GenerateAdminLogs", "POST", "/connectors/admin-logs:generate?date=2026-11-21", 200);
        time.Advance(TimeSpan.FromMinutes(1));
        await InvokeTimerAsync(worker, "EvaluateAlerts");
        await InvokeTimerAsync(worker, "EvaluateAlerts");
        var history = await worker.JsonAsync("AlertRuleHistory", "GET", "/monitoring/alerts/admin-logs/history");

        Assert.Equal("firing", firing.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal(1, summary.GetProperty("pages").GetProperty("connectors").GetInt32());
        Assert.Equal(["resolved", "firing"], history.GetProperty("value").EnumerateArray().Select(h => h.GetProperty("state").GetString()).ToList());
    }

    [Fact]
    public async Task ConnectorRetentionDaily_deletes_logs_older_than_7_days_and_keeps_recent_ones()
    {
        var time = new ManualTimeProvider(Start);
        await using var worker = await FunctionsWorker.StartAsync(azurite, time);
        await ImportTwoBatchesAsync(worker, time);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 0, 10, 0, TimeSpan.Zero));
        await InvokeTimerAsync(worker, "ConnectorAdminLogsDaily");
        time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.Zero));
        await worker.CallAsync("GenerateAdminLogs", "POST", "/connectors/admin-logs:generate?date=2026-11-29", 200);
        var logs = worker.Services.GetRequiredService<IAdminLogStore>();
        Assert.True(await logs.ExistsAsync("slack-eu", new DateOnly(2026, 11, 21), default));

        time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 0, 40, 0, TimeSpan.Zero));
        await InvokeTimerAsync(worker, "ConnectorRetentionDaily");

        Assert.False(await logs.ExistsAsync("slack-eu", new DateOnly(2026, 11, 21), default));
        Assert.Null(await worker.Services.GetRequiredService<IImportStore>().FindSummaryAsync("slack-eu", "import-a", default));
        var old = await worker.JsonAsync("DownloadAdminLog", "GET", "/connectors/slack-eu/admin-logs/2026-11-21", 404);
        Assert.Contains("previous 7 days", old.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var kept = (await worker.JsonAsync("ListAdminLogs", "GET", "/connectors/slack-eu/admin-logs")).GetProperty("value");
        Assert.Equal(["2026-11-29"], kept.EnumerateArray().Select(l => l.GetProperty("date").GetString()).ToList());
    }

    [Fact]
    public async Task RepairScanRunRollups_rewrites_summary_rows_left_stale_by_a_host_that_died_before_refreshing_them()
    {
        var time = new ManualTimeProvider(Start);
        await using var worker = await FunctionsWorker.StartAsync(azurite, time);
        var counters = worker.Services.GetRequiredService<IRunCounterStore>();
        var kpis = worker.Services.GetRequiredService<StorageLayout>().Table("scanrunkpis");
        var day = Start.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

        // Runs are only counted here (created in memory, never started): the counters are what a run's steps write.
        await counters.ApplyAsync(NewRun("AzureStorage"), default);
        var before = await kpis.GetEntityAsync("root", day + "|AzureStorage");
        await counters.ApplyAsync(NewRun("AzureStorage"), default);
        await counters.ApplyAsync(NewRun("AdlsGen2"), default);
        // Their hosts died before the rollup write: one row as it was before, the other never written.
        await kpis.UpsertEntityAsync(before, TableUpdateMode.Replace);
        await kpis.DeleteEntityAsync("root", day + "|AdlsGen2");
        var stale = await worker.JsonAsync("ScanRunSummary", "GET", "/monitoring/scanruns/summary?period=7d");

        time.SetUtcNow(Start.AddMinutes(10));
        await InvokeTimerAsync(worker, "RepairScanRunRollups");

        var repaired = await worker.JsonAsync("ScanRunSummary", "GET", "/monitoring/scanruns/summary?period=7d");
        var storage = await worker.JsonAsync("ScanRunSummary", "GET", "/monitoring/scanruns/summary?period=7d&sourceType=AzureStorage");
        Assert.Equal(1, stale.GetProperty("totals").GetProperty("total").GetInt64());
        Assert.Equal(3, repaired.GetProperty("totals").GetProperty("total").GetInt64());
        Assert.Equal(2, storage.GetProperty("totals").GetProperty("queued").GetInt64());
        Assert.Equal(1, (await kpis.GetEntityAsync("root", day + "|AdlsGen2")).GetInt64("queued"));
    }

    private static ScanRun NewRun(string kind) =>
        ScanRunLifecycle.Create(ScanRunId.New(Start), new ScanRunDefinition("ds1", "scan1", "root", kind, IntegrationRuntime.DefaultName, ScanLevel.Full, ScanTrigger.Manual), Start).Run!;

    /// <summary>As the Functions host fires a timer: a TimerInfo, the invocation's context and cancellation token.</summary>
    private static async Task InvokeTimerAsync(FunctionsWorker worker, string function) =>
        await worker.InvokeAsync(WorkerCalls.Functions[function], p => p.ParameterType == typeof(TimerInfo) ? new TimerInfo() : throw new InvalidOperationException($"{function} asks for {p.ParameterType}"));

    private static async Task ConnectFactoryAsync(FunctionsWorker worker)
    {
        await worker.CallAsync("PutLink", "PUT", "/links/AzureDataFactory/factory1", 201, json: """{"collection":"root","writers":["adf-writer"]}""");
        Assert.Equal(201, await worker.GrantAsync("root", "dataCurator", "adf-writer"));
    }

    private static async Task PushAsync(FunctionsWorker worker, object run) =>
        await worker.CallAsync("PushActivityRun", "POST", "/links/AzureDataFactory/factory1/activityruns", 200, principal: "adf-writer", json: JsonSerializer.Serialize(run));

    /// <summary>A Data Factory copy activity run (the local host's link tests' payload): two blobs in, one table out.</summary>
    private static object CopyRun(string runId, DateTimeOffset start, string pipeline = "pipe1", string activity = "copy1") => new
    {
        pipelineName = pipeline,
        activityName = activity,
        activityType = "Copy",
        activityRunId = runId,
        pipelineRunId = "p-" + runId,
        status = "Succeeded",
        start,
        end = start.AddMinutes(2),
        inputs = new object[]
        {
            new { qualifiedName = "https://acct.blob.core.windows.net/raw/a.csv", type = "azure_blob_path", name = "a.csv" },
            new { qualifiedName = "https://acct.blob.core.windows.net/raw/b.csv", type = "azure_blob_path", name = "b.csv" },
        },
        outputs = new object[] { new { qualifiedName = "mssql://srv.database.windows.net/db/dbo/sales", type = "azure_sql_table", name = "sales" } },
    };

    /// <summary>The local host's admin-log test imports: two batches a minute apart on 2026-11-21 with known outcomes.</summary>
    private static async Task ImportTwoBatchesAsync(FunctionsWorker worker, ManualTimeProvider time)
    {
        await worker.CallAsync("PutConnector", "PUT", "/connectors/slack-eu", 201, json: """{"name":"slack-eu connector","sourceType":"Slack"}""");
        await worker.CallAsync("PutUserMappings", "PUT", "/connectors/slack-eu/user-mappings", 200,
            json: JsonSerializer.Serialize(new { mappings = new[] { "u1", "u2", "u3" }.Select(u => new { sourceUserId = u, userPrincipalName = u + "@contoso.com" }) }));
        var a = await worker.JsonAsync("ImportItems", "POST", "/connectors/slack-eu/imports", 201, json: JsonSerializer.Serialize(new
        {
            importId = "import-a",
            items = new[]
            {
                Item("i1", "u1", ["u2", "u3"]), Item("i2", "u1", ["u2", "u9"]), Item("i3", "u9", ["u1"]), Item("i4", "u2", ["u3"], size: 11_000_000),
                Item("i5", "u3", ["u1"], 1000, ("run.exe", 10)), Item("i6", "u1", ["u2"], 1000, ("big.pdf", 4_000_000), ("small.pdf", 10)), Item("i7", "u1", ["u1", "U1"]),
            },
        }));
        Assert.Equal((7, 4, 4), (a.GetProperty("itemsImportedSuccessfully").GetInt64(), a.GetProperty("itemsPartiallyImported").GetInt64(), a.GetProperty("itemsFailed").GetInt64()));
        time.Advance(TimeSpan.FromMinutes(1));
        await worker.CallAsync("ImportItems", "POST", "/connectors/slack-eu/imports", 201,
            json: JsonSerializer.Serialize(new { items = new[] { Item("i1", "u1", ["u2", "u3"]), Item("i8", "u9", ["u2"]) } }));
    }

    private static object Item(string id, string sender, string[] recipients, long size = 1000, params (string Name, long Size)[] attachments) => new
    {
        itemId = id,
        sender,
        recipients,
        sizeBytes = size,
        attachments = attachments.Select(a => new { name = a.Name, sizeBytes = a.Size }).ToArray(),
        timestamp = "2026-11-21T09:00:00Z",
    };
}
