using System.Net.Http.Json;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// ./bench.sh tracing: the cost of telemetry on the OpenLineage push. Three local hosts in turn over one Azurite, each
/// on Kestrel and sending the same warm single events (16 in flight): telemetry off (no SDK: the default), the SDK
/// collecting without an exporter, and the SDK exporting over OTLP/HTTP to a collector stand-in on loopback that
/// accepts and discards every batch (so the export's serialisation and sending are paid, not a real collector's work).
/// </summary>
internal static class TracingBenchmark
{
    private const int Rounds = 2;

    public static async Task<int> RunAsync(int events)
    {
        var figures = await MeasureAsync(events);
        return Report.Print(figures) ? 0 : 1;
    }

    public static async Task<IReadOnlyList<Figure>> MeasureAsync(int events)
    {
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PURVIEW_LOCALHOST", Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"));
        await using var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        await using var sink = await OtlpSink.StartAsync();
        Console.WriteLine($"tracing: {events:N0} warm OpenLineage events per configuration, 16 in flight; OTLP sink on {sink.Endpoint}");
        var otlp = new Dictionary<string, string?> { ["Telemetry:Exporter"] = "otlp", ["OTEL_EXPORTER_OTLP_ENDPOINT"] = sink.Endpoint, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" };
        var configurations = new (string Name, Dictionary<string, string?> Settings)[]
        {
            ("off (no SDK, the default)", new()),
            ("SDK on, no exporter", new() { ["Telemetry:Enabled"] = "true" }),
            ("SDK on, OTLP exporter, every trace", new(otlp)),
            ("SDK on, OTLP exporter, 10 % of traces", new(otlp) { ["Telemetry:SampleRatio"] = "0.1" }),
        };

        // Rounds interleave the configurations so that a change of load on a shared machine spreads over all of them;
        // one host at a time (a provider listens to the process-wide source, so two hosts would trace each other).
        var rates = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = configurations.ToDictionary(c => c.Name, _ => new List<double>());
        for (var round = 0; round < Rounds; round++)
        {
            for (var c = 0; c < configurations.Length; c++)
            {
                var (name, extra) = configurations[c];
                var settings = new Dictionary<string, string?>(extra) { ["Jobs:Enabled"] = "false", ["Logging:LogLevel:Default"] = "Warning" };
                await using var host = new TestHost(azurite, settings: settings);
                host.Factory.UseKestrel(0);
                host.Factory.StartServer();
                using var admin = host.Client("admin");
                var ns = $"trace-{round}-{c}";
                (await admin.PutAsJsonAsync($"/links/OpenLineage/{ns}", new { collection = "root", writers = new[] { "admin" } })).EnsureSuccessStatusCode();
                var start = DateTimeOffset.UtcNow;
                // Cold pass first (creates the jobs and datasets, warms JIT and pools), then the measured warm pass.
                await LinksBenchmark.SingleEventsAsync(host, ns, events, 16, start);
                var before = sink.Requests;
                var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                await LinksBenchmark.SingleEventsAsync(host, ns, events, 16, start.AddMinutes(1), fresh: false);
                var rate = events / watch.Elapsed.TotalSeconds;
                process.Refresh();
                // CPU of this process (host and client; Azurite runs apart) per event: far less sensitive than the rate
                // to other work on a shared machine, and the client's share is the same in every configuration.
                var cpuPerEvent = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / events;
                Console.WriteLine($"tracing: round {round + 1}, {name}: {rate:N0} events/s, {cpuPerEvent:F2} CPU ms/event; OTLP exports received meanwhile: {sink.Requests - before}; load average {LoadAverage()}");
                rates[name].Add(rate);
                cpu[name].Add(cpuPerEvent);
            }
        }

        if (sink.Requests == 0)
        {
            throw new InvalidOperationException("The OTLP exporter sent nothing: the exporting configurations measured nothing.");
        }

        var off = rates[configurations[0].Name].Average();
        var offCpu = cpu[configurations[0].Name].Min();
        var figures = new List<Figure>();
        for (var i = 0; i < configurations.Length; i++)
        {
            var name = configurations[i].Name;
            figures.Add(new Figure("tracing", $"OpenLineage push, telemetry {name}: CPU per event (best of {Rounds} rounds)", cpu[name].Min(), "ms")
            {
                LowerIsBetter = true,
                Reference = i == 0 ? null : offCpu,
                ReferenceName = i == 0 ? null : "telemetry off",
            });
            figures.Add(new Figure("tracing", $"OpenLineage single events, 16 in flight, warm, telemetry {name} (mean of {Rounds} rounds)", rates[name].Average(), "events/s")
            {
                Reference = i == 0 ? null : off,
                ReferenceName = i == 0 ? null : "telemetry off",
            });
        }

        return figures;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    /// <summary>An OTLP/HTTP endpoint that answers 200 to every export and counts them.</summary>
    private sealed class OtlpSink : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private long _requests;

        private OtlpSink(WebApplication app) => _app = app;

        public string Endpoint { get; private set; } = string.Empty;

        public long Requests => Interlocked.Read(ref _requests);

        public static async Task<OtlpSink> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var sink = new OtlpSink(app);
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null);
                Interlocked.Increment(ref sink._requests);
                context.Response.ContentType = "application/x-protobuf";
            });
            await app.StartAsync();
            sink.Endpoint = app.Urls.First();
            return sink;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
