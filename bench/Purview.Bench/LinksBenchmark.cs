using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Links;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// ./bench.sh links: OpenLineage COMPLETE events (2 inputs, 1 output, a parent) posted through the local host's HTTP
/// pipeline (in-memory server, real Azurite), then the aggregation of one hour holding many raw events.
/// </summary>
internal static class LinksBenchmark
{
    public static async Task<int> RunAsync(int events, int hourEvents, int concurrency)
    {
        // The test factory finds the host's content root through this variable when the caller is not a test project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PURVIEW_LOCALHOST", Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"));
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        using var admin = host.Client("admin");
        (await admin.PutAsJsonAsync("/links/OpenLineage/bench-ns", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();

        // Events: each run writes new datasets in a small pool (realistic reuse: most entities already exist).
        var start = DateTimeOffset.UtcNow;
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            using var client = host.Client("admin");
            int i;
            while ((i = Interlocked.Increment(ref next)) < events)
            {
                var body = new
                {
                    eventType = "COMPLETE",
                    eventTime = start.AddMilliseconds(i).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    run = new { runId = Guid.NewGuid().ToString(), facets = new { parent = new { job = new { @namespace = "bench-ns", name = $"dag{i % 20}" } } } },
                    job = new { @namespace = "bench-ns", name = $"task{i % 200}" },
                    inputs = new[] { new { @namespace = "pg://db", name = $"in{i % 500}" }, new { @namespace = "pg://db", name = $"in{(i + 1) % 500}" } },
                    outputs = new[] { new { @namespace = "s3://lake", name = $"out{i % 500}" } },
                    producer = "https://example.com/bench",
                    schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
                };
                using var response = await client.PostAsJsonAsync("/api/v1/lineage", body);
                response.EnsureSuccessStatusCode();
            }
        }));
        var eventSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"links push: {events:N0} OpenLineage events, {concurrency} in flight: {eventSeconds:F1} s = {events / eventSeconds:F0} events/s");

        // One hour of raw events written straight to the store, then aggregated.
        var store = host.Services.GetRequiredService<ILinkEventStore>();
        var hour = LinkHours.Floor(start.AddDays(-1));
        next = -1;
        watch.Restart();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < hourEvents)
            {
                await store.TryAddAsync(new LinkEvent(LinkSourceType.OpenLineage, "bench-ns", $"dag{i % 20}/task{i % 200}", $"run|{i}", hour.AddMilliseconds(i % 3_600_000),
                    start, "run:COMPLETE", i % 3, i % 4, true), CancellationToken.None);
            }
        }));
        Console.WriteLine($"links load: {hourEvents:N0} raw events into one hour in {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        var rows = await host.Services.GetRequiredService<LinkAggregator>().AggregateHourAsync(hour, CancellationToken.None);
        Console.WriteLine($"links aggregate: one hour of {hourEvents:N0} events -> {rows.Count} aggregate rows in {watch.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
