using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Purview.Core.Links;
using Purview.Storage.Client;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// ./bench.sh links: the local host on Kestrel (real HTTP on loopback) over one Azurite. OpenLineage COMPLETE events
/// (2 inputs, 1 output, a parent) sent as concurrent single events and as arrays; native Data Factory activity runs;
/// the official JavaScript client's batched insert rate on the same Azurite in the same run; then the aggregation of
/// one hour holding many raw events. Every phase counts the storage requests it made and checks, outside the timing,
/// that the counts reported by the events add up to exactly the distinct entities and relationships they name.
/// </summary>
/// <summary>Sizes of the links benchmark: events per push phase, raw events in the aggregated hour, 45 days of aggregates for Sources x SubArtifacts.</summary>
internal sealed record LinksSizes(int Events, int HourEvents, int Concurrency, int Sources, int SubArtifacts, int QueryRequests = 100)
{
    public static LinksSizes Full { get; } = new(5_000, 100_000, 16, 10, 5);

    public static LinksSizes Quick { get; } = new(500, 5_000, 16, 3, 2, QueryRequests: 30);
}

internal static class LinksBenchmark
{
    private const int ArraySize = 100;
    private const int ArrayConcurrency = 4;
    private const int QueryWarmup = 10;
    private const int FloorRequests = 20;

    /// <summary>Prints the figures of <see cref="MeasureAsync"/>; 0 when every target is met.</summary>
    public static async Task<int> RunAsync(LinksSizes sizes)
    {
        var figures = await MeasureAsync(sizes);
        return Report.Print(figures) ? 0 : 1;
    }

    public static async Task<IReadOnlyList<Figure>> MeasureAsync(LinksSizes sizes)
    {
        var (events, hourEvents, concurrency) = (sizes.Events, sizes.HourEvents, sizes.Concurrency);
        Console.WriteLine($"links: {events:N0} events per phase, {concurrency} in flight; one hour of {hourEvents:N0} events; 45 days of aggregates for {sizes.Sources} sources x {sizes.SubArtifacts} sub-artifacts");
        // The test factory finds the host's content root through this variable when the caller is not a test project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PURVIEW_LOCALHOST", Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"));
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var counter = new RequestCounter();
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning" },
            configureServices: services => services.Replace(ServiceDescriptor.Singleton(_ =>
            {
                var options = new StorageClientOptions();
                options.Policies.Add((counter, HttpPipelinePosition.PerCall));
                return options;
            })));
        host.Factory.UseKestrel(0);
        host.Factory.StartServer();
        using var admin = host.Client("admin");
        Console.WriteLine($"links: host on {admin.BaseAddress}; load average {LoadAverage()}");
        foreach (var ns in new[] { "warm-ns", "bench-single", "bench-array" })
        {
            (await admin.PutAsJsonAsync($"/links/OpenLineage/{ns}", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();
        }

        (await admin.PutAsJsonAsync("/links/AzureDataFactory/benchfactory", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();
        var start = DateTimeOffset.UtcNow;
        var jsEntities = Math.Clamp(events * 4, 5_000, 20_000);

        // Warm-up (JIT, connection pools, Azurite's own JIT) on a namespace of its own.
        await SingleEventsAsync(host, "warm-ns", Math.Min(400, events), concurrency, start);
        await ArraysAsync(host, "warm-ns", Math.Min(400, events), start.AddSeconds(1));
        var jsBefore = await TableInsertBenchmark.JsBatchRateAsync(azurite.ConnectionString, jsEntities);
        Console.WriteLine($"links: JS reference (@azure/data-tables, transactions of 100, 4 in flight) before: {jsBefore:N0} entities/s");

        // Cold: the first events name datasets, jobs and relationships that do not exist yet (1,221 entities and 3,220
        // relationships per 5,000 events). Warm: as many more events with new run ids over the same jobs and datasets
        // (what a producer re-running its pipelines sends): nothing new for the data map.
        var phases = new List<(string Name, Phase Phase)>();
        phases.Add(($"OpenLineage single events, {concurrency} in flight, cold (all new)", await PhaseAsync("single cold", counter, events, () => SingleEventsAsync(host, "bench-single", events, concurrency, start, fresh: true))));
        phases.Add(($"OpenLineage single events, {concurrency} in flight, warm (sustained)", await PhaseAsync("single warm", counter, events, () => SingleEventsAsync(host, "bench-single", events, concurrency, start.AddMinutes(1), fresh: false))));
        phases.Add(($"OpenLineage arrays of {ArraySize}, {ArrayConcurrency} in flight, cold (all new)", await PhaseAsync("arrays cold", counter, events, () => ArraysAsync(host, "bench-array", events, start, fresh: true))));
        phases.Add(($"OpenLineage arrays of {ArraySize}, {ArrayConcurrency} in flight, warm (sustained)", await PhaseAsync("arrays warm", counter, events, () => ArraysAsync(host, "bench-array", events, start.AddMinutes(1), fresh: false))));
        phases.Add(($"native Copy activity runs (2 in, 1 out), {concurrency} in flight, cold (all new)", await PhaseAsync("native cold", counter, events, () => NativeRunsAsync(host, events, concurrency, start, fresh: true))));
        phases.Add(($"native Copy activity runs (2 in, 1 out), {concurrency} in flight, warm (sustained)", await PhaseAsync("native warm", counter, events, () => NativeRunsAsync(host, events, concurrency, start.AddMinutes(1), fresh: false))));

        var jsAfter = await TableInsertBenchmark.JsBatchRateAsync(azurite.ConnectionString, jsEntities);
        Console.WriteLine($"links: JS reference after: {jsAfter:N0} entities/s; load average {LoadAverage()}");
        var js = (jsBefore + jsAfter) / 2;
        var figures = new List<Figure>();
        foreach (var (name, phase) in phases)
        {
            // The target is about sustained ingestion: a producer re-running its pipelines (warm). A cold phase is every
            // dataset, job and relationship seen for the first time (1,221 entities and 3,220 relationships whatever the
            // number of events), so its rate falls with fewer events; it is reported without a target.
            var sustained = !name.StartsWith("native", StringComparison.Ordinal) && name.EndsWith("warm (sustained)", StringComparison.Ordinal);
            figures.Add(new Figure("links", $"{name} ({phase.RequestsPerEvent:F2} storage requests each)", phase.Rate, name.StartsWith("native", StringComparison.Ordinal) ? "pushes/s" : "events/s")
            {
                Reference = js,
                ReferenceUnit = "entities/s",
                ReferenceName = "JS transactions of 100, mean of before/after",
                Target = sustained ? ">= 500/s" : null,
                Met = sustained ? phase.Rate >= 500 : null,
            });
        }

        // One hour of raw events written straight to the store (batched), then aggregated.
        var store = host.Services.GetRequiredService<ILinkEventStore>();
        var hour = LinkHours.Floor(start.AddDays(-1));
        var watch = Stopwatch.StartNew();
        var chunks = Enumerable.Range(0, hourEvents).Chunk(1000).ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (chunk, token) =>
            await store.TryAddManyAsync(chunk.Select(i => new LinkEvent(LinkSourceType.OpenLineage, "bench-ns", $"dag{i % 20}/task{i % 200}", $"run|{i}",
                hour.AddMilliseconds(i % 3_600_000), start, "run:COMPLETE", i % 3, i % 4, true)).ToList(), token));
        var loadSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"links: {hourEvents:N0} raw events loaded into one hour in {loadSeconds:F1} s (batched)");
        watch.Restart();
        var rows = await host.Services.GetRequiredService<LinkAggregator>().AggregateHourAsync(hour, CancellationToken.None);
        var aggregateSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"links: one hour of {hourEvents:N0} events -> {rows.Count} aggregate rows in {aggregateSeconds:F1} s");
        var expected = (long)Enumerable.Range(0, hourEvents).Sum(i => i % 3);
        var total = rows.Where(r => r.SubArtifact is null).Sum(r => r.Assets);
        if (total != expected)
        {
            throw new InvalidOperationException($"The hour aggregated {total} assets, expected {expected}.");
        }

        figures.Add(new Figure("links", $"aggregating one hour of {hourEvents:N0} raw events ({rows.Count} aggregate rows)", aggregateSeconds, "s")
        {
            LowerIsBetter = true,
            Reference = loadSeconds,
            ReferenceName = "writing those events in transactions of 100",
            Target = hourEvents >= 100_000 ? "< 30 s" : null,
            Met = hourEvents >= 100_000 ? aggregateSeconds < 30 : null,
        });

        figures.AddRange(await QueryLatencyAsync(host, admin, start, sizes.Sources, sizes.SubArtifacts, sizes.QueryRequests));
        return figures;
    }

    /// <summary>
    /// 45 days of hourly aggregates (written through the product's store, as the hourly job leaves them) for
    /// <paramref name="sources"/> links with <paramref name="subArtifacts"/> pipeline/activity rows each per hour; then the
    /// monitoring routes' latency through HTTP, next to reading the same aggregate rows straight from the store.
    /// </summary>
    private static async Task<IReadOnlyList<Figure>> QueryLatencyAsync(TestHost host, HttpClient admin, DateTimeOffset now, int sources, int subArtifacts, int requests)
    {
        var types = Enum.GetValues<LinkSourceType>();
        var names = Enumerable.Range(0, sources).Select(s => (Type: types[s % types.Length], Name: $"src{s:D3}")).ToList();
        foreach (var (type, name) in names)
        {
            (await admin.PutAsJsonAsync($"/links/{type}/{name}", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();
        }

        var aggregates = host.Services.GetRequiredService<ILinkAggregateStore>();
        var aggregator = host.Services.GetRequiredService<LinkAggregator>();
        var last = LinkHours.Floor(now).AddHours(-1);
        var hours = Enumerable.Range(0, 45 * 24).Select(h => last.AddHours(-h)).ToList();
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(hours, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (hour, token) =>
        {
            var rows = new List<LinkAggregate>();
            foreach (var (type, name) in names)
            {
                var runTime = hour.AddMinutes(30);
                rows.Add(new LinkAggregate(hour, type, name, null, subArtifacts * 3L, subArtifacts * 4L, subArtifacts, runTime));
                rows.AddRange(Enumerable.Range(0, subArtifacts).Select(a => new LinkAggregate(hour, type, name, $"pipeline{a % 5}/activity{a}", 3, 4, 1, runTime)));
            }

            await aggregates.ReplaceHourAsync(hour, rows, token);
        });
        // Then each day's rollup, as the hourly job leaves it after an hour of that day.
        await Parallel.ForEachAsync(hours.Select(h => new DateTimeOffset(h.UtcDateTime.Date, TimeSpan.Zero)).Distinct(), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (day, token) => await aggregator.RollUpDayAsync(day, token));
        await aggregates.AdvanceReportedTillAsync(last.AddHours(1), CancellationToken.None);
        var seeded = hours.Count * sources * (subArtifacts + 1);
        Console.WriteLine($"links: seeded {seeded:N0} aggregate rows (45 days x 24 hours x {sources} sources x {subArtifacts + 1}) in {watch.Elapsed.TotalSeconds:F1} s");

        var from45 = (now.AddDays(-45).AddHours(2)).ToString("yyyy-MM-ddTHH:00:00Z", CultureInfo.InvariantCulture);
        var (firstType, firstName) = names[0];
        var queries = new (string Name, string Path, Func<JsonElement, bool> Check, DateTimeOffset From, bool WholeDays)[]
        {
            ("summary, custom range of 45 days (daily trend)", $"/monitoring/links/summary?from={from45}", j => j.GetProperty("sources").GetInt32() >= sources, now.AddDays(-45).AddHours(2), true),
            ("summary, period 30d (daily trend)", "/monitoring/links/summary?period=30d", j => j.GetProperty("trend").GetArrayLength() >= 30, now.AddDays(-30), true),
            ("summary, period 7d (hourly trend)", "/monitoring/links/summary?period=7d", j => j.GetProperty("trend").GetArrayLength() >= 7 * 24, now.AddDays(-7), false),
            ("sources list, period 30d", "/monitoring/links?period=30d&orderBy=assetsIngested%20desc", j => j.GetProperty("value").GetArrayLength() > 0, now.AddDays(-30), true),
            ($"one source's {subArtifacts} pipeline/activity rows, period 30d", $"/monitoring/links/{firstType}/{firstName}?period=30d", j => j.GetProperty("total").GetInt32() == subArtifacts, now.AddDays(-30), true),
        };

        var figures = new List<Figure>();
        foreach (var (name, path, check, from, wholeDays) in queries)
        {
            var times = new List<double>();
            for (var i = 0; i < QueryWarmup + requests; i++)
            {
                var t = Stopwatch.GetTimestamp();
                using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (!response.IsSuccessStatusCode || !check(JsonDocument.Parse(body).RootElement))
                {
                    throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
                }

                if (i >= QueryWarmup)
                {
                    times.Add(ms);
                }
            }

            // The storage floor: the same aggregate rows read straight from the store (no HTTP, no access check, no grouping).
            var sourceKey = name.StartsWith("one source", StringComparison.Ordinal) ? LinkNames.Key(firstType, firstName) : null;
            var floor = new List<double>();
            for (var i = 0; i < 3 + FloorRequests; i++)
            {
                var t = Stopwatch.GetTimestamp();
                _ = await aggregates.QueryAsync(from, now, sourceKey, wholeDays, CancellationToken.None);
                if (i >= 3)
                {
                    floor.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                }
            }

            var (median, p95) = (Percentile(times, 0.5), Percentile(times, 0.95));
            Console.WriteLine($"links: {name}: median {median:F1} ms, p95 {p95:F1} ms; the rows read from the store: median {Percentile(floor, 0.5):F1} ms");
            figures.Add(new Figure("links", $"{name}: p95 (median {median:F1} ms)", p95, "ms")
            {
                LowerIsBetter = true,
                Reference = Percentile(floor, 0.5),
                ReferenceName = "median of reading the same aggregate rows from the store",
            });
        }

        return figures;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private sealed record Phase(double Rate, double RequestsPerEvent);

    private static async Task<Phase> PhaseAsync(string name, RequestCounter counter, int events, Func<Task<(long Assets, long Relations, long ExpectedAssets, long ExpectedRelations)>> run)
    {
        var before = counter.Count;
        var watch = Stopwatch.StartNew();
        var (assets, relations, expectedAssets, expectedRelations) = await run();
        var seconds = watch.Elapsed.TotalSeconds;
        var requests = counter.Count - before;
        Console.WriteLine($"{name}: {events:N0} in {seconds:F1} s = {events / seconds:F0}/s; {requests:N0} storage requests; counted {assets:N0} assets / {relations:N0} relationships");
        // Outside the timing: a fast run whose counts were wrong would be worthless.
        if (assets != expectedAssets || relations != expectedRelations)
        {
            throw new InvalidOperationException($"{name}: the events were credited with {assets} assets and {relations} relationships; they name {expectedAssets} and {expectedRelations} distinct ones.");
        }

        return new Phase(events / seconds, (double)requests / events);
    }

    /// <summary>Event i of a namespace: job task{i%200} under dag{i%20}, reading in{i%500} and in{(i+1)%500}, writing out{i%500} (most entities soon exist).</summary>
    private static string Event(string ns, int i, DateTimeOffset start) => JsonSerializer.Serialize(new
    {
        eventType = "COMPLETE",
        eventTime = start.AddMilliseconds(i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        run = new { runId = Guid.NewGuid().ToString(), facets = new { parent = new { job = new { @namespace = ns, name = $"dag{i % 20}" } } } },
        job = new { @namespace = ns, name = $"task{i % 200}" },
        // Dataset namespaces of the job's own, so each phase starts with new datasets.
        inputs = new[] { new { @namespace = $"pg://{ns}", name = $"in{i % 500}" }, new { @namespace = $"pg://{ns}", name = $"in{(i + 1) % 500}" } },
        outputs = new[] { new { @namespace = $"s3://{ns}", name = $"out{i % 500}" } },
        producer = "https://example.com/bench",
        schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    });

    /// <summary>The distinct entities and relationships events 0..count-1 of one namespace name (what the counts must add up to).</summary>
    private static (long Entities, long Relations) Distinct(int count)
    {
        var entities = new HashSet<string> { "ns" };
        var relations = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            string dag = $"dag{i % 20}", task = $"task{i % 200}", a = $"in{i % 500}", b = $"in{(i + 1) % 500}", o = $"out{i % 500}";
            entities.UnionWith([dag, task, a, b, o]);
            relations.UnionWith([$"ns>{dag}", $"{dag}>{task}", $"{a}>{task}", $"{b}>{task}", $"{task}>{o}"]);
        }

        return (entities.Count, relations.Count);
    }

    internal static async Task<(long, long, long, long)> SingleEventsAsync(TestHost host, string ns, int events, int concurrency, DateTimeOffset start, bool fresh = true)
    {
        var bodies = Enumerable.Range(0, events).Select(i => Event(ns, i, start)).ToArray();
        long assets = 0, relations = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            using var client = host.Client("admin");
            int i;
            while ((i = Interlocked.Increment(ref next)) < events)
            {
                using var content = new StringContent(bodies[i], Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var report = doc.RootElement.GetProperty("reportLineageToPurview");
                Interlocked.Add(ref assets, report.GetProperty("assetsIngested").GetInt32());
                Interlocked.Add(ref relations, report.GetProperty("relationshipsIngested").GetInt32());
            }
        }));
        var (e, r) = fresh ? Distinct(events) : (0, 0);
        return (assets, relations, e, r);
    }

    private static async Task<(long, long, long, long)> ArraysAsync(TestHost host, string ns, int events, DateTimeOffset start, bool fresh = true)
    {
        var arrays = Enumerable.Range(0, events).Chunk(ArraySize).Select(c => "[" + string.Join(",", c.Select(i => Event(ns, i, start))) + "]").ToArray();
        long assets = 0, relations = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, ArrayConcurrency).Select(async _ =>
        {
            using var client = host.Client("admin");
            int i;
            while ((i = Interlocked.Increment(ref next)) < arrays.Length)
            {
                using var content = new StringContent(arrays[i], Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                foreach (var result in doc.RootElement.GetProperty("value").EnumerateArray())
                {
                    if (result.GetProperty("status").GetInt32() != 201)
                    {
                        throw new InvalidOperationException("An event of an array was refused: " + result.GetRawText());
                    }

                    var report = result.GetProperty("reportLineageToPurview");
                    Interlocked.Add(ref assets, report.GetProperty("assetsIngested").GetInt32());
                    Interlocked.Add(ref relations, report.GetProperty("relationshipsIngested").GetInt32());
                }
            }
        }));
        var (e, r) = fresh ? Distinct(events) : (0, 0);
        return (assets, relations, e, r);
    }

    /// <summary>Copy runs of pipeline p{i%20}, activity copy{i%200}, reading two of 500 blobs, writing one of 500 tables.</summary>
    private static async Task<(long, long, long, long)> NativeRunsAsync(TestHost host, int runs, int concurrency, DateTimeOffset start, bool fresh)
    {
        var bodies = Enumerable.Range(0, runs).Select(i => JsonSerializer.Serialize(new
        {
            pipelineName = $"p{i % 20}",
            activityName = $"copy{i % 200}",
            activityType = "Copy",
            activityRunId = Guid.NewGuid().ToString(),
            pipelineRunId = Guid.NewGuid().ToString(),
            status = "Succeeded",
            start = start.AddMilliseconds(i),
            end = start.AddMilliseconds(i + 500),
            inputs = new[]
            {
                new { qualifiedName = $"https://acct.blob.core.windows.net/raw/in{i % 500}.csv", type = "azure_blob_path", name = $"in{i % 500}.csv" },
                new { qualifiedName = $"https://acct.blob.core.windows.net/raw/in{(i + 1) % 500}.csv", type = "azure_blob_path", name = $"in{(i + 1) % 500}.csv" },
            },
            outputs = new[] { new { qualifiedName = $"mssql://srv/db/dbo/out{i % 500}", type = "azure_sql_table", name = $"out{i % 500}" } },
        })).ToArray();
        long assets = 0, relations = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            using var client = host.Client("admin");
            int i;
            while ((i = Interlocked.Increment(ref next)) < runs)
            {
                using var content = new StringContent(bodies[i], Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(new Uri("/links/AzureDataFactory/benchfactory/activityruns", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Interlocked.Add(ref assets, doc.RootElement.GetProperty("assetsIngested").GetInt32());
                Interlocked.Add(ref relations, doc.RootElement.GetProperty("relationshipsIngested").GetInt32());
            }
        }));

        // Distinct: the factory, pipelines, activities, one operation per (activity, sink), datasets; parents and lineage.
        var entities = new HashSet<string> { "factory" };
        var rels = new HashSet<string>();
        for (var i = 0; i < runs; i++)
        {
            string p = $"p{i % 20}", a = $"{p}/copy{i % 200}", o = $"out{i % 500}", op = $"{a}#{o}", x = $"in{i % 500}", y = $"in{(i + 1) % 500}";
            entities.UnionWith([p, a, op, x, y, o]);
            rels.UnionWith([$"f>{p}", $"{p}>{a}", $"{a}>{op}", $"{x}>{op}", $"{y}>{op}", $"{op}>{o}"]);
        }

        return fresh ? (assets, relations, entities.Count, rels.Count) : (assets, relations, 0, 0);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>Counts storage requests (per call: a request retried by the pipeline counts once).</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
