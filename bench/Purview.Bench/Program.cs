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

// ./bench.sh storage [--entities N]: our Table client next to the official JS client on one Azurite.
if (args.Length == 0 || args[0] != "storage")
{
    Console.WriteLine("usage: ./bench.sh storage [--entities N] | links [--events N] [--hour-events N] [--concurrency N]");
    return args.Length == 0 ? 0 : 2;
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
