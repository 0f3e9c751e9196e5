using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Monitoring;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// The scan-run engine on its own Azurite. (1) Scan throughput: N blobs in one container; a reference of raw listing
/// plus batched entity inserts (what a scan must at least do) next to a Full run through HTTP (PUT, poll until final).
/// (2) Monitoring summary latency: M runs whose counter rows are written in bulk as <see cref="IRunCounterStore.ApplyAsync"/>
/// leaves them, rollups built by <see cref="IRunCounterStore.RepairRollupsAsync"/>, next to a baseline table of the same
/// runs partitioned by day that is read in full.
/// </summary>
internal static class ScanBenchmark
{
    private const int UploadConcurrency = 32;
    private const int ListPageSize = 5000;
    private const int InsertConcurrency = 8;
    private const int WarmupRequests = 20;
    private const int MeasuredRequests = 200;
    private const int BaselineRepetitions = 5;
    private const double ScanRatioTarget = 0.5;
    private const double SummaryP95TargetMs = 50;
    private const string ApiVersion = "api-version=2023-09-01";

    private static readonly string[] Collections = ["sales", "marketing", "finance"];
    private static readonly string[] SourceKinds = ["AzureStorage", "AdlsGen2", "AzureSqlDatabase"];

    public static async Task<int> RunAsync(int blobs, int runs)
    {
        var figures = await MeasureAsync(blobs, runs);
        return Report.Print(figures) ? 0 : 1;
    }

    public static async Task<IReadOnlyList<Figure>> MeasureAsync(int blobs, int runs)
    {
        Console.WriteLine($"Starting Azurite; {blobs:N0} blobs, {runs:N0} runs.");
        // AzuriteFixture starts its own Azurite for this process (the test hosts take the fixture).
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var registry = new InMemoryScanRegistry();
            var settings = new Dictionary<string, string?>
            {
                ["Workers:Enabled"] = "true",
                // WebApplicationFactory guesses {solution folder}/Purview.LocalHost, which does not exist outside a test project.
                ["Logging:LogLevel:Default"] = "Warning",
                ["contentRoot"] = Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"),
            };
            await using var host = new TestHost(azurite, null, settings, services => services.AddSingleton<IScanRegistry>(registry));
            using var admin = host.Client("admin");
            foreach (var c in Collections.Append("bench"))
            {
                var put = await admin.PutAsJsonAsync(new Uri($"/account/collections/{c}", UriKind.Relative), new { friendlyName = c, parentCollection = new { referenceName = "root" } });
                if (!put.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"PUT collection {c}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
                }
            }

            // The summary first: the scan's own run would otherwise be counted in the totals the baseline is checked against.
            var summary = await SummaryLatencyAsync(azurite.Account, host, admin, runs);
            var scan = await ScanThroughputAsync(azurite.ScanAccount, registry, admin, blobs);

            var figures = new List<Figure>
            {
                new("scan", $"Full scan of {blobs:N0} blobs through HTTP (PUT to Succeeded, discovered = ingested = {blobs:N0})", scan.OursPerSecond, "assets/s")
                {
                    Reference = scan.ReferencePerSecond,
                    // The reference lists each blob and writes one entity for it: its rate is in blobs (assets) per second too.
                    ReferenceName = "list + insert one entity per blob, transactions of 100",
                    // The target is set for 50,000 blobs: a small container is dominated by a run's fixed cost (queueing,
                    // admission, the phase transitions and the final reconciliation), not by throughput.
                    Target = blobs >= 50_000 ? ">= " + ScanRatioTarget.ToString("F1", CultureInfo.InvariantCulture) + "x" : null,
                    Met = blobs >= 50_000 ? scan.Ratio >= ScanRatioTarget : null,
                },
                new("scan", $"Incremental scan after changing {scan.Changed:N0} of {blobs:N0} blobs (blobs examined per second; {scan.Changed:N0} ingested)", scan.IncrementalPerSecond, "assets/s")
                {
                    Reference = scan.ReferencePerSecond,
                    // The reference lists each blob and writes one entity for it: its rate is in blobs (assets) per second too.
                    ReferenceName = "list + insert one entity per blob, transactions of 100",
                },
                new("scan", $"scan-run summary 30d/day over {runs:N0} runs: p95 (median {summary.MedianMs:F1} ms)", summary.P95Ms, "ms")
                {
                    LowerIsBetter = true,
                    Reference = summary.BaselineMedianMs,
                    ReferenceName = "reading every run of the 30 days",
                    Target = "< " + SummaryP95TargetMs.ToString(CultureInfo.InvariantCulture) + " ms",
                    Met = summary.P95Ms < SummaryP95TargetMs,
                },
            };
            return figures;
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private sealed record ScanResult(double UploadPerSecond, double ReferencePerSecond, double OursPerSecond, double OursSeconds, double IncrementalPerSecond, int Changed)
    {
        public double Ratio => OursPerSecond / ReferencePerSecond;
    }

    private sealed record SummaryResult(double SeedPerSecond, double MedianMs, double P95Ms, double BaselineMedianMs, Dictionary<string, long> Totals);

    // ---------------------------------------------------------------- scan throughput

    private static async Task<ScanResult> ScanThroughputAsync(StorageAccount account, InMemoryScanRegistry registry, HttpClient admin, int blobs)
    {
        var containerName = UniqueName.Container("scanbench");
        var container = StorageClients.Blobs(account, new StorageClientOptions()).GetBlobContainerClient(containerName);
        await container.CreateAsync();
        Console.WriteLine($"Uploading {blobs:N0} blobs, {UploadConcurrency} in flight...");
        var uploaded = 0;
        var upload = Stopwatch.StartNew();
        var lap = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, blobs), new ParallelOptions { MaxDegreeOfParallelism = UploadConcurrency }, async (i, ct) =>
        {
            await container.GetBlobClient($"folder{i % 10}/blob-{i:D7}.csv").UploadAsync(BinaryData.FromString($"id,value\n{i},x"), ct);
            var n = Interlocked.Increment(ref uploaded);
            if (n % 5000 == 0)
            {
                double rate;
                lock (lap)
                {
                    rate = 5000 / lap.Elapsed.TotalSeconds;
                    lap.Restart();
                }

                Console.WriteLine($"  {n,9:N0} uploaded ({rate:N0}/s for the last 5,000)");
            }
        });
        var uploadPerSecond = blobs / upload.Elapsed.TotalSeconds;
        Console.WriteLine($"  uploaded in {upload.Elapsed.TotalSeconds:F1} s ({uploadPerSecond:N0}/s)");

        // Reference: what a scan has to do at least, with no engine around it.
        var tables = StorageClients.Tables(account, new StorageClientOptions());
        var table = new EntityTable(tables, UniqueName.Table("scanref"));
        await table.CreateIfNotExistsAsync();
        var reference = Stopwatch.StartNew();
        var listed = 0;
        var batchNumber = 0;
        await foreach (var page in container.GetBlobsAsync().AsPages(pageSizeHint: ListPageSize))
        {
            var batches = page.Values.Chunk(100).Select(chunk => (Pk: "p" + (batchNumber++).ToString(CultureInfo.InvariantCulture), Items: chunk)).ToList();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = InsertConcurrency }, async (b, ct) =>
            {
                var actions = b.Items.Select(blob => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(b.Pk, TableKeys.Escape(blob.Name))
                {
                    ["Name"] = blob.Name,
                    ["Type"] = "azure_blob_path",
                    ["Size"] = blob.Properties.ContentLength ?? 0,
                    ["LastModified"] = blob.Properties.LastModified,
                    ["Path"] = containerName + "/" + blob.Name,
                })).ToList();
                await table.SubmitTransactionAsync(actions, ct);
            });
            listed += page.Values.Count;
        }

        var referenceSeconds = reference.Elapsed.TotalSeconds;
        var stored = await table.QueryAsync(select: ["RowKey"]).CountAsync();
        if (listed != blobs || stored != blobs)
        {
            throw new InvalidOperationException($"Reference listed {listed:N0} and stored {stored:N0} of {blobs:N0} blobs.");
        }

        await table.DeleteIfExistsAsync();
        var referencePerSecond = blobs / referenceSeconds;
        Console.WriteLine($"reference list+insert: {referenceSeconds:F1} s, {referencePerSecond:N0} entities/s");

        // Ours: a registered blob data source and scan, a Full run through HTTP.
        var endpoint = account.BlobEndpoint.AbsoluteUri.TrimEnd('/');
        registry.AddDataSource("bench-blobs", "AzureStorage", endpoint, "bench")
            .AddScan("bench-blobs", "full", filter: new ScanFilter([endpoint + "/" + containerName + "/"], []));
        // The next incremental run's watermark is this run's start floored to the second: start it in a later second
        // than the last upload, or blobs written in that second would count as changed (by design, never missed).
        await Task.Delay(1100);
        var (fullSeconds, discovered, ingested) = await RunScanAsync(admin, "bench-blobs", "full", "Full");
        if (discovered != blobs || ingested != blobs)
        {
            throw new InvalidOperationException($"The full run discovered {discovered:N0} and ingested {ingested:N0} of {blobs:N0} assets.");
        }

        var oursPerSecond = blobs / fullSeconds;
        Console.WriteLine($"ours full run: {fullSeconds:F1} s, {oursPerSecond:N0} assets/s (discovered = ingested = {blobs:N0})");

        // Incremental: 1% of the blobs (at least 10) written again after the full run; the next run of the same scan
        // lists every blob but ingests only those modified since the last successful run's scan start.
        await Task.Delay(1100);
        var changed = Enumerable.Range(0, blobs).Where(i => i % 100 == 0).Take(Math.Max(10, blobs / 100)).ToList();
        if (changed.Count < 10)
        {
            changed = Enumerable.Range(0, 10).ToList();
        }

        await Parallel.ForEachAsync(changed, new ParallelOptions { MaxDegreeOfParallelism = UploadConcurrency }, async (i, ct) =>
            await container.GetBlobClient($"folder{i % 10}/blob-{i:D7}.csv").UploadAsync(BinaryData.FromString($"id,value\n{i},changed"), overwrite: true, ct));
        var (incrementalSeconds, incrementalDiscovered, incrementalIngested) = await RunScanAsync(admin, "bench-blobs", "full", "Incremental");
        if (incrementalDiscovered != blobs || incrementalIngested != changed.Count)
        {
            throw new InvalidOperationException($"The incremental run discovered {incrementalDiscovered:N0} of {blobs:N0} and ingested {incrementalIngested:N0}; {changed.Count} blobs changed.");
        }

        var incrementalPerSecond = blobs / incrementalSeconds;
        Console.WriteLine($"ours incremental run: {incrementalSeconds:F1} s, {incrementalPerSecond:N0} blobs examined/s ({changed.Count} changed, ingested {incrementalIngested})");
        return new ScanResult(uploadPerSecond, referencePerSecond, oursPerSecond, fullSeconds, incrementalPerSecond, changed.Count);
    }

    private static async Task<(double Seconds, long Discovered, long Ingested)> RunScanAsync(HttpClient admin, string ds, string scan, string level)
    {
        var runId = Guid.NewGuid();
        var path = $"/scan/datasources/{ds}/scans/{scan}/runs/{runId}";
        var stopwatch = Stopwatch.StartNew();
        var put = await admin.PutAsync(new Uri($"{path}?{ApiVersion}&scanLevel={level}", UriKind.Relative), null);
        if (!put.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT run: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync()}");
        }

        JsonElement run;
        var lastReport = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(100);
            run = await admin.GetFromJsonAsync<JsonElement>(new Uri($"{path}?{ApiVersion}", UriKind.Relative));
            var status = run.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Canceled")
            {
                break;
            }

            if (lastReport.Elapsed > TimeSpan.FromSeconds(10))
            {
                lastReport.Restart();
                Console.WriteLine($"  {stopwatch.Elapsed.TotalSeconds,6:F0} s: {status}, discovered {Assets(run, "discoveryExecutionDetails", "discovered"):N0}, ingested {Assets(run, "ingestionExecutionDetails", "succeeded"):N0}");
            }
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {level} run phases: {Phase(run, "discoveryExecutionDetails", "discovery")}, {Phase(run, "ingestionExecutionDetails", "ingestion")}");
        if (run.GetProperty("status").GetString() != "Succeeded")
        {
            throw new InvalidOperationException($"The {level} run ended {run}.");
        }

        return (seconds, Assets(run, "discoveryExecutionDetails", "discovered"), Assets(run, "ingestionExecutionDetails", "succeeded"));
    }

    /// <summary>A phase's duration from its start and end times (where the time goes: discovery is listing, ingestion writing).</summary>
    private static string Phase(JsonElement run, string phase, string prefix) =>
        run.TryGetProperty(phase, out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty(prefix + "StartTime", out var start) && start.ValueKind == JsonValueKind.String
            && p.TryGetProperty(prefix + "EndTime", out var end) && end.ValueKind == JsonValueKind.String
            ? $"{prefix} {(end.GetDateTimeOffset() - start.GetDateTimeOffset()).TotalSeconds:F1} s"
            : $"{prefix} (no times)";

    private static long Assets(JsonElement run, string phase, string name) =>
        run.TryGetProperty(phase, out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty("statistics", out var s) && s.TryGetProperty("assets", out var a)
            && a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetInt64()
            : 0;

    // ---------------------------------------------------------------- summary latency

    private static async Task<SummaryResult> SummaryLatencyAsync(StorageAccount account, TestHost host, HttpClient admin, int runs)
    {
        var counters = host.Services.GetRequiredService<IRunCounterStore>();
        var now = DateTimeOffset.UtcNow;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var secondsToday = Math.Max(1, (int)(now - today).TotalSeconds - 60);
        var expected = new long[Enum.GetValues<RunBucket>().Length];

        var baseline = new EntityTable(StorageClients.Tables(account, new StorageClientOptions()), UniqueName.Table("runbaseline"));
        await baseline.CreateIfNotExistsAsync();
        var rows = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentBag<TableEntity>>();

        // The counter rows are written in bulk, exactly as IRunCounterStore.ApplyAsync leaves them (a marker per run,
        // c|/s| counts, l| latest run per scan), in transactions of 100; the rollup rows the summary reads are then
        // built by the product's own repair path (RepairRollupsAsync) from those counters. Counting 100,000 runs one by
        // one through ApplyAsync is quadratic on Azurite (every table query there walks every row of the table, and the
        // counter table holds a marker per run): it ran at <30 runs/s after 10,000 runs.
        Console.WriteLine($"Seeding {runs:N0} runs into the counter store (bulk rows, then the rollup repair)...");
        var seed = Stopwatch.StartNew();
        var counterRows = new Dictionary<string, Dictionary<string, TableEntity>>(StringComparer.Ordinal);
        TableEntity Row(string pk, string rk)
        {
            if (!counterRows.TryGetValue(pk, out var partition))
            {
                counterRows[pk] = partition = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            }

            if (!partition.TryGetValue(rk, out var row))
            {
                partition[rk] = row = new TableEntity(pk, rk);
            }

            return row;
        }

        for (var i = 0; i < runs; i++)
        {
            var day = i % 30;
            var created = today.AddDays(-day).AddSeconds((i * 7919L) % (day == 0 ? secondsToday : 86_400));
            var (_, final) = BuildRun(i, created);
            var bucket = RunBuckets.Of(final);
            expected[(int)bucket]++;
            var pk = TableKeys.Escape(final.CollectionName.ToLowerInvariant()) + "|" + RunCounterRules.Day(final.CreatedAt);
            var scanKey = TableKeys.Escape(final.DataSourceName.ToLowerInvariant()) + "|" + TableKeys.Escape(final.ScanName.ToLowerInvariant());
            var marker = Row(pk, "m|" + final.Id);
            marker["Bucket"] = bucket.ToWire();
            marker["Version"] = final.Version;
            var kindRow = Row(pk, "c|" + TableKeys.Escape(final.SourceKind) + "|" + bucket.ToWire());
            kindRow["Count"] = (kindRow.GetInt64("Count") ?? 0) + 1;
            var scanRow = Row(pk, "s|" + scanKey + "|" + bucket.ToWire());
            scanRow["Count"] = (scanRow.GetInt64("Count") ?? 0) + 1;
            scanRow["DataSource"] = final.DataSourceName;
            scanRow["Scan"] = final.ScanName;
            scanRow["SourceKind"] = final.SourceKind;
            scanRow["Collection"] = final.CollectionName;
            var last = Row(pk, "l|" + scanKey);
            if (last.GetString("RunId") is not { } lastId || (last.GetDateTimeOffset("CreatedAt") ?? default, lastId).CompareTo((final.CreatedAt, final.Id.ToString())) < 0)
            {
                last["RunId"] = final.Id.ToString();
                last["Bucket"] = bucket.ToWire();
                last["CreatedAt"] = final.CreatedAt;
                last["DataSource"] = final.DataSourceName;
                last["Scan"] = final.ScanName;
                last["SourceKind"] = final.SourceKind;
                last["Collection"] = final.CollectionName;
            }

            var baselinePk = created.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            rows.GetOrAdd(baselinePk, _ => new System.Collections.Concurrent.ConcurrentBag<TableEntity>()).Add(new TableEntity(baselinePk, final.Id.ToString())
            {
                ["Collection"] = final.CollectionName,
                ["DataSource"] = final.DataSourceName,
                ["Scan"] = final.ScanName,
                ["SourceKind"] = final.SourceKind,
                ["Status"] = bucket.ToWire(),
                ["CreatedAt"] = final.CreatedAt,
            });
        }

        var counterTable = host.Services.GetRequiredService<StorageLayout>().Table("scanruncounters");
        var counterBatches = counterRows.Values.SelectMany(p => p.Values.Chunk(100)).ToList();
        var written = 0;
        await Parallel.ForEachAsync(counterBatches, new ParallelOptions { MaxDegreeOfParallelism = InsertConcurrency }, async (b, ct) =>
        {
            await counterTable.SubmitTransactionAsync(b.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList(), ct);
            var n = Interlocked.Add(ref written, b.Length);
            if (n / 20_000 != (n - b.Length) / 20_000)
            {
                Console.WriteLine($"  {n,9:N0} counter rows written ({n / seed.Elapsed.TotalSeconds:N0}/s)");
            }
        });
        var rollupStarted = seed.Elapsed;
        var repaired = await counters.RepairRollupsAsync(Collections, Enumerable.Range(0, 30).Select(d => DateOnly.FromDateTime(today.AddDays(-d).UtcDateTime)).ToList(), default);
        Console.WriteLine($"  {written:N0} counter rows in {rollupStarted.TotalSeconds:F1} s; {repaired} rollup rows built by the repair path in {(seed.Elapsed - rollupStarted).TotalSeconds:F1} s");
        var seedPerSecond = runs / seed.Elapsed.TotalSeconds;
        Console.WriteLine($"  counted in {seed.Elapsed.TotalSeconds:F1} s ({seedPerSecond:N0} runs/s)");

        var batches = rows.SelectMany(kv => kv.Value.Chunk(100)).ToList();
        var baselineWrite = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = InsertConcurrency }, async (b, ct) =>
            await baseline.SubmitTransactionAsync(b.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)).ToList(), ct));
        Console.WriteLine($"  baseline table: {runs:N0} rows in {batches.Count:N0} batches, {baselineWrite.Elapsed.TotalSeconds:F1} s");

        var expectedTotals = Totals(expected);

        // Ours through HTTP.
        Dictionary<string, long>? httpTotals = null;
        var latencies = new List<double>(MeasuredRequests);
        for (var i = 0; i < WarmupRequests + MeasuredRequests; i++)
        {
            var sw = Stopwatch.StartNew();
            using var response = await admin.GetAsync(new Uri("/monitoring/scanruns/summary?period=30d&granularity=day", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            sw.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"summary: {(int)response.StatusCode} {body}");
            }

            if (i >= WarmupRequests)
            {
                latencies.Add(sw.Elapsed.TotalMilliseconds);
            }

            if (i == WarmupRequests + MeasuredRequests - 1)
            {
                using var doc = JsonDocument.Parse(body);
                var t = doc.RootElement.GetProperty("totals");
                httpTotals = RunBuckets.All.Select(b => b.ToWire()).Prepend("total").ToDictionary(k => k, k => t.GetProperty(k).GetInt64());
                if (doc.RootElement.GetProperty("series").GetArrayLength() != 30)
                {
                    throw new InvalidOperationException($"summary series has {doc.RootElement.GetProperty("series").GetArrayLength()} points, not 30.");
                }
            }
        }

        latencies.Sort();
        var median = latencies[latencies.Count / 2];
        var p95 = latencies[(int)Math.Ceiling(latencies.Count * 0.95) - 1];
        Console.WriteLine($"summary through HTTP: median {median:F1} ms, p95 {p95:F1} ms ({MeasuredRequests} requests after {WarmupRequests} warm-up)");

        // Baseline: read every run of the 30 days (one partition per day, 16 in flight like the counter reads) and count.
        var days = Enumerable.Range(0, 30).Select(d => today.AddDays(-d).ToString("yyyyMMdd", CultureInfo.InvariantCulture)).ToList();
        var baselineTimes = new List<double>();
        Dictionary<string, long>? baselineTotals = null;
        for (var rep = 0; rep < BaselineRepetitions; rep++)
        {
            var counts = new long[expected.Length];
            var sw = Stopwatch.StartNew();
            await Parallel.ForEachAsync(days, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (pk, ct) =>
            {
                var local = new long[counts.Length];
                await foreach (var e in baseline.QueryAsync(TableFilter.PartitionKeyEquals(pk), ["Status"], cancellationToken: ct))
                {
                    if (RunBuckets.TryParseWire(e.GetString("Status") ?? string.Empty, out var bucket))
                    {
                        local[(int)bucket]++;
                    }
                }

                for (var k = 0; k < local.Length; k++)
                {
                    Interlocked.Add(ref counts[k], local[k]);
                }
            });
            baselineTimes.Add(sw.Elapsed.TotalMilliseconds);
            baselineTotals = Totals(counts);
            Console.WriteLine($"  baseline rep {rep + 1}: {sw.Elapsed.TotalMilliseconds:F0} ms");
        }

        baselineTimes.Sort();
        var baselineMedian = baselineTimes[baselineTimes.Count / 2];
        Console.WriteLine($"baseline full read: median {baselineMedian:F0} ms");

        foreach (var (name, got) in new[] { ("summary", httpTotals!), ("baseline", baselineTotals!) })
        {
            if (!got.OrderBy(kv => kv.Key).SequenceEqual(expectedTotals.OrderBy(kv => kv.Key)))
            {
                throw new InvalidOperationException($"{name} totals {JsonSerializer.Serialize(got)} differ from the seeded {JsonSerializer.Serialize(expectedTotals)}.");
            }
        }

        Console.WriteLine($"totals agree: {JsonSerializer.Serialize(expectedTotals)}");
        await baseline.DeleteIfExistsAsync();
        return new SummaryResult(seedPerSecond, median, p95, baselineMedian, expectedTotals);
    }

    private static Dictionary<string, long> Totals(long[] byBucket)
    {
        var totals = new Dictionary<string, long> { ["total"] = byBucket.Sum() };
        foreach (var b in RunBuckets.All)
        {
            totals[b.ToWire()] = byBucket[(int)b];
        }

        return totals;
    }

    /// <summary>
    /// Run i through the Core lifecycle: the created run (counted Queued) and its latest state. 70% succeed, 10% fail in
    /// the scan phase, 5% are canceled, 5% are still running, 5% wait Queued, 5% Throttled.
    /// </summary>
    private static (ScanRun First, ScanRun Final) BuildRun(int i, DateTimeOffset created)
    {
        var collection = Collections[i % Collections.Length];
        var dsIndex = (i / 3) % 4;
        var definition = new ScanRunDefinition(
            $"{collection}-ds{dsIndex}", "scan" + ((i / 12) % 2).ToString(CultureInfo.InvariantCulture), collection, SourceKinds[dsIndex % SourceKinds.Length],
            IntegrationRuntime.DefaultName, i % 4 == 0 ? ScanLevel.Incremental : ScanLevel.Full, i % 5 == 0 ? ScanTrigger.Manual : ScanTrigger.Scheduled);
        var create = ScanRunLifecycle.Create(ScanRunId.New(created), definition, created);
        var first = create.Run ?? throw new InvalidOperationException(string.Join("; ", create.Errors.Select(e => e.Message)));
        var run = first;
        var t = created;
        ScanRun Step(Func<ScanRun, DateTimeOffset, TransitionResult> transition)
        {
            t = t.AddSeconds(30);
            var result = transition(run, t);
            if (result.IsRejected)
            {
                throw new InvalidOperationException($"lifecycle refused: {result.Reason}");
            }

            return run = result.Run;
        }

        var kind = i % 20;
        if (kind == 18)
        {
            Step((r, at) => r.MarkThrottled(at));
            return (first, run);
        }

        if (kind == 19)
        {
            return (first, first); // still Queued: counted once, at creation
        }

        Step((r, at) => r.Start(at));
        Step((r, at) => r.RecordDiscovered(1000 + (i % 500), at));
        switch (kind)
        {
            case 14 or 15:
                Step((r, at) => r.FailScan("ScanFailed", "The source refused the listing.", at));
                break;
            case 16:
                Step((r, at) => r.Cancel(at));
                break;
            case 17:
                break; // still in progress
            default:
                Step((r, at) => r.CompleteScan(at));
                Step((r, at) => r.StartIngestion(at));
                Step((r, at) => r.RecordIngested(1000 + (i % 500), 0, 0, 0, at));
                Step((r, at) => r.CompleteIngestion(at));
                break;
        }

        return (first, run);
    }
}
