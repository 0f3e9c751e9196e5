using System.Globalization;
using Purview.Bench;

// ./bench.sh storage [--entities N]: our Table client next to the official JS client on one Azurite.
if (args.Length == 0 || args[0] != "storage")
{
    Console.WriteLine("usage: ./bench.sh storage [--entities N]");
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
