using System.Globalization;
using Purview.Bench;

// ./bench.sh [all|storage|links|scan|classify|connectors|soak|tracing] [--quick] [sizes...]: see docs/PERFORMANCE.md.
const string Usage = """
    usage: ./bench.sh [command] [--quick] [options]
      (none) | all   every benchmark in one run, one table of figures (--only a,b / --skip a,b: sections of
                     storage, links, scan, classify, connectors); written to artifacts/bench/
      storage        our storage layer (Azure.Data.Tables) vs the JS client     --entities N      (2000; quick 500)
      links          OpenLineage + native pushes, hourly aggregation,      --events N        (5000; quick 500)
                     link monitoring latency over 45 days of aggregates    --hour-events N   (100000; quick 5000)
                                                                           --concurrency N   (16)
                                                                           --sources N       (10; quick 3)
                                                                           --sub-artifacts N (5; quick 2)
      scan           scan throughput (full, incremental), monitoring       --blobs N         (50000; quick 2000)
                     query latency over M runs                             --runs M          (100000; quick 2000)
      classify       classification throughput, sampler memory            --files N         (10000; quick 300)
      connectors     import of N items, admin log time and peak memory     --items N         (1000000; quick 2000)
      soak           mixed load on a host process, memory flat, no failure --minutes N       (10; >= 2)
      tracing        OpenLineage push with telemetry off / SDK on /        --events N        (5000; quick 500)
                     SDK exporting over OTLP
      --quick        the smaller sizes (the whole suite in under 2 minutes); an explicit size wins over it
    """;

var commands = new[] { "all", "storage", "links", "scan", "classify", "connectors", "soak", "tracing", "help", "--help", "-h" };
var command = args.Length > 0 && commands.Contains(args[0]) ? args[0] : "all";
var rest = args.Length > 0 && commands.Contains(args[0]) ? args[1..] : args;
if (command is "help" or "--help" or "-h")
{
    Console.WriteLine(Usage);
    return 0;
}

var quick = false;
var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
var only = new HashSet<string>(SuiteBenchmark.Sections, StringComparer.Ordinal);
var numeric = new[] { "--entities", "--events", "--hour-events", "--concurrency", "--sources", "--sub-artifacts", "--blobs", "--runs", "--files", "--items", "--minutes" };
for (var i = 0; i < rest.Length; i++)
{
    var arg = rest[i];
    if (arg == "--quick")
    {
        quick = true;
    }
    else if (numeric.Contains(arg) && i + 1 < rest.Length && int.TryParse(rest[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
    {
        numbers[arg] = n;
        i++;
    }
    else if (arg is "--only" or "--skip" && command == "all" && i + 1 < rest.Length)
    {
        var named = rest[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (named.Length == 0 || named.Any(s => !SuiteBenchmark.Sections.Contains(s)))
        {
            Console.Error.WriteLine($"{arg} takes sections among {string.Join(", ", SuiteBenchmark.Sections)}, comma-separated.");
            return 2;
        }

        if (arg == "--only")
        {
            only.IntersectWith(named);
        }
        else
        {
            only.ExceptWith(named);
        }

        i++;
    }
    else
    {
        Console.Error.WriteLine($"unknown or invalid argument '{arg}' (sizes are positive whole numbers)");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

var defaults = quick ? SuiteSizes.Quick : SuiteSizes.Full;
int Size(string name, int fallback) => numbers.TryGetValue(name, out var v) ? v : fallback;
var links = new LinksSizes(Size("--events", defaults.Links.Events), Size("--hour-events", defaults.Links.HourEvents), Size("--concurrency", defaults.Links.Concurrency),
    Size("--sources", defaults.Links.Sources), Size("--sub-artifacts", defaults.Links.SubArtifacts), defaults.Links.QueryRequests);
var sizes = new SuiteSizes(Size("--entities", defaults.Entities), links, Size("--blobs", defaults.Blobs), Size("--runs", defaults.Runs), Size("--files", defaults.Files), Size("--items", defaults.Items));
if (sizes.Entities < 100 || sizes.Blobs < 100 || sizes.Runs < 100)
{
    Console.Error.WriteLine("--entities, --blobs and --runs need at least 100.");
    return 2;
}

return command switch
{
    "storage" => await TableInsertBenchmark.RunAsync(sizes.Entities),
    "links" => await LinksBenchmark.RunAsync(sizes.Links),
    "scan" => await ScanBenchmark.RunAsync(sizes.Blobs, sizes.Runs),
    "classify" => await ClassifyBenchmark.RunAsync(sizes.Files),
    "connectors" => await ConnectorImportBenchmark.RunAsync(sizes.Items),
    "soak" => await SoakBenchmark.RunAsync(Math.Max(2, Size("--minutes", 10))),
    "tracing" => await TracingBenchmark.RunAsync(sizes.Links.Events),
    _ => await SuiteBenchmark.RunAsync(sizes, only, quick),
};
