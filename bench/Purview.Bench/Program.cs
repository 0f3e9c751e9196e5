using System.Globalization;
using Purview.Bench;

// ./bench.sh links [--events N] [--hour-events N] [--concurrency N]: OpenLineage push and hourly aggregation.
if (args.Length > 0 && args[0] == "links")
{
    int Option(string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i > 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }

    return await LinksBenchmark.RunAsync(Option("--events", 5000), Option("--hour-events", 100_000), Option("--concurrency", 16));
}

// ./bench.sh soak [--minutes N]: a mixed load on a host process; memory must stay flat and no request may fail.
if (args.Length > 0 && args[0] == "soak")
{
    var i = Array.IndexOf(args, "--minutes");
    var minutes = i > 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var m) && m >= 2 ? m : 10;
    return await SoakBenchmark.RunAsync(minutes);
}

// ./bench.sh classify [--files N]: classification throughput on N CSV files and the sampler's memory on 1 MB / 1 GB streams.
if (args.Length > 0 && args[0] == "classify")
{
    var i = Array.IndexOf(args, "--files");
    var files = i > 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 10_000;
    return await ClassifyBenchmark.RunAsync(files);
}

// ./bench.sh storage [--entities N]: our Table client next to the official JS client on one Azurite.
// ./bench.sh connectors [--items N]: imports N items through HTTP, then generates that day's admin log.
if (args.Length > 0 && args[0] == "connectors")
{
    var count = 100_000;
    if (args.Length == 3 && args[1] == "--items" && int.TryParse(args[2], CultureInfo.InvariantCulture, out var parsed) && parsed >= 1)
    {
        count = parsed;
    }
    else if (args.Length != 1)
    {
        Console.Error.WriteLine("usage: ./bench.sh connectors [--items N]   (default 100000; e.g. --items 1000000)");
        return 2;
    }

    return await ConnectorImportBenchmark.RunAsync(count);
}

// ./bench.sh scan [--blobs N] [--runs M] [--quick]: scan throughput and monitoring-summary latency.
const string Usage = "usage: ./bench.sh storage [--entities N]\n       ./bench.sh scan [--blobs N] [--runs M] [--quick]\n       ./bench.sh connectors [--items N]\n       ./bench.sh links [--events N] [--hour-events N] [--concurrency N]\n       ./bench.sh classify [--files N]";
if (args.Length == 0 || args[0] is not ("storage" or "scan"))
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 0 : 2;
}

if (args[0] == "scan")
{
    int? blobs = null;
    int? runs = null;
    var quick = false;
    for (var i = 1; i < args.Length; i++)
    {
        if (args[i] == "--quick")
        {
            quick = true;
        }
        else if (args[i] is "--blobs" or "--runs" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 100)
        {
            if (args[i] == "--blobs")
            {
                blobs = n;
            }
            else
            {
                runs = n;
            }

            i++;
        }
        else
        {
            Console.Error.WriteLine($"unknown or invalid argument '{args[i]}' (--blobs and --runs need a number >= 100)");
            return 2;
        }
    }

    return await ScanBenchmark.RunAsync(blobs ?? (quick ? 5_000 : 50_000), runs ?? (quick ? 10_000 : 100_000));
}

var entities = 2000;
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--entities" && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n >= 100)
    {
        entities = n;
        i++;
    }
    else
    {
        Console.Error.WriteLine($"unknown or invalid argument '{args[i]}' (--entities needs a number >= 100)");
        return 2;
    }
}

return await TableInsertBenchmark.RunAsync(entities);
