using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>
/// Inserts into one Azurite with our <see cref="EntityTable"/> adapter (over the official .NET SDK, made by
/// <see cref="StorageClients"/> as the app makes it) and with @azure/data-tables: single inserts (8 in flight, 1,000
/// partitions) and 100-entity transactions (a new partition each, 4 in flight). Fresh table per measurement,
/// a warm-up per client, median of 3, with the two clients alternating first so Azurite's drift hits both alike.
/// </summary>
internal static class TableInsertBenchmark
{
    private const int Repetitions = 3;
    private const int SingleConcurrency = 8;
    private const int BatchConcurrency = 4;

    public static async Task<int> RunAsync(int entities)
    {
        var figures = await MeasureAsync(entities);
        return Report.Print(figures) ? 0 : 1;
    }

    /// <summary>
    /// The reference of the whole suite (section "storage"): the official JS client's single and batched insert rates on
    /// this machine's Azurite, and ours next to them.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> MeasureAsync(int entities)
    {
        Console.WriteLine($"Starting Azurite; {entities:N0} entities per measurement, median of {Repetitions}.");
        await using var azurite = await Azurite.StartAsync();
        var service = StorageClients.Tables(azurite.Account, new StorageClientOptions());

        // Warm-up: our JIT (tiered compilation needs a few thousand calls), the connection pool, and Azurite's own
        // JIT, which otherwise makes whichever client runs first look slow. The JS script warms its process itself.
        Console.WriteLine("Warming up...");
        for (var i = 0; i < 2; i++)
        {
            await OursAsync(service, "single", Math.Min(1000, entities), 1_000_000);
            await OursAsync(service, "batch", Math.Min(1000, entities), 1_000_000);
            await JsAsync(azurite.ConnectionString, "single", Math.Min(1000, entities));
            await JsAsync(azurite.ConnectionString, "batch", Math.Min(1000, entities));
        }

        var results = new Dictionary<string, List<double>>();
        void Record(string key, double value) => (results.TryGetValue(key, out var list) ? list : results[key] = []).Add(value);

        for (var rep = 0; rep < Repetitions; rep++)
        {
            foreach (var mode in new[] { "single", "batch" })
            {
                var oursFirst = rep % 2 == 0;
                for (var k = 0; k < 2; k++)
                {
                    if ((k == 0) == oursFirst)
                    {
                        var ours = await OursAsync(service, mode, entities, 0);
                        Record("ours-" + mode, ours);
                        Console.WriteLine($"  rep {rep + 1} {mode,-6} ours {ours,9:N0} entities/s");
                    }
                    else
                    {
                        var js = await JsAsync(azurite.ConnectionString, mode, entities);
                        Record("js-" + mode, js);
                        Console.WriteLine($"  rep {rep + 1} {mode,-6} js   {js,9:N0} entities/s");
                    }
                }
            }
        }

        var figures = new List<Figure>();
        foreach (var (mode, label, target) in new[]
                 {
                     ("single", $"single inserts, {SingleConcurrency} in flight, 1,000 partitions", 0.9),
                     ("batch", $"transactions of 100, {BatchConcurrency} in flight", 0.8),
                 })
        {
            var js = Median(results["js-" + mode]);
            figures.Add(new Figure("storage", $"reference: official JS client (@azure/data-tables), {label}", js, "entities/s"));
            var ours = Median(results["ours-" + mode]);
            figures.Add(new Figure("storage", $"our storage layer (EntityTable on Azure.Data.Tables), {label}", ours, "entities/s")
            {
                Reference = js,
                ReferenceName = "JS, same",
                Target = ">= " + target.ToString("F1", CultureInfo.InvariantCulture) + "x",
                Met = ours / js >= target,
            });
        }

        return figures;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The same ~10 mixed-type properties as bench/js/tables-insert.cjs.</summary>
    private static TableEntity Entity(string pk, string rk, int i) => new(pk, rk)
    {
        ["Name"] = "entity-" + i.ToString(CultureInfo.InvariantCulture),
        ["Description"] = "A benchmark entity with a medium-length description text.",
        ["Count"] = i,
        ["Big"] = 10_000_000_000L + i,
        ["Ratio"] = i + 0.25,
        ["Score"] = 0.5,
        ["Flag"] = i % 2 == 0,
        ["When"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i),
        ["Id"] = Guid.Parse("0f8fad5b-d9cb-469f-a165-" + i.ToString("D12", CultureInfo.InvariantCulture)),
        ["Payload"] = Enumerable.Repeat((byte)(i % 256), 16).ToArray(),
    };

    private static async Task<double> OursAsync(TableServiceClient service, string mode, int entities, int offset)
    {
        var table = new EntityTable(service, UniqueName.Table("bench"));
        await table.CreateIfNotExistsAsync();
        var stopwatch = Stopwatch.StartNew();
        if (mode == "single")
        {
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, SingleConcurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < entities)
                {
                    var n = offset + i;
                    await table.AddEntityAsync(Entity("p" + (n % 1000).ToString(CultureInfo.InvariantCulture), "r" + n.ToString(CultureInfo.InvariantCulture), n));
                }
            }));
        }
        else
        {
            var batches = (entities + 99) / 100;
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, BatchConcurrency).Select(async _ =>
            {
                int b;
                while ((b = Interlocked.Increment(ref next)) < batches)
                {
                    var pk = "b" + (offset + b).ToString(CultureInfo.InvariantCulture);
                    var actions = new List<TableTransactionAction>(100);
                    for (var r = 0; r < 100 && (b * 100) + r < entities; r++)
                    {
                        actions.Add(new(TableTransactionActionType.Add, Entity(pk, "r" + r.ToString(CultureInfo.InvariantCulture), (b * 100) + r)));
                    }

                    await table.SubmitTransactionAsync(actions);
                }
            }));
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        // Outside the timing: a fast run that lost writes would be worthless.
        var stored = await table.QueryAsync(select: ["Count"]).CountAsync();
        if (stored != entities)
        {
            throw new InvalidOperationException($"Our {mode} run stored {stored} of {entities} entities.");
        }

        await table.DeleteIfExistsAsync();
        return entities / seconds;
    }

    /// <summary>The official client's rate for transactions of 100 (4 in flight) on <paramref name="connectionString"/>'s Azurite.</summary>
    public static Task<double> JsBatchRateAsync(string connectionString, int entities) => JsAsync(connectionString, "batch", entities);

    private static async Task<double> JsAsync(string connectionString, string mode, int entities)
    {
        var script = Path.Combine(RepoPaths.Root, "bench", "js", "tables-insert.cjs");
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[]
                 {
                     script, mode, entities.ToString(CultureInfo.InvariantCulture),
                     (mode == "single" ? SingleConcurrency : BatchConcurrency).ToString(CultureInfo.InvariantCulture),
                     UniqueName.Table("bench"), UniqueName.Table("warm"),
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["CS"] = connectionString;
        psi.Environment["NODE_PATH"] = RepoPaths.NodeModules;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The JS benchmark failed ({process.ExitCode}): {await stderr}");
        }

        var line = (await stdout).Trim().Split('\n')[^1];
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("entitiesPerSecond").GetDouble();
    }
}
