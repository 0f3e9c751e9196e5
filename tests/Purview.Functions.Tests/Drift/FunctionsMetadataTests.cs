using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Purview.Functions.Tests.InProcess;
using Xunit;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The functions.metadata the Functions SDK generates at build (what the Functions host indexes) says the same as the
/// compiled assembly the drift guard reads: every function, its entry point, its trigger and the trigger's route,
/// methods or schedule. So the guard's comparison with the local host holds for what Azure runs.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly string MetadataPath = Path.Combine(AppContext.BaseDirectory, "functions.metadata");

    /// <summary>One function as the metadata or the assembly describes it: name, entry point, trigger type and what the trigger matches.</summary>
    private sealed record Declared(string Name, string EntryPoint, string Trigger, string Detail);

    [Fact]
    public void The_generated_metadata_lists_every_function_of_the_assembly_with_the_same_trigger()
    {
        var fromMetadata = ReadMetadata().OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var fromAssembly = ReadAssembly(typeof(Program).Assembly).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

        Assert.InRange(fromMetadata.Count, 85, 200);
        Assert.Equal(fromAssembly, fromMetadata);
    }

    [Fact]
    public void The_metadata_has_the_durable_and_timer_triggers_the_scan_runs_need()
    {
        var triggers = ReadMetadata().ToDictionary(d => d.Name, d => d.Trigger, StringComparer.Ordinal);

        Assert.Equal("orchestrationTrigger", triggers["ScanRunOrchestrator"]);
        Assert.Equal("entityTrigger", triggers["admissionslots"]);
        Assert.Equal("activityTrigger", triggers["DiscoverScanPage"]);
        Assert.Equal("timerTrigger", triggers["StartScheduledScanRuns"]);
        Assert.Equal("httpTrigger", triggers["RunScan"]);
    }

    private static List<Declared> ReadMetadata()
    {
        Assert.True(File.Exists(MetadataPath), $"{MetadataPath} is missing: the Functions SDK writes it when it builds src/Purview.Functions.");
        using var doc = JsonDocument.Parse(File.ReadAllText(MetadataPath));
        var declared = new List<Declared>();
        foreach (var function in doc.RootElement.EnumerateArray())
        {
            var trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            var type = trigger.GetProperty("type").GetString()!;
            var detail = type switch
            {
                "httpTrigger" => string.Join(',', trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())) + " " + trigger.GetProperty("route").GetString(),
                "timerTrigger" => trigger.GetProperty("schedule").GetString()!,
                _ => string.Empty,
            };
            declared.Add(new Declared(function.GetProperty("name").GetString()!, function.GetProperty("entryPoint").GetString()!, type, detail));
        }

        return declared;
    }

    private static List<Declared> ReadAssembly(Assembly assembly) =>
        [.. FunctionsWorker.FunctionsOf(assembly).Select(f =>
        {
            var entryPoint = $"{f.Value.DeclaringType!.FullName}.{f.Value.Name}";
            var attributes = f.Value.GetParameters().SelectMany(p => p.GetCustomAttributes()).ToList();
            return attributes.OfType<HttpTriggerAttribute>().FirstOrDefault() is { } http
                ? new Declared(f.Key, entryPoint, "httpTrigger", string.Join(',', (http.Methods ?? []).Select(m => m.ToUpperInvariant())) + " " + http.Route)
                : attributes.OfType<TimerTriggerAttribute>().FirstOrDefault() is { } timer
                ? new Declared(f.Key, entryPoint, "timerTrigger", timer.Schedule)
                : new Declared(f.Key, entryPoint, TriggerName(attributes), string.Empty);
        })];

    /// <summary>The binding type the SDK writes for a trigger attribute: its name, camel-cased, without "Attribute".</summary>
    private static string TriggerName(List<Attribute> attributes)
    {
        var name = attributes.Select(a => a.GetType().Name).Single(n => n.EndsWith("TriggerAttribute", StringComparison.Ordinal))[..^"Attribute".Length];
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
