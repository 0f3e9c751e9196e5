using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Purview.Storage.Client;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// ./bench.sh soak [--minutes N]: the local host as its own process over its own Azurite, under a mixed load for N
/// minutes (default 10): OpenLineage pushes, native activity-run pushes, connector imports, scan runs of a small
/// container, and the monitoring queries people poll. Prints, per minute, the requests sent, the failed ones and the
/// host's working set; exits 1 if any request failed or the last minute's working set is more than 25% above the first's.
/// </summary>
internal static class SoakBenchmark
{
    private const int Workers = 6;

    public static async Task<int> RunAsync(int minutes)
    {
        await using var azurite = await Azurite.StartAsync();
        var options = HostProcessOptions.For(azurite, new Dictionary<string, string>
        {
            ["Jobs:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await using var host = await HostProcess.StartAsync(options);
        using var admin = host.Client();
        var container = "soak-" + Guid.NewGuid().ToString("N")[..8];
        await SetUpAsync(azurite, admin, container);
        Console.WriteLine($"soak: host pid ready on {host.BaseAddress}, {minutes} min, {Workers} workers; working set at start {Mb(host.WorkingSetBytes)} MB");

        long sent = 0, failed = 0;
        var failures = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var samples = new List<(int Minute, long Sent, long Failed, long WorkingSet)>();
        var sampler = Task.Run(async () =>
        {
            for (var minute = 1; minute <= minutes; minute++)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                var ws = host.WorkingSetBytes;
                samples.Add((minute, Interlocked.Read(ref sent), Interlocked.Read(ref failed), ws));
                Console.WriteLine($"soak: minute {minute,2}: {Interlocked.Read(ref sent),8:N0} requests, {Interlocked.Read(ref failed)} failed, working set {Mb(ws)} MB");
            }
        });

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                var (label, request) = NextRequest(w, i++, container, azurite);
                try
                {
                    using var response = await admin.SendAsync(request, stop.Token);
                    Interlocked.Increment(ref sent);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed);
                        var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                        lock (failures)
                        {
                            failures.Add($"{label}: {(int)response.StatusCode} {body}");
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref failed);
                    lock (failures)
                    {
                        failures.Add($"{label}: {ex.Message}");
                    }
                }
                finally
                {
                    request.Dispose();
                }
            }
        })).ToList();

        await Task.WhenAll(workers);
        await sampler;
        var first = samples.First();
        var last = samples.Last();
        var growth = (double)last.WorkingSet / first.WorkingSet;
        Console.WriteLine($"soak: {sent:N0} requests in {minutes} min ({sent / (minutes * 60.0):F0}/s), {failed} failed; working set first minute {Mb(first.WorkingSet)} MB, last minute {Mb(last.WorkingSet)} MB ({growth:F2}x)");
        foreach (var failure in failures.Take(10))
        {
            Console.WriteLine("soak: failed " + failure);
        }

        var ok = failed == 0 && growth <= 1.25 && !host.HasExited;
        Console.WriteLine(ok ? "soak: PASS (no failed request, memory flat)" : "soak: FAIL");
        return ok ? 0 : 1;
    }

    private static (string Label, HttpRequestMessage Request) NextRequest(int worker, int i, string container, Azurite azurite)
    {
        var now = DateTimeOffset.UtcNow;
        var id = $"{worker}-{i}";
        switch ((worker + i) % 10)
        {
            case 0:
            case 1:
            case 2:
                var events = Enumerable.Range(0, 20).Select(k => OpenLineageEvent($"{id}-{k}", now)).ToArray();
                return ("openlineage", new HttpRequestMessage(HttpMethod.Post, "/api/v1/lineage") { Content = JsonContent.Create(events) });
            case 3:
                return ("activity run", new HttpRequestMessage(HttpMethod.Post, "/links/AzureDataFactory/soak-adf/activityruns") { Content = JsonContent.Create(ActivityRun(id, now)) });
            case 4:
                var items = Enumerable.Range(0, 50).Select(k => new { itemId = $"item-{id}-{k}", sender = $"u{k % 5}", recipients = new[] { $"u{(k + 1) % 5}", $"u{(k + 2) % 5}" }, sizeBytes = 2048, timestamp = now });
                return ("import", new HttpRequestMessage(HttpMethod.Post, "/connectors/soak-slack/imports") { Content = JsonContent.Create(new { items }) });
            case 5 when i % 20 == 0:
                return ("scan run", new HttpRequestMessage(HttpMethod.Put, $"/scan/datasources/soak-blobs/scans/soak/runs/{Guid.NewGuid()}?api-version=2023-09-01"));
            case 5:
            case 6:
                return ("scan summary", new HttpRequestMessage(HttpMethod.Get, "/monitoring/scanruns/summary?period=30d&granularity=day"));
            case 7:
                return ("link summary", new HttpRequestMessage(HttpMethod.Get, "/monitoring/links/summary?period=7d"));
            case 8:
                return ("scan history", new HttpRequestMessage(HttpMethod.Get, "/scan/datasources/soak-blobs/scans/soak/runs?api-version=2023-09-01"));
            default:
                return ("links list", new HttpRequestMessage(HttpMethod.Get, "/monitoring/links?period=7d"));
        }
    }

    private static async Task SetUpAsync(Azurite azurite, HttpClient admin, string container)
    {
        var blobs = StorageClients.Blobs(azurite.ScanAccount, new StorageClientOptions()).GetBlobContainerClient(container);
        await blobs.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await blobs.GetBlobClient($"d{i % 4}/f{i}.txt").UploadAsync(BinaryData.FromString($"row {i}"), ct));
        var endpoint = azurite.ScanAccount.BlobEndpoint.AbsoluteUri.TrimEnd('/');
        await PutAsync(admin, "/scan/datasources/soak-blobs", new { kind = "AzureStorage", properties = new { endpoint, collection = new { referenceName = "root" } } });
        await PutAsync(admin, "/scan/datasources/soak-blobs/scans/soak", new { kind = "AzureStorageMsi", properties = new { } });
        await PutAsync(admin, "/scan/datasources/soak-blobs/scans/soak/filters/custom", new { properties = new { includeUriPrefixes = new[] { $"{endpoint}/{container}/" } } });
        await PutAsync(admin, "/links/OpenLineage/soak-ns", new { collection = "root", writers = new[] { "admin" } });
        await PutAsync(admin, "/links/AzureDataFactory/soak-adf", new { collection = "root", writers = new[] { "admin" } });
        await PutAsync(admin, "/connectors/settings", new { auditingEnabled = true });
        await PutAsync(admin, "/connectors/soak-slack", new { name = "Soak Slack", sourceType = "Slack" });
        await PutAsync(admin, "/connectors/soak-slack/user-mappings", new { mappings = Enumerable.Range(0, 5).Select(u => new { sourceUserId = $"u{u}", userPrincipalName = $"user{u}@contoso.com" }) });
    }

    private static async Task PutAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static Dictionary<string, object> OpenLineageEvent(string id, DateTimeOffset at) => new Dictionary<string, object>
    {
        ["eventType"] = "COMPLETE",
        ["eventTime"] = at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["run"] = new { runId = DeterministicGuid(id), facets = new { parent = new { run = new { runId = DeterministicGuid("p" + id) }, job = new { @namespace = "soak-ns", name = "dag" + (id.Length % 7) } } } },
        ["job"] = new { @namespace = "soak-ns", name = "task" + (id.Length % 13) },
        ["inputs"] = new[] { new { @namespace = "postgres://db:5432", name = "public.a" + (id.Length % 50) }, new { @namespace = "postgres://db:5432", name = "public.b" } },
        ["outputs"] = new[] { new { @namespace = "s3://lake", name = "out/" + (id.Length % 50) } },
        ["producer"] = "https://example.com/soak",
        ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    };

    private static object ActivityRun(string id, DateTimeOffset at) => new
    {
        pipelineName = "soak-pipeline",
        activityName = "copy" + (id.Length % 5),
        activityType = "Copy",
        activityRunId = "ar-" + id,
        pipelineRunId = "pr-" + id,
        status = "Succeeded",
        start = at.AddMinutes(-1),
        end = at,
        inputs = new[] { new { qualifiedName = "https://acct.blob.core.windows.net/raw/in.csv", type = "azure_blob_path", name = "in.csv" } },
        outputs = new[] { new { qualifiedName = "https://acct.blob.core.windows.net/curated/out.csv", type = "azure_blob_path", name = "out.csv" } },
    };

    private static string DeterministicGuid(string text) => new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)).AsSpan(0, 16)).ToString();

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);
}
