using System.Globalization;
using Purview.Bench;

// ./bench.sh storage [--entities N]: our Table client next to the official JS client on one Azurite.
// ./bench.sh scan [--blobs N] [--runs M] [--quick]: scan throughput and monitoring-summary latency (docs/PERFORMANCE-scan.md).
const string Usage = "usage: ./bench.sh storage [--entities N]\n       ./bench.sh scan [--blobs N] [--runs M] [--quick]";
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
