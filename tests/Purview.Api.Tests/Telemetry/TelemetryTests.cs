using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Purview.Api.Tests.Links;
using Purview.Api.Tests.ScanRuns;
using Purview.Core.Registry;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Telemetry;

/// <summary>
/// The hosts' OpenTelemetry wiring, read back through the SDK's in-memory exporters added to the host's own tracer and
/// meter providers. The app's ActivitySource and Meter are process-wide, so other tests running at the same time feed
/// the same instruments: traces are picked by ids only this test knows, and metric assertions are lower bounds on
/// the change this test made.
/// </summary>
public sealed class TelemetryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private sealed class Capture
    {
        public List<Activity> Activities { get; } = [];

        public List<Metric> Metrics { get; } = [];

        public void Configure(IServiceCollection services)
        {
            services.ConfigureOpenTelemetryTracerProvider(b => b.AddInMemoryExporter(Activities));
            services.ConfigureOpenTelemetryMeterProvider(b => b.AddInMemoryExporter(Metrics));
        }

        public Activity[] Snapshot()
        {
            lock (Activities)
            {
                return [.. Activities];
            }
        }

        /// <summary>Sum of a counter's points with these tags, after flushing the host's meter provider (cumulative).</summary>
        public long Sum(IServiceProvider services, string name, params (string Key, string Value)[] tags)
        {
            var provider = services.GetRequiredService<MeterProvider>();
            Metrics.Clear();
            provider.ForceFlush();
            long total = 0;
            foreach (var metric in Metrics.Where(m => m.Name == name))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var pointTags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        pointTags[tag.Key] = tag.Value;
                    }

                    if (tags.All(t => pointTags.TryGetValue(t.Key, out var v) && string.Equals(v?.ToString(), t.Value, StringComparison.Ordinal)))
                    {
                        total += metric.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
                    }
                }
            }

            return total;
        }
    }

    private static readonly Dictionary<string, string?> Enabled = new() { ["Telemetry:Enabled"] = "true" };

    [Fact]
    public async Task An_HTTP_request_is_traced_with_the_storage_calls_it_made_as_children_of_its_trace()
    {
        var capture = new Capture();
        await using var host = new TestHost(azurite, settings: Enabled, configureServices: capture.Configure);
        using var admin = host.Client("admin");
        var collection = "tel" + Guid.NewGuid().ToString("N")[..8];

        using var response = await admin.PutAsJsonAsync($"/account/collections/{collection}", new { friendlyName = collection, parentCollection = new { referenceName = "root" } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var request = await PollAsync(() => capture.Snapshot().FirstOrDefault(a =>
            a.Source.Name == "Microsoft.AspNetCore" && (a.GetTagItem("url.path") as string) == $"/account/collections/{collection}"));
        Assert.Equal("PUT", request.GetTagItem("http.request.method"));
        Assert.Equal((int)response.StatusCode, request.GetTagItem("http.response.status_code"));
        var storage = capture.Snapshot().Where(a => a.Source.Name == "Purview.Monitor" && a.TraceId == request.TraceId && a.DisplayName.StartsWith("storage table", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(storage);
        Assert.All(storage, a =>
        {
            Assert.Equal(ActivityKind.Client, a.Kind);
            Assert.NotNull(a.GetTagItem("http.response.status_code"));
            Assert.Equal(1, a.GetTagItem("purview.storage.attempts"));
        });
        Assert.True(capture.Sum(host.Services, "purview.storage.requests", ("service", "table")) >= storage.Count);
    }

    [Fact]
    public async Task An_OpenLineage_push_counts_accepted_duplicate_and_rejected_events()
    {
        var capture = new Capture();
        await using var links = await LinksHost.StartAsync(azurite, capture.Configure, Enabled);
        using var writer = links.Host.Client("ol-writer");
        var services = links.Host.Services;
        long Count(string outcome) => capture.Sum(services, "purview.links.events", ("source_type", "OpenLineage"), ("outcome", outcome));
        var (accepted0, duplicate0, rejected0) = (Count("accepted"), Count("duplicate"), Count("rejected"));

        var runId = Guid.NewGuid().ToString();
        var complete = LinksHost.RunEvent("COMPLETE", runId, LinksHost.Start.AddMinutes(5));
        var foreign = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(5), ns: "not-a-link");
        using (var first = await writer.PostAsJsonAsync("/api/v1/lineage", new[] { complete, foreign }))
        {
            Assert.True((int)first.StatusCode < 500, await first.Content.ReadAsStringAsync());
        }

        using (var again = await writer.PostAsJsonAsync("/api/v1/lineage", complete))
        {
            Assert.True(again.IsSuccessStatusCode, await again.Content.ReadAsStringAsync());
        }

        Assert.True(Count("accepted") - accepted0 >= 1);
        Assert.True(Count("duplicate") - duplicate0 >= 1);
        Assert.True(Count("rejected") - rejected0 >= 1);
        // The push's storage writes are traced under the request.
        var post = capture.Snapshot().Where(a => a.Source.Name == "Microsoft.AspNetCore" && (a.GetTagItem("url.path") as string) == "/api/v1/lineage").ToList();
        Assert.Contains(post, p => capture.Snapshot().Any(a => a.TraceId == p.TraceId && a.DisplayName.StartsWith("storage table POST", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_scan_run_traces_each_step_and_records_its_completion_and_phase_durations()
    {
        var container = UniqueName.Container("tel");
        var prefix = await ScanRunHost.UploadBlobsAsync(azurite.ScanAccount, container, 30);
        var registry = new InMemoryScanRegistry()
            .AddDataSource("blobs-tel", "AzureStorage", ScanRunHost.BlobEndpoint(azurite.ScanAccount), "sales")
            .AddScan("blobs-tel", "daily", filter: new ScanFilter([prefix], []));
        var capture = new Capture();
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?>(Enabled) { ["Workers:Enabled"] = "true", ["Workers:PollInterval"] = "00:00:00.050" },
            configureServices: s =>
            {
                s.AddSingleton<IScanRegistry>(registry);
                capture.Configure(s);
            });
        using var admin = host.Client("admin");
        using (var sales = await admin.PutAsJsonAsync("/account/collections/sales", new { friendlyName = "sales", parentCollection = new { referenceName = "root" } }))
        {
            Assert.True(sales.IsSuccessStatusCode, await sales.Content.ReadAsStringAsync());
        }

        var services = host.Services;
        var succeeded0 = capture.Sum(services, "purview.scan_runs.completed", ("status", "Succeeded"), ("source_kind", "AzureStorage"));
        var phases0 = capture.Sum(services, "purview.scan_run.phase.duration", ("phase", "ingestion"));

        var runId = Guid.NewGuid();
        using var put = await admin.PutAsync(new Uri($"{ScanRunHost.RunsPath("blobs-tel", "daily")}/{runId}?api-version=2023-09-01", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        var deadline = DateTime.UtcNow.AddMinutes(3);
        string? status;
        do
        {
            await Task.Delay(200);
            var (_, run) = await new ScanRunHostReader(admin).GetAsync("blobs-tel", "daily", runId);
            status = run.GetProperty("status").GetString();
        }
        while (status is not ("Succeeded" or "Failed" or "Canceled") && DateTime.UtcNow < deadline);
        Assert.Equal("Succeeded", status);

        var id = runId.ToString("D");
        List<Activity> Steps() => capture.Snapshot().Where(a => a.Source.Name == "Purview.Monitor" && (a.GetTagItem("purview.scan_run.id") as string) == id).ToList();
        // The run reads Succeeded as soon as the last step's write lands; that step's span ends (is exported) just after.
        await PollAsync(() => Steps().FirstOrDefault(s => (s.GetTagItem("purview.scan_run.step") as string) == "CompleteIngestion"));
        var steps = Steps();
        var names = steps.Select(s => s.GetTagItem("purview.scan_run.step") as string).ToHashSet();
        Assert.Contains("DiscoverPage", names);
        Assert.Contains("IngestPage", names);
        Assert.Contains("CompleteIngestion", names);
        Assert.All(steps, s => Assert.Equal("AzureStorage", s.GetTagItem("purview.source_kind")));
        // Storage calls made by a step are its children.
        var discover = steps.First(s => (s.GetTagItem("purview.scan_run.step") as string) == "DiscoverPage");
        Assert.Contains(capture.Snapshot(), a => a.ParentSpanId == discover.SpanId && a.DisplayName.StartsWith("storage ", StringComparison.Ordinal));

        Assert.True(capture.Sum(services, "purview.scan_runs.completed", ("status", "Succeeded"), ("source_kind", "AzureStorage")) - succeeded0 >= 1);
        Assert.True(capture.Sum(services, "purview.scan_run.phase.duration", ("phase", "ingestion")) - phases0 >= 1);
        Assert.True(capture.Sum(services, "purview.scan_run.admission.wait") >= 1);
    }

    [Fact]
    public async Task Without_an_exporter_or_Telemetry_Enabled_the_host_registers_no_SDK_so_nothing_listens()
    {
        await using var host = new TestHost(azurite);
        Assert.Null(host.Services.GetService<TracerProvider>());
        Assert.Null(host.Services.GetService<MeterProvider>());
    }

    private static async Task<Activity> PollAsync(Func<Activity?> find)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "The activity was not exported within 10 s.");
            await Task.Delay(20);
        }
    }

    private sealed class ScanRunHostReader(HttpClient client)
    {
        public async Task<(HttpStatusCode Status, System.Text.Json.JsonElement Body)> GetAsync(string ds, string scan, Guid runId)
        {
            using var response = await client.GetAsync(new Uri($"{ScanRunHost.RunsPath(ds, scan)}/{runId}?api-version=2023-09-01", UriKind.Relative));
            return (response.StatusCode, await ScanRunHost.ReadJsonAsync(response));
        }
    }
}
