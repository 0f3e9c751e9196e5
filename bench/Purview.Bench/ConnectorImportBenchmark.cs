using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Identity;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// Imports N items (3 participants each) through the local host's HTTP pipeline (in-process test server) into a
/// fresh Azurite, the body generated while it is sent; then generates that day's admin log. Prints items/s, the
/// log's generation time and the process's peak working set (client and server share the process).
/// </summary>
internal static class ConnectorImportBenchmark
{
    private const int Users = 1000;

    /// <summary>Placeholder until this benchmark returns its figures: runs it and reports its exit code only.</summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAsync(int items)
    {
        var code = await RunAsync(items);
        return [new Figure("connectors", "benchmark exit code (figures printed above)", code, "") { Target = "0", Met = code == 0 }];
    }

    public static async Task<int> RunAsync(int items)
    {
        Console.WriteLine($"Starting Azurite; importing {items:N0} items (3 participants each).");
        await using var azurite = await Azurite.StartAsync();
        // The in-process host looks for its content root next to the solution; point it at the project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_PURVIEW_LOCALHOST", Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"));
        await using var factory = new PurviewApplicationFactory(azurite.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Identity:Development:KeyPath"] = Path.Combine(Path.GetTempPath(), "purview-bench", Guid.NewGuid().ToString("N"), "devtoken.key"),
            ["RateLimiting:PermitsPerSecond"] = "100000",
            ["Jobs:Enabled"] = "false",
        });
        using var client = factory.CreateClient();
        client.Timeout = TimeSpan.FromHours(2);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue("admin"));

        (await client.PutAsJsonAsync("/connectors/bench", new { name = "bench", sourceType = "Generic" })).EnsureSuccessStatusCode();
        (await client.PutAsJsonAsync("/connectors/bench/user-mappings",
            new { mappings = Enumerable.Range(0, Users).Select(u => new { sourceUserId = $"user{u}", userPrincipalName = $"user{u}@contoso.com" }) })).EnsureSuccessStatusCode();

        var started = Stopwatch.GetTimestamp();
        using var content = new ItemsContent(items);
        using var response = await client.PostAsync(new Uri("/connectors/bench/imports", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (response.StatusCode != HttpStatusCode.Created)
        {
            Console.Error.WriteLine($"import failed: {(int)response.StatusCode} {text}");
            return 1;
        }

        Console.WriteLine($"import: {items:N0} items ({items * 3L:N0} copies) in {seconds:F1} s = {items / seconds:N0} items/s");
        Console.WriteLine($"summary: {text}");
        Console.WriteLine($"peak working set after import: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):N0} MB");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // The generation's own memory: the import's garbage is collected first, then the process's working set and
        // the GC heap are sampled every 10 ms while the log is generated (the host runs in this process; the client
        // side of this request is one small POST). Reported as the peak during generation and its rise over the start.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var startWorkingSet = process.WorkingSet64;
        var startHeap = GC.GetTotalMemory(false);
        var startAllocated = GC.GetTotalAllocatedBytes();
        long peakWorkingSet = startWorkingSet;
        long peakHeap = startHeap;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                try
                {
                    await Task.Delay(10, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        started = Stopwatch.GetTimestamp();
        using var generate = await client.PostAsync(new Uri($"/connectors/admin-logs:generate?date={today}", UriKind.Relative), null);
        var generated = await generate.Content.ReadAsStringAsync();
        seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        generate.EnsureSuccessStatusCode();
        var size = JsonDocument.Parse(generated).RootElement.GetProperty("value")[0].GetProperty("sizeBytes").GetInt64();
        const double Mb = 1024.0 * 1024;
        Console.WriteLine($"admin log: {size:N0} bytes in {seconds:F1} s");
        Console.WriteLine($"during generation: working set {startWorkingSet / Mb:N0} MB at start, peak {peakWorkingSet / Mb:N0} MB (+{(peakWorkingSet - startWorkingSet) / Mb:N0} MB); " +
                          $"GC heap {startHeap / Mb:N0} MB at start, peak {peakHeap / Mb:N0} MB (+{(peakHeap - startHeap) / Mb:N0} MB); allocated {(GC.GetTotalAllocatedBytes() - startAllocated) / Mb:N0} MB");
        Console.WriteLine($"whole process peak working set (import included): {process.PeakWorkingSet64 / Mb:N0} MB");
        return 0;
    }

    /// <summary>The import body, written as it is sent: every 200th item is over 10 MB (failed details in the log), every 50th has a blocked attachment.</summary>
    private sealed class ItemsContent : HttpContent
    {
        private readonly int items;

        public ItemsContent(int items)
        {
            this.items = items;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            await writer.WriteAsync("{\"items\":[");
            for (var i = 0; i < items; i++)
            {
                var size = i % 200 == 0 ? 11_000_000 : 4096;
                var attachments = i % 50 == 0 ? "[{\"name\":\"run.exe\",\"sizeBytes\":100}]" : "[]";
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(i == 0 ? "" : ",")}{{\"itemId\":\"msg-{i:D8}\",\"sender\":\"user{i % Users}\",\"recipients\":[\"user{(i + 1) % Users}\",\"user{(i + 2) % Users}\"],\"sizeBytes\":{size},\"attachments\":{attachments},\"timestamp\":\"2026-11-21T09:00:00Z\"}}"));
            }

            await writer.WriteAsync("]}");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
