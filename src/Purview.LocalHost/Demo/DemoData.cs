using System.Globalization;
using System.Text;
using Purview.Core.Access;
using Purview.Core.Connectors;
using Purview.Core.DataMap;
using Purview.Core.Links;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Api.Connectors;

namespace Purview.LocalHost.Demo;

/// <summary>What the demo seeded: enough for a newcomer (and the browser tests) to find their way.</summary>
public sealed record DemoSummary(int ScanRuns, int LinkRuns, int Imports, int AdminLogs, string LineageGuid, string LineageAssetName);

/// <summary>
/// A realistic data set for <c>./run.sh --demo</c> and the browser tests: collections, data sources and scans, four
/// weeks of scan runs, three weeks of Data Factory and Synapse copy runs, a week of connector imports and their admin
/// logs. Everything goes through the application's services and ports, as the API would write it; past runs are
/// built with the pure lifecycle at past instants (the scan engine cannot be run in the past). Ids are name-based
/// per UTC day, so seeding twice on one day adds nothing.
/// </summary>
public sealed class DemoData(IServiceProvider services, TimeProvider time)
{
    public static readonly Principal Admin = new("admin", null, "Demo");

    private static readonly (string Name, string Parent)[] Collections = [("sales", "root"), ("finance", "root"), ("marketing", "root")];

    private static readonly (string Name, string Kind, string Endpoint, string Collection, string[] Scans)[] Sources =
    [
        ("sales-lake", DataSourceKinds.AzureStorage, "https://saleslake.blob.core.windows.net/", "sales", ["daily-full", "hourly-incremental"]),
        ("finance-adls", DataSourceKinds.AdlsGen2, "https://financelake.dfs.core.windows.net/", "finance", ["weekly-full"]),
        ("crm-sql", DataSourceKinds.SqlDatabase, "crm-sql.database.windows.net/crm", "sales", ["nightly"]),
        ("campaign-blobs", DataSourceKinds.AzureStorage, "https://campaigns.blob.core.windows.net/", "marketing", ["daily"]),
    ];

    public const int ScanDays = 28;
    public const int LinkDays = 21;
    public const int ConnectorDays = 7;

    public async Task<DemoSummary> SeedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await SeedAccessAsync(cancellationToken);
        var runs = await SeedScanRunsAsync(now, cancellationToken);
        var (linkRuns, guid, asset) = await SeedLinksAsync(now, cancellationToken);
        var (imports, logs) = await SeedConnectorsAsync(now, cancellationToken);
        return new DemoSummary(runs, linkRuns, imports, logs, guid, asset);
    }

    private T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    private async Task SeedAccessAsync(CancellationToken cancellationToken)
    {
        var access = Get<AccessService>();
        foreach (var (name, parent) in Collections)
        {
            Check(await access.PutCollectionAsync(Admin, name, char.ToUpperInvariant(name[0]) + name[1..], parent, null, cancellationToken), $"collection {name}");
        }

        var dataSources = Get<DataSourceService>();
        var credentials = Get<CredentialService>();
        var scanService = Get<ScanService>();
        foreach (var (name, kind, endpoint, collection, scans) in Sources)
        {
            Check(await dataSources.PutDataSourceAsync(Admin, name, new DataSourceInput(kind, endpoint, collection), cancellationToken), $"data source {name}");
            foreach (var scan in scans)
            {
                var scanKind = kind == DataSourceKinds.SqlDatabase ? kind + "Credential" : kind + "Msi";
                if (kind == DataSourceKinds.SqlDatabase)
                {
                    Check(await credentials.PutAsync(Admin, "crm-sql-reader", new CredentialInput("SqlAuth", null, null, null, "reader", "demo-password")
                    {
                        // Credentials serve the root collection only unless scoped: this one serves the sales CRM server.
                        AllowedEndpoints = ["crm-sql.database.windows.net"],
                        AllowedCollections = ["sales"],
                    }, cancellationToken), "credential");
                }

                Check(await scanService.PutScanAsync(Admin, name, scan, new ScanInput(scanKind, null, null, kind == DataSourceKinds.SqlDatabase,
                    kind == DataSourceKinds.SqlDatabase ? "crm-sql-reader" : null, kind == DataSourceKinds.SqlDatabase ? "SqlAuth" : null, null, null), cancellationToken), $"scan {name}/{scan}");
            }
        }
    }

    /// <summary>One or two runs a day per scan; mostly succeeded, some failed (with an exception log), a few canceled, some queued or throttled first.</summary>
    private async Task<int> SeedScanRunsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var plans = new List<(ScanRunDefinition Definition, ScanRunId Id, DateTimeOffset Created, int Seed, int Outcome)>();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var (name, kind, _, collection, scans) in Sources)
        {
            foreach (var scan in scans)
            {
                for (var day = ScanDays - 1; day >= 0; day--)
                {
                    var perDay = scan.StartsWith("hourly", StringComparison.Ordinal) ? 3 : scan.StartsWith("weekly", StringComparison.Ordinal) ? (day % 7 == 2 ? 1 : 0) : 1;
                    for (var i = 0; i < perDay; i++)
                    {
                        var seed = Hash($"{name}|{scan}|{day}|{i}");
                        var created = today.AddDays(-day).AddHours(1 + (i * 7) + (seed % 5)).AddMinutes(seed % 60);
                        if (created > now.AddMinutes(-30))
                        {
                            continue;
                        }

                        var id = new ScanRunId(Guid.Parse(DataMapIds.NameBased($"demo|{name}|{scan}|{created.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}|{i}")));
                        var level = i == 0 && day % 7 == 0 ? ScanLevel.Full : scan.Contains("incremental", StringComparison.Ordinal) ? ScanLevel.Incremental : ScanLevel.Full;
                        // Every scan fails now and then (one run in nine days), besides the random failures.
                        var outcome = day % 9 == 3 && i == 0 ? 0 : seed % 20;
                        plans.Add((new ScanRunDefinition(name, scan, collection, kind, IntegrationRuntime.DefaultName, level, seed % 4 == 0 ? ScanTrigger.Manual : ScanTrigger.Scheduled), id, created, seed, outcome));
                    }
                }
            }
        }

        var store = Get<IScanRunStore>();
        var counters = Get<IRunCounterStore>();
        var exceptions = Get<IScanRunExceptionLog>();
        var seeded = 0;
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (plan, ct) =>
        {
            var created = ScanRunLifecycle.Create(plan.Id, plan.Definition, plan.Created);
            var (stored, isNew) = await store.CreateAsync(created.Run!, plan.Created, ct);
            if (!isNew)
            {
                return;
            }

            await store.EnsureIndexedAsync(stored.Run, ct);
            await counters.ApplyAsync(stored.Run, ct);
            var (final, errors) = Play(created.Run!, plan.Seed, plan.Outcome);
            var saved = await store.TryUpdateAsync(stored, final, ScanRunCheckpoint.Start, final.LastUpdatedAt, ct)
                ?? throw new InvalidOperationException($"Demo run {plan.Id} changed while it was seeded.");
            await counters.ApplyAsync(saved.Run, ct);
            await store.RemoveActiveAsync(saved.Run.Id, ct);
            if (errors.Count > 0)
            {
                await exceptions.AppendAsync(saved.Run.Id, 0, errors, ct);
            }

            Interlocked.Increment(ref seeded);
        });
        return seeded;
    }

    /// <summary>A run's life at its own (past) instants: admission wait, scan, ingestion, and how it ended (outcome 0: scan failed, 1: canceled, 2: ingestion failed, 3-4: some items failed).</summary>
    internal static (ScanRun Run, IReadOnlyList<ScanRunException> Exceptions) Play(ScanRun run, int seed, int outcome)
    {
        var t = run.CreatedAt;
        ScanRun Apply(TransitionResult r) => r.IsApplied ? r.Run! : run;
        if (seed % 9 == 0)
        {
            t = t.AddSeconds(30 + (seed % 400));
            run = Apply(run.MarkThrottled(t));
        }
        else if (seed % 7 == 0)
        {
            t = t.AddSeconds(20 + (seed % 200));
            run = Apply(run.MarkQueued(t));
        }

        t = t.AddSeconds(5 + (seed % 90));
        run = Apply(run.Start(t));
        var assets = 800 + (seed % 4200);
        var exceptions = new List<ScanRunException>();
        var sql = run.SourceKind == DataSourceKinds.SqlDatabase;
        if (outcome == 0)
        {
            t = t.AddSeconds(40 + (seed % 300));
            run = Apply(run.RecordDiscovered(assets / 3, t));
            // The failure a source of this kind really has: a SQL login for a database, a role assignment for storage.
            if (sql)
            {
                exceptions.Add(new ScanRunException(t, "SourceUnreachable", run.DataSourceName, "Login failed for user 'reader' (SQL error 18456) after 3 attempts."));
                run = Apply(run.FailScan("SourceUnreachable", "The scan could not connect to the database: login failed for user 'reader' (SQL error 18456). Update the password of the credential crm-sql-reader (SqlAuth), then run the scan again.", t));
            }
            else
            {
                exceptions.Add(new ScanRunException(t, "SourceUnreachable", run.DataSourceName, "The source refused the connection after 3 attempts (403 AuthorizationPermissionMismatch). Check the managed identity's role on the account."));
                run = Apply(run.FailScan("SourceUnreachable", "The scan could not list the source: 403 AuthorizationPermissionMismatch. Grant the Purview managed identity the Storage Blob Data Reader role on the account, then run the scan again.", t));
            }

            return (run, exceptions);
        }

        if (outcome == 1)
        {
            t = t.AddSeconds(30 + (seed % 200));
            run = Apply(run.RecordDiscovered(assets / 2, t));
            return (Apply(run.Cancel(t.AddSeconds(5))), exceptions);
        }

        t = t.AddSeconds(60 + (seed % 900));
        run = Apply(run.RecordDiscovered(assets, t));
        run = Apply(run.RecordClassified(assets / 5, t));
        run = Apply(run.CompleteScan(t));
        t = t.AddSeconds(10 + (seed % 60));
        run = Apply(run.StartIngestion(t));
        t = t.AddSeconds(30 + (seed % 400));
        var failed = outcome == 2 ? assets : outcome is 3 or 4 ? 3 + (seed % 20) : 0;
        for (var i = 0; i < Math.Min(failed, 25); i++)
        {
            exceptions.Add(sql
                ? new ScanRunException(t, "AssetTooLarge", $"{run.DataSourceName}/dbo/audit_{i:D4}", "The table's metadata (columns and classifications) is over the 2 MB limit and was not ingested.")
                : new ScanRunException(t, "AssetTooLarge", $"{run.DataSourceName}/data/part-{i:D4}.parquet", "The asset's metadata is over the 2 MB limit and was not ingested."));
        }

        run = Apply(run.RecordIngested(assets - failed, failed, (assets - failed) / 4, 0, t));
        return (Apply(run.CompleteIngestion(t)), exceptions);
    }

    private async Task<(int Runs, string Guid, string Asset)> SeedLinksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var links = Get<LinkService>();
        Check(await links.PutAsync(Admin, "AzureDataFactory", "contoso-adf", "root", ["admin"], cancellationToken), "link contoso-adf");
        Check(await links.PutAsync(Admin, "AzureSynapse", "analytics-ws", "finance", ["admin"], cancellationToken), "link analytics-ws");
        Check(await links.PutAsync(Admin, "OpenLineage", "airflow-prod", "sales", ["admin"], cancellationToken), "link airflow-prod");
        var pipelines = new (string Type, string Source, string Pipeline, string Activity, string From, string To)[]
        {
            ("AzureDataFactory", "contoso-adf", "ingest_sales", "copy_orders", "https://saleslake.blob.core.windows.net/raw/orders", "mssql://crm-sql.database.windows.net/crm/dbo/orders"),
            ("AzureDataFactory", "contoso-adf", "ingest_sales", "copy_customers", "https://saleslake.blob.core.windows.net/raw/customers", "mssql://crm-sql.database.windows.net/crm/dbo/customers"),
            ("AzureDataFactory", "contoso-adf", "publish_reports", "copy_revenue", "mssql://crm-sql.database.windows.net/crm/dbo/orders", "https://financelake.dfs.core.windows.net/reports/revenue"),
            ("AzureSynapse", "analytics-ws", "finance_daily", "copy_ledger", "https://financelake.dfs.core.windows.net/ledger/entries", "mssql://synapse-dw.sql.azuresynapse.net/dw/dbo/ledger"),
        };
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var hours = new SortedSet<DateTimeOffset>();
        var pushed = 0;
        var closed = LinkHours.Floor(now);
        foreach (var day in Enumerable.Range(0, LinkDays).Reverse())
        {
            foreach (var (p, index) in pipelines.Select((p, i) => (p, i)))
            {
                var start = today.AddDays(-day).AddHours(2 + index * 3).AddMinutes(Hash(p.Activity + day) % 50);
                if (start.AddMinutes(5) >= closed)
                {
                    continue;
                }

                var stamp = start.UtcDateTime.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
                var runId = DataMapIds.NameBased($"demo|{p.Source}|{p.Activity}|{stamp}");
                var (fromType, toType) = (TypeOf(p.From), TypeOf(p.To));
                // Daily partitions: every run writes a new output asset, as a partitioned copy does.
                var body = new ActivityRunRequest(p.Pipeline, p.Activity, "Copy", runId, "p-" + runId, Hash(runId) % 15 == 0 ? "Failed" : "Succeeded", start, start.AddMinutes(4),
                    [new DatasetRequest(p.From, fromType, p.From[(p.From.LastIndexOf('/') + 1)..])],
                    [new DatasetRequest(toType == "azure_sql_table" ? p.To : $"{p.To}/{stamp}/part-0.parquet", toType, p.To[(p.To.LastIndexOf('/') + 1)..])]);
                Check(await links.PushActivityRunAsync(Admin, p.Type, p.Source, body, cancellationToken), $"push {p.Activity}");
                hours.Add(LinkHours.Floor(start.AddMinutes(4)));
                pushed++;
            }
        }

        var aggregator = Get<LinkAggregator>();
        foreach (var hour in hours)
        {
            await aggregator.AggregateHourAsync(hour, cancellationToken);
        }

        await aggregator.RunAsync(closed.AddMinutes(5), cancellationToken);
        var asset = "mssql://crm-sql.database.windows.net/crm/dbo/orders";
        return (pushed, DataMapIds.EntityGuid("azure_sql_table", asset), asset);
    }

    private static string TypeOf(string qualifiedName) =>
        qualifiedName.StartsWith("mssql://", StringComparison.Ordinal) ? "azure_sql_table"
        : qualifiedName.Contains(".dfs.", StringComparison.Ordinal) ? "azure_datalake_gen2_path" : "azure_blob_path";

    private async Task<(int Imports, int Logs)> SeedConnectorsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var connectors = Get<ConnectorService>();
        await connectors.PutSettingsAsync(Admin, new ConnectorSettings(true), cancellationToken);
        var users = Enumerable.Range(1, 12).Select(i => new UserMapping($"U{i:D4}", $"user{i}@contoso.com")).ToList();
        var imports = 0;
        var logs = 0;
        foreach (var (id, name, type) in new[] { ("slack-archive", "Slack archive", "Slack"), ("bloomberg-chat", "Bloomberg chat", "Bloomberg") })
        {
            Check(await connectors.PutAsync(Admin, id, name, type, cancellationToken), $"connector {id}");
            // One unmapped source user, so that some items fail as they would in real life.
            Check(await connectors.PutMappingsAsync(Admin, id, users.Take(11).Cast<UserMapping?>().ToList(), "replace", cancellationToken), $"mappings {id}");
            for (var day = ConnectorDays; day >= 1; day--)
            {
                var at = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-day).AddHours(6 + Hash(id) % 10);
                // The import service stamps imports with its clock: give it the day being seeded.
                var service = ActivatorUtilities.CreateInstance<ImportService>(services, new FixedTimeProvider(at));
                var count = 20 + Hash(id + day) % 40;
                var json = new StringBuilder("{\"importId\":\"").Append(id).Append('-').Append(at.ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Append("\",\"items\":[");
                for (var i = 0; i < count; i++)
                {
                    var sender = $"U{1 + (i % 12):D4}";
                    var recipient = $"U{1 + ((i + 5) % 12):D4}";
                    json.Append(i == 0 ? "" : ",")
                        .Append(CultureInfo.InvariantCulture, $"{{\"itemId\":\"{id}-{day}-{i}\",\"sender\":\"{sender}\",\"recipients\":[\"{recipient}\"],\"sizeBytes\":{2048 + (i * 97)},\"timestamp\":\"{at.AddMinutes(-i):O}\"");
                    json.Append(i % 9 == 4 ? $",\"attachments\":[{{\"name\":\"big-{i}.zip\",\"sizeBytes\":{200_000_000}}}]}}" : "}");
                }

                json.Append("]}");
                using var body = new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()));
                Check(await service.ImportAsync(Admin, id, body, cancellationToken), $"import {id} day -{day}");
                imports++;
            }
        }

        var adminLogs = Get<AdminLogService>();
        for (var day = ConnectorDays; day >= 1; day--)
        {
            var result = await adminLogs.GenerateAllAsync(DateOnly.FromDateTime(now.UtcDateTime.Date.AddDays(-day)), cancellationToken);
            logs += result.Value?.Count ?? 0;
        }

        return (imports, logs);
    }

    private static int Hash(string text)
    {
        var h = 17;
        foreach (var c in text)
        {
            h = unchecked((h * 31) + c);
        }

        return h & 0x7FFFFFFF;
    }

    private static void Check<T>(Purview.Core.Common.Result<T> result, string what)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Demo data: {what} was refused: {result.Error!.Code} {result.Error.Message}");
        }
    }

    private sealed class FixedTimeProvider(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
