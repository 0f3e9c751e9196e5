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
internal static class LinksBenchmark
{
    private const int ArraySize = 100;
    private const int ArrayConcurrency = 4;
    private const int JsEntities = 20_000;

    public static async Task<int> RunAsync(int events, int hourEvents, int concurrency)
    {
        // The test factory finds the host's content root through this variable when the caller is not a test project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PURVIEW_LOCALHOST", Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"));
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        var counter = new RequestCounter();
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning" },
            configureServices: services => services.Replace(ServiceDescriptor.Singleton(_ =>
            {
                var options = new StorageClientOptions();
                options.AddPolicy(counter, HttpPipelinePosition.PerCall);
                return options;
            })));
        host.Factory.UseKestrel(0);
        host.Factory.StartServer();
        using var admin = host.Client("admin");
        Console.WriteLine($"host on {admin.BaseAddress}; load average {LoadAverage()}");
        foreach (var ns in new[] { "warm-ns", "bench-single", "bench-array" })
        {
            (await admin.PutAsJsonAsync($"/links/OpenLineage/{ns}", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();
        }

        (await admin.PutAsJsonAsync("/links/AzureDataFactory/benchfactory", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();
        var start = DateTimeOffset.UtcNow;

        // Warm-up (JIT, connection pools, Azurite's own JIT) on a namespace of its own.
        await SingleEventsAsync(host, "warm-ns", 400, concurrency, start);
        await ArraysAsync(host, "warm-ns", 400, start.AddSeconds(1));
        var jsBefore = await TableInsertBenchmark.JsBatchRateAsync(azurite.ConnectionString, JsEntities);
        Console.WriteLine($"JS reference (@azure/data-tables, transactions of 100, 4 in flight) before: {jsBefore:N0} entities/s");

        // Cold: the first events name datasets, jobs and relationships that do not exist yet (1,221 entities and 3,220
        // relationships per 5,000 events). Warm: as many more events with new run ids over the same jobs and datasets
        // (what a producer re-running its pipelines sends): nothing new for the data map.
        var phases = new List<(string Name, Phase Phase)>();
        phases.Add(($"OpenLineage single events, {concurrency} in flight, cold", await MeasureAsync("single cold", counter, events, () => SingleEventsAsync(host, "bench-single", events, concurrency, start, fresh: true))));
        phases.Add(($"OpenLineage single events, {concurrency} in flight, warm", await MeasureAsync("single warm", counter, events, () => SingleEventsAsync(host, "bench-single", events, concurrency, start.AddMinutes(1), fresh: false))));
        phases.Add(($"OpenLineage arrays of {ArraySize}, {ArrayConcurrency} in flight, cold", await MeasureAsync("arrays cold", counter, events, () => ArraysAsync(host, "bench-array", events, start, fresh: true))));
        phases.Add(($"OpenLineage arrays of {ArraySize}, {ArrayConcurrency} in flight, warm", await MeasureAsync("arrays warm", counter, events, () => ArraysAsync(host, "bench-array", events, start.AddMinutes(1), fresh: false))));
        phases.Add(($"native Copy runs (2 in, 1 out), {concurrency} in flight, cold", await MeasureAsync("native cold", counter, events, () => NativeRunsAsync(host, events, concurrency, start, fresh: true))));
        phases.Add(($"native Copy runs (2 in, 1 out), {concurrency} in flight, warm", await MeasureAsync("native warm", counter, events, () => NativeRunsAsync(host, events, concurrency, start.AddMinutes(1), fresh: false))));

        var jsAfter = await TableInsertBenchmark.JsBatchRateAsync(azurite.ConnectionString, JsEntities);
        Console.WriteLine($"JS reference (@azure/data-tables, transactions of 100, 4 in flight) after:  {jsAfter:N0} entities/s");

        Console.WriteLine();
        Console.WriteLine($"{"links push (OpenLineage events: 2 inputs, 1 output, a parent)",-62} {"events/s",9} {"requests/event",15}  target >= 500/s");
        foreach (var (name, phase) in phases)
        {
            Console.WriteLine($"{name,-62} {phase.Rate,9:N0} {phase.RequestsPerEvent,15:F2}  {(name.StartsWith("native", StringComparison.Ordinal) ? "-" : phase.Rate >= 500 ? "met" : "NOT met")}");
        }

        Console.WriteLine($"{"JS batched insert on the same Azurite (entities/s, before / after)",-62} {jsBefore,9:N0} / {jsAfter:N0}");
        Console.WriteLine($"load average {LoadAverage()}");

        // One hour of raw events written straight to the store (batched), then aggregated.
        var store = host.Services.GetRequiredService<ILinkEventStore>();
        var hour = LinkHours.Floor(start.AddDays(-1));
        var watch = Stopwatch.StartNew();
        var chunks = Enumerable.Range(0, hourEvents).Chunk(1000).ToList();
        await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (chunk, token) =>
            await store.TryAddManyAsync(chunk.Select(i => new LinkEvent(LinkSourceType.OpenLineage, "bench-ns", $"dag{i % 20}/task{i % 200}", $"run|{i}",
                hour.AddMilliseconds(i % 3_600_000), start, "run:COMPLETE", i % 3, i % 4, true)).ToList(), token));
        Console.WriteLine($"links load: {hourEvents:N0} raw events into one hour in {watch.Elapsed.TotalSeconds:F1} s (batched)");
        watch.Restart();
        var rows = await host.Services.GetRequiredService<LinkAggregator>().AggregateHourAsync(hour, CancellationToken.None);
        Console.WriteLine($"links aggregate: one hour of {hourEvents:N0} events -> {rows.Count} aggregate rows in {watch.Elapsed.TotalSeconds:F1} s");
        var expected = (long)Enumerable.Range(0, hourEvents).Sum(i => i % 3);
        var total = rows.Where(r => r.SubArtifact is null).Sum(r => r.Assets);
        if (total != expected)
        {
            throw new InvalidOperationException($"The hour aggregated {total} assets, expected {expected}.");
        }

        return 0;
    }

    private sealed record Phase(double Rate, double RequestsPerEvent);

    private static async Task<Phase> MeasureAsync(string name, RequestCounter counter, int events, Func<Task<(long Assets, long Relations, long ExpectedAssets, long ExpectedRelations)>> run)
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

    private static async Task<(long, long, long, long)> SingleEventsAsync(TestHost host, string ns, int events, int concurrency, DateTimeOffset start, bool fresh = true)
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
