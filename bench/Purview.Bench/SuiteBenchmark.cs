using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Purview.Testing;

namespace Purview.Bench;

/// <summary>Sizes of one suite run; <see cref="Quick"/> is meant to finish in under 2 minutes on the 2-core machine.</summary>
internal sealed record SuiteSizes(int Entities, LinksSizes Links, int Blobs, int Runs, int Files, int Items)
{
    public static SuiteSizes Full { get; } = new(2_000, LinksSizes.Full, 50_000, 100_000, 10_000, 1_000_000);

    public static SuiteSizes Quick { get; } = new(500, LinksSizes.Quick, 2_000, 2_000, 300, 2_000);
}

/// <summary>
/// ./bench.sh (or ./bench.sh all): every benchmark in one run, in this order: the storage reference (the official JS
/// Table client's single and batched rates, ours next to them), links, scan runs and monitoring, classification,
/// connectors. Each section starts its own in-memory Azurite (so one section's millions of rows do not slow the next)
/// and measures its own reference on it. Prints one table of every figure with its ratio and target, and writes it as
/// Markdown and JSON under artifacts/bench/.
/// </summary>
internal static class SuiteBenchmark
{
    public static readonly string[] Sections = ["storage", "links", "scan", "classify", "connectors", "tracing"];

    public static async Task<int> RunAsync(SuiteSizes sizes, IReadOnlySet<string> sections, bool quick)
    {
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var machine = Machine();
        Console.WriteLine($"bench suite ({(quick ? "quick" : "full")}): {string.Join(", ", Sections.Where(sections.Contains))}; started {started:yyyy-MM-dd HH:mm:ss} UTC");
        Console.WriteLine(machine);
        var loadAtStart = LoadAverage();
        var figures = new List<Figure>();
        var failures = new List<string>();
        var timings = new List<string>();
        foreach (var section in Sections.Where(sections.Contains))
        {
            var sectionWatch = Stopwatch.StartNew();
            Console.WriteLine();
            Console.WriteLine($"=== {section} (load average {LoadAverage()}) ===");
            try
            {
                figures.AddRange(section switch
                {
                    "storage" => await TableInsertBenchmark.MeasureAsync(sizes.Entities),
                    "links" => await LinksBenchmark.MeasureAsync(sizes.Links),
                    "scan" => await ScanBenchmark.MeasureAsync(sizes.Blobs, sizes.Runs),
                    "classify" => await ClassifyBenchmark.MeasureAsync(sizes.Files),
                    "connectors" => await ConnectorImportBenchmark.MeasureAsync(sizes.Items),
                    "tracing" => await TracingBenchmark.MeasureAsync(sizes.Links.Events),
                    _ => throw new InvalidOperationException("unknown section " + section),
                });
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One broken section must not hide the others' figures; the suite still fails at the end.
                failures.Add($"{section}: {ex.GetType().Name}: {ex.Message}");
                Console.Error.WriteLine($"=== {section} FAILED: {ex}");
            }

            timings.Add($"{section} {sectionWatch.Elapsed.TotalSeconds:F0} s");
        }

        var elapsed = watch.Elapsed;
        var title = $"bench suite ({(quick ? "quick" : "full")}), {started:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalMinutes:F1} min ({string.Join(", ", timings)}); load average at start {loadAtStart}, at end {LoadAverage()}";
        var ok = Report.Print(figures, title);
        foreach (var failure in failures)
        {
            Console.WriteLine("FAILED section " + failure);
        }

        var folder = Path.Combine(RepoPaths.Root, "artifacts", "bench");
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"bench-{started:yyyyMMdd-HHmmss}{(quick ? "-quick" : "")}");
        var markdown = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"### {title}")
            .AppendLine()
            .AppendLine(machine)
            .AppendLine()
            .Append(Report.Markdown(figures));
        foreach (var failure in failures)
        {
            markdown.AppendLine(CultureInfo.InvariantCulture, $"\nFAILED section {failure}");
        }

        await File.WriteAllTextAsync(stem + ".md", markdown.ToString());
        await File.WriteAllTextAsync(stem + ".json", JsonSerializer.Serialize(new { started, minutes = Math.Round(elapsed.TotalMinutes, 2), quick, machine, loadAtStart, figures }));
        Console.WriteLine($"written: {stem}.md and .json");
        return ok && failures.Count == 0 ? 0 : 1;
    }

    /// <summary>What the figures were measured on (they move with the machine and its load).</summary>
    private static string Machine()
    {
        string Read(string path, string prefix) =>
            File.Exists(path) ? File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?.Split(prefix, 2)[1].Trim(' ', ':', '\t', '"') ?? "?" : "?";
        var memory = Read("/proc/meminfo", "MemTotal");
        if (long.TryParse(memory.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
        {
            memory = (kb / 1024.0 / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " GB";
        }

        var azurite = "?";
        var azuritePackage = Path.Combine(RepoPaths.NodeModules, "azurite", "package.json");
        if (File.Exists(azuritePackage))
        {
            azurite = JsonDocument.Parse(File.ReadAllText(azuritePackage)).RootElement.GetProperty("version").GetString() ?? "?";
        }

        return $"machine: {Environment.ProcessorCount} cores ({Read("/proc/cpuinfo", "model name")}), {memory} memory, {Read("/etc/os-release", "PRETTY_NAME=")}, " +
               $"{RuntimeInformation.FrameworkDescription}, Node {NodeVersion()}, Azurite {azurite} (in memory)";
    }

    private static string NodeVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var version = process!.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return version.TrimStart('v');
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
