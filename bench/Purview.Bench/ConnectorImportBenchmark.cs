using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// Imports N items (3 participants each) through HTTP into the local host running as its own process over an
/// in-memory Azurite, the body generated while it is sent; then stops that host, starts a fresh one on the same
/// storage and has it generate that day's admin log, sampling its resident memory. The fresh process makes the
/// memory figure the generation's own plus an idle host's, not what the import left behind.
/// </summary>
internal static class ConnectorImportBenchmark
{
    private const int Users = 1000;
    private const double Mb = 1024.0 * 1024;
    private const double MemoryTargetMb = 256;

    public static async Task<int> RunAsync(int items)
    {
        var figures = await MeasureAsync(items);
        return Report.Print(figures) ? 0 : 1;
    }

    public static async Task<IReadOnlyList<Figure>> MeasureAsync(int items)
    {
        Console.WriteLine($"connectors: starting Azurite (in memory, 12 GB Node heap); importing {items:N0} items (3 participants each)");
        await using var azurite = await Azurite.StartLargeAsync(12_288);
        var js = await TableInsertBenchmark.JsBatchRateAsync(azurite.ConnectionString, 20_000);
        Console.WriteLine($"connectors: JS reference (@azure/data-tables, transactions of 100, 4 in flight): {js:N0} entities/s");

        var options = HostProcessOptions.For(azurite, new Dictionary<string, string> { ["Jobs:Enabled"] = "false" });
        var (seconds, importPeak) = await ImportAsync(options, items);
        var copies = items * 3L;
        Console.WriteLine($"connectors: imported {items:N0} items ({copies:N0} copies) in {seconds:F1} s = {items / seconds:N0} items/s; importing host's peak resident memory {importPeak / Mb:N0} MB");

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var generation = await GenerateInFreshHostAsync(options, today, items);

        var figures = new List<Figure>
        {
            new("connectors", $"import of {items:N0} items through HTTP (3 participants each)", items / seconds, "items/s"),
            new("connectors", $"import: copies classified and stored ({copies:N0})", copies / seconds, "copies/s")
            {
                Reference = js,
                ReferenceUnit = "entities/s",
                ReferenceName = "JS transactions of 100",
            },
            new("connectors", "import: peak resident memory of the importing host process", importPeak / Mb, "MB"),
            new("connectors", $"admin log of that day ({generation.Bytes:N0} bytes, {generation.FailedLines:N0} failed-item lines): generation time", generation.Seconds, "s"),
            new("connectors", "admin log: peak resident memory of a fresh host process during generation", generation.PeakDuring / Mb, "MB")
            {
                Target = $"< {MemoryTargetMb:0} MB",
                Met = generation.PeakDuring / Mb < MemoryTargetMb,
            },
            new("connectors", "admin log: that process's peak resident memory since it started (VmHWM)", generation.PeakSinceStart / Mb, "MB")
            {
                Target = $"< {MemoryTargetMb:0} MB",
                Met = generation.PeakSinceStart / Mb < MemoryTargetMb,
            },
        };
        return figures;
    }

    private static async Task<(double Seconds, long PeakWorkingSet)> ImportAsync(HostProcessOptions options, int items)
    {
        await using var host = await HostProcess.StartAsync(options);
        using var client = host.Client();
        client.Timeout = TimeSpan.FromHours(3);
        await PutAsync(client, "/connectors/bench", new { name = "bench", sourceType = "Generic" });
        await PutAsync(client, "/connectors/bench/user-mappings",
            new { mappings = Enumerable.Range(0, Users).Select(u => new { sourceUserId = $"user{u}", userPrincipalName = $"user{u}@contoso.com" }) });

        var watch = Stopwatch.StartNew();
        using var content = new ItemsContent(items);
        using var done = new CancellationTokenSource();
        // The import is one long request: say what is going on every 30 s (the body is sent first, then processed).
        var heartbeat = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), done.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Console.WriteLine($"connectors: {watch.Elapsed.TotalSeconds,6:F0} s: {content.Sent:N0} of {items:N0} items sent; host working set {host.WorkingSetBytes / Mb:N0} MB; load average {SuiteBenchmark.LoadAverage()}");
            }
        });
        using var response = await client.PostAsync(new Uri("/connectors/bench/imports", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        await done.CancelAsync();
        await heartbeat;
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"The import answered {(int)response.StatusCode}: {text}");
        }

        // Outside the timing: every counter must be exactly what the generated items make.
        var summary = JsonDocument.Parse(text).RootElement;
        var expected = Expected(items);
        foreach (var (name, value) in expected)
        {
            if (summary.GetProperty(name).GetInt64() != value)
            {
                throw new InvalidOperationException($"The import's {name} is {summary.GetProperty(name).GetInt64()}, expected {value}: {text}");
            }
        }

        Console.WriteLine($"connectors: summary {text}");
        return (seconds, host.PeakWorkingSetBytes);
    }

    private sealed record Generation(double Seconds, long Bytes, long FailedLines, long PeakDuring, long PeakSinceStart);

    private static async Task<Generation> GenerateInFreshHostAsync(HostProcessOptions options, string day, int items)
    {
        await using var host = await HostProcess.StartAsync(options);
        using var client = host.Client();
        client.Timeout = TimeSpan.FromHours(1);
        // Let the fresh host settle (startup work, first GC) so that the figure is the generation's and an idle host's.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idle = host.WorkingSetBytes;
        long peak = idle;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, host.WorkingSetBytes);
                try
                {
                    await Task.Delay(10, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var watch = Stopwatch.StartNew();
        using var generate = await client.PostAsync(new Uri($"/connectors/admin-logs:generate?date={day}", UriKind.Relative), null);
        var generated = await generate.Content.ReadAsStringAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        if (!generate.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Generating the admin log answered {(int)generate.StatusCode}: {generated}");
        }

        var sinceStart = host.PeakWorkingSetBytes;
        var size = JsonDocument.Parse(generated).RootElement.GetProperty("value").EnumerateArray()
            .Single(l => l.GetProperty("connectorId").GetString() == "bench").GetProperty("sizeBytes").GetInt64();
        Console.WriteLine($"connectors: admin log {size:N0} bytes in {seconds:F2} s; fresh host working set {idle / Mb:N0} MB idle, peak {peak / Mb:N0} MB during generation, VmHWM {sinceStart / Mb:N0} MB");

        // Outside the timing: the file as downloaded holds the import's counters and one line per failed copy.
        var lines = 0L;
        var failedLines = 0L;
        string? summaryRow = null;
        await using (var stream = await client.GetStreamAsync(new Uri($"/connectors/bench/admin-logs/{day}", UriKind.Relative)))
        using (var reader = new StreamReader(stream))
        {
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null)
            {
                lines++;
                if (lines == 2)
                {
                    summaryRow = line;
                }

                if (line.EndsWith(",Item size exceeded", StringComparison.Ordinal))
                {
                    failedLines++;
                }
            }
        }

        var expected = Expected(items);
        var counters = string.Join(',', new[] { "itemsAvailableFromSource", "itemsAvailableForImport", "itemsImportedSuccessfully", "itemsPartiallyImported", "itemsSkipped", "itemsFailed" }
            .Select(k => expected[k].ToString(CultureInfo.InvariantCulture)));
        if (summaryRow is null || !summaryRow.EndsWith("," + counters, StringComparison.Ordinal) || failedLines != expected["itemsFailed"])
        {
            throw new InvalidOperationException($"The admin log does not match the import: summary row '{summaryRow}' (expected counters {counters}), {failedLines} failed lines (expected {expected["itemsFailed"]}).");
        }

        return new Generation(seconds, size, failedLines, peak, sinceStart);
    }

    /// <summary>The counters the generated items must give: every 200th item is over 10 MB (3 failed copies), every other 50th has a blocked attachment (3 partial copies).</summary>
    private static Dictionary<string, long> Expected(int items)
    {
        long oversized = 0, partial = 0;
        for (var i = 0; i < items; i++)
        {
            if (i % 200 == 0)
            {
                oversized++;
            }
            else if (i % 50 == 0)
            {
                partial++;
            }
        }

        return new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["itemsAvailableFromSource"] = items,
            ["itemsAvailableForImport"] = items * 3L,
            ["itemsImportedSuccessfully"] = (items - oversized - partial) * 3,
            ["itemsPartiallyImported"] = partial * 3,
            ["itemsSkipped"] = 0,
            ["itemsFailed"] = oversized * 3,
        };
    }

    private static async Task PutAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The import body, written as it is sent: every 200th item is over 10 MB (failed details in the log), every 50th has a blocked attachment.</summary>
    private sealed class ItemsContent : HttpContent
    {
        private readonly int items;
        private int sent;

        public ItemsContent(int items)
        {
            this.items = items;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        public int Sent => Volatile.Read(ref sent);

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
                Volatile.Write(ref sent, i + 1);
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
