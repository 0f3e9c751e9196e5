using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Classification;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Storage.Client;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// ./bench.sh classify [--files N]: classification throughput of a full scan of N CSV files (MB/s of sampled data,
/// assets/s), next to the same scan under a rule set that samples nothing (listing + staging + ingestion only) and to
/// the classifier alone in memory; then the sampler's memory on generated 1 MB and 1 GB streams.
/// </summary>
internal static class ClassifyBenchmark
{
    private const int UploadConcurrency = 32;
    private const int RowsPerFile = 20;

    public static async Task<int> RunAsync(int files)
    {
        var figures = await MeasureAsync(files);
        return Report.Print(figures) ? 0 : 1;
    }

    /// <summary>The classification figures (section "classify"); throws if the scan did not classify every file.</summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAsync(int files)
    {
        var memory = await SamplerMemoryAsync();
        Console.WriteLine($"Starting Azurite; {files:N0} CSV files.");
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            var registry = new InMemoryScanRegistry();
            var settings = new Dictionary<string, string?>
            {
                ["Workers:Enabled"] = "true",
                ["Logging:LogLevel:Default"] = "Warning",
                ["contentRoot"] = Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost"),
            };
            await using var host = new TestHost(azurite, null, settings, services => services.AddSingleton<IScanRegistry>(registry));
            using var admin = host.Client("admin");
            var rules = host.Services.GetRequiredService<IClassificationRuleStore>();
            var at = DateTimeOffset.UtcNow;
            await rules.PutRulesetAsync(new ScanRuleset("no-sampling", "AzureStorage", false, null, [], [], ["TXT"], [], 1, at, at), default);

            var containerName = UniqueName.Container("classify");
            var container = StorageClients.Blobs(azurite.ScanAccount, new StorageClientOptions()).GetBlobContainerClient(containerName);
            await container.CreateAsync();
            var sample = Csv(0);
            Console.WriteLine($"Uploading {files:N0} files of {sample.Length:N0} bytes, {UploadConcurrency} in flight...");
            long bytes = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, files), new ParallelOptions { MaxDegreeOfParallelism = UploadConcurrency }, async (i, ct) =>
            {
                var text = Csv(i);
                Interlocked.Add(ref bytes, Encoding.UTF8.GetByteCount(text));
                // Names without digits: every file is its own asset, not a member of one resource set.
                await container.GetBlobClient($"people/{Letters(i)}.csv").UploadAsync(BinaryData.FromString(text), ct);
            });

            var endpoint = azurite.ScanAccount.BlobEndpoint.AbsoluteUri.TrimEnd('/');
            registry.AddDataSource("bench", "AzureStorage", endpoint, "root");
            registry.AddScan("bench", "classify", filter: new ScanFilter([endpoint + "/" + containerName + "/"], []));
            registry.AddScan("bench", "reference", filter: new ScanFilter([endpoint + "/" + containerName + "/"], []));
            registry.SetRuleset("bench", "reference", "no-sampling");

            var reference = await ScanAsync(admin, "reference");
            var ours = await ScanAsync(admin, "classify");
            var inMemory = ClassifierAlone(files, bytes);

            var mb = bytes / 1_048_576.0;
            Console.WriteLine();
            Console.WriteLine($"{"measurement",-62} {"value",14}");
            Console.WriteLine($"{"files / sampled bytes",-62} {files,7:N0} / {mb:F1} MB");
            Console.WriteLine($"{"scan phase with classification: s (assets classified)",-62} {ours.ScanSeconds,8:F1} ({ours.Classified:N0})");
            Console.WriteLine($"{"  classification throughput: MB/s sampled, assets/s",-62} {mb / ours.ScanSeconds,8:F2} {ours.Classified / ours.ScanSeconds,8:N0}");
            Console.WriteLine($"{"reference: scan phase without sampling, s (assets/s)",-62} {reference.ScanSeconds,8:F1} ({files / reference.ScanSeconds:N0})");
            Console.WriteLine($"{"classifier alone in memory: MB/s, assets/s",-62} {inMemory.MbPerSecond,8:F1} {inMemory.AssetsPerSecond,8:N0}");
            Console.WriteLine($"{"whole run with classification / reference, s",-62} {ours.TotalSeconds,8:F1} / {reference.TotalSeconds:F1}");
            foreach (var m in memory)
            {
                Console.WriteLine($"{$"sampler on a generated {m.Label} stream: read, allocated, peak managed heap",-62} {m.BytesRead / 1024.0:N0} KiB, {m.Allocated / 1_048_576.0:F1} MiB, {m.PeakHeap / 1_048_576.0:F1} MiB");
            }

            Console.WriteLine(JsonSerializer.Serialize(new
            {
                files, sampledMb = Math.Round(mb, 2), scanSeconds = Math.Round(ours.ScanSeconds, 2), classified = ours.Classified,
                mbPerSecond = Math.Round(mb / ours.ScanSeconds, 3), assetsPerSecond = Math.Round(ours.Classified / ours.ScanSeconds, 1),
                referenceScanSeconds = Math.Round(reference.ScanSeconds, 2), classifierAloneMbPerSecond = Math.Round(inMemory.MbPerSecond, 1),
                memory,
            }));
            if (ours.Classified != files)
            {
                throw new InvalidOperationException($"The scan classified {ours.Classified} of {files} files.");
            }

            var figures = new List<Figure>
            {
                new("classify", $"scan phase with sampling + classification, {files:N0} CSV files ({mb:F1} MB)", files / ours.ScanSeconds, "assets/s")
                {
                    Reference = files / reference.ScanSeconds,
                    ReferenceName = "the same scan without sampling",
                },
                new("classify", "classification throughput (sampled data over the scan phase)", mb / ours.ScanSeconds, "MB/s"),
                new("classify", "classifier alone, in memory", inMemory.AssetsPerSecond, "assets/s"),
            };
            figures.AddRange(memory.Select(m => new Figure("classify", $"sampler on a generated {m.Label} stream: peak managed heap ({m.BytesRead / 1024.0:N0} KiB read)", m.PeakHeap / 1_048_576.0, "MiB")));
            return figures;
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private sealed record ScanTimes(double ScanSeconds, double TotalSeconds, long Classified);

    public sealed record MemoryResult(string Label, long BytesRead, long Allocated, long PeakHeap);

    private static async Task<ScanTimes> ScanAsync(HttpClient admin, string scan)
    {
        var id = Guid.NewGuid();
        var started = Stopwatch.StartNew();
        var put = await admin.PutAsync(new Uri($"/scan/datasources/bench/scans/{scan}/runs/{id}?api-version=2023-09-01", UriKind.Relative), null);
        put.EnsureSuccessStatusCode();
        while (true)
        {
            await Task.Delay(250);
            var run = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/scan/datasources/bench/scans/{scan}/runs/{id}?api-version=2023-09-01", UriKind.Relative));
            var status = run.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Canceled")
            {
                var d = run.GetProperty("discoveryExecutionDetails");
                var seconds = (d.GetProperty("discoveryEndTime").GetDateTimeOffset() - d.GetProperty("discoveryStartTime").GetDateTimeOffset()).TotalSeconds;
                Console.WriteLine($"  {scan}: {status} in {started.Elapsed.TotalSeconds:F1} s (scan phase {seconds:F1} s)");
                return new ScanTimes(seconds, started.Elapsed.TotalSeconds, d.GetProperty("statistics").GetProperty("assets").GetProperty("classified").GetInt64());
            }
        }
    }

    private static (double MbPerSecond, double AssetsPerSecond) ClassifierAlone(int files, long bytes)
    {
        var classifier = ScanRuleset.System("AzureStorage").Classifier([]);
        var samples = Enumerable.Range(0, Math.Min(files, 2000)).Select(i => FileSampler.Sample(Encoding.UTF8.GetBytes(Csv(i)), true, SampleFormat.Delimited, ',', SamplingLimits.Default)).ToList();
        var watch = Stopwatch.StartNew();
        var n = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            classifier.Classify(samples[n++ % samples.Count]);
        }

        var perFile = bytes / (double)files;
        return (n * perFile / 1_048_576.0 / watch.Elapsed.TotalSeconds, n / watch.Elapsed.TotalSeconds);
    }

    private static async Task<List<MemoryResult>> SamplerMemoryAsync()
    {
        var results = new List<MemoryResult>();
        foreach (var (label, length) in new[] { ("1 MB", 1_000_000L), ("1 GB", 1_000_000_000L) })
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            await using var stream = new GeneratedCsvStream(length);
            long peak = 0;
            using var timer = new Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline), null, 0, 1);
            await FileSampler.SampleAsync(stream, SampleFormat.Delimited, ',', SamplingLimits.Default, default);
            peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
            results.Add(new MemoryResult(label, stream.BytesRead, GC.GetTotalAllocatedBytes(precise: true) - before, peak));
        }

        return results;
    }

    private static string Csv(int i)
    {
        var text = new StringBuilder("id,email,card,ip,note\n");
        for (var r = 0; r < RowsPerFile; r++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i * RowsPerFile) + r},user{r}.{i}@example.com,4111111111111111,10.{i % 250}.{r}.1,some free text {r}\n");
        }

        return text.ToString();
    }

    private static string Letters(int i)
    {
        var s = new StringBuilder("f");
        do
        {
            s.Append((char)('a' + (i % 26)));
            i /= 26;
        }
        while (i > 0);
        return s.ToString();
    }

    /// <summary>A CSV of any length generated on the fly: nothing of it is held in memory.</summary>
    private sealed class GeneratedCsvStream(long length) : Stream
    {
        private static readonly byte[] Line = Encoding.ASCII.GetBytes("12345,ada@example.com,4111111111111111,10.0.0.1,text\n");

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            for (var k = 0; k < n; k++)
            {
                buffer[offset + k] = Line[(BytesRead + k) % Line.Length];
            }

            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
