using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Http;
using Purview.Functions.Tests.InProcess;

namespace Purview.Functions.Tests.Drift;

/// <summary>An [HttpTrigger] function: its methods, its full route (host.json's route prefix applied, leading slash) and what it asks of the pipeline.</summary>
public sealed record HttpFunction(string Name, IReadOnlyList<string> Methods, string Route, string Location, HandlerPipelineUse? Pipeline);

/// <summary>A [TimerTrigger] function: its schedule as declared and as resolved against the app settings.</summary>
public sealed record TimerFunction(string Name, string? Schedule, string ScheduleSource, string Location);

/// <summary>
/// What the Functions app declares, read from a compiled assembly (the app as built, or a modified copy): triggers by
/// reflection over its [Function] methods, and what each HTTP function asks of <see cref="HandlerPipeline"/> by calling
/// it in-process without credentials (the pipeline records its arguments before it answers 401). The orchestrator rules
/// are read from the source, where the calls are.
/// </summary>
public sealed record FunctionsAppModel(
    IReadOnlyList<HttpFunction> Http, IReadOnlyList<TimerFunction> Timers, IReadOnlyList<string> OrchestratorViolations, IReadOnlyList<string> Problems)
{
    /// <summary>The <c>extensions.http.routePrefix</c> of a host.json (Functions' default is "api").</summary>
    public static string RoutePrefix(string hostJson)
    {
        using var doc = JsonDocument.Parse(hostJson, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return doc.RootElement.TryGetProperty("extensions", out var ext) && ext.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix) && prefix.ValueKind == JsonValueKind.String
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    /// <param name="settings">App settings that <c>%Name%</c> in a trigger resolves against (the Functions host does the same).</param>
    public static async Task<FunctionsAppModel> ReadAsync(Assembly assembly, CSharpCompilation source, FunctionsWorker worker, string routePrefix, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(settings);
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var problems = new List<string>();
        foreach (var (name, method) in FunctionsWorker.FunctionsOf(assembly).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var location = $"{method.DeclaringType!.Name}.{method.Name}";
            foreach (var parameter in method.GetParameters())
            {
                if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } trigger)
                {
                    var route = trigger.Route ?? name;
                    var full = "/" + string.Join('/', new[] { routePrefix, route.Trim('/') }.Where(s => s.Length > 0));
                    var methods = (trigger.Methods ?? []).Select(m => m.ToUpperInvariant()).ToList();
                    http.Add(new HttpFunction(name, methods, full, location, await PipelineOfAsync(worker, method, problems)));
                }
                else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
                {
                    var schedule = timer.Schedule is ['%', .. var key, '%'] ? settings.GetValueOrDefault(key) : timer.Schedule;
                    timers.Add(new TimerFunction(name, schedule, timer.Schedule, location));
                }
            }
        }

        return new FunctionsAppModel(http, timers, OrchestratorViolationsOf(source), problems);
    }

    /// <summary>Calls the function without credentials and reads back what it gave <see cref="HandlerPipeline.RunAsync"/> (null when it never called it).</summary>
    private static async Task<HandlerPipelineUse?> PipelineOfAsync(FunctionsWorker worker, MethodInfo method, List<string> problems)
    {
        using var scope = worker.Services.CreateScope();
        var context = worker.NewContext(scope.ServiceProvider, "GET", "/", principal: null, json: null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await worker.InvokeAsync(method, p => p.ParameterType == typeof(HttpRequest) ? context.Request : p.ParameterType == typeof(string) ? "x" : null, timeout.Token);
        }
        catch (Exception ex) when (ex is TargetInvocationException or NullReferenceException or ArgumentException or InvalidOperationException)
        {
            // A function that fails before reaching the pipeline has no pipeline: reported below as such.
            problems.Add($"function {method.GetCustomAttribute<FunctionAttribute>()?.Name} failed when called without credentials: {(ex.InnerException ?? ex).GetType().Name}: {(ex.InnerException ?? ex).Message}");
        }

        return context.Features.Get<HandlerPipelineUse>();
    }

    private static List<string> OrchestratorViolationsOf(CSharpCompilation compilation)
    {
        var violations = new List<string>();
        foreach (var tree in compilation.SyntaxTrees.Where(t => !t.FilePath.StartsWith('<')))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(method) is not { } symbol || !IsOrchestrator(symbol))
                {
                    continue;
                }

                var display = $"{symbol.ContainingType.Name}.{symbol.Name} ({FunctionsCompilation.Where(method.Identifier.GetLocation())})";
                violations.AddRange(OrchestratorRules.Check(method, symbol, model).Select(v => $"{display}: {v}"));
            }
        }

        return violations;
    }

    /// <summary>An [OrchestrationTrigger] function, or the RunAsync of a class-based orchestrator (TaskOrchestrator&lt;,&gt;).</summary>
    private static bool IsOrchestrator(IMethodSymbol symbol) =>
        symbol.Parameters.Any(p => p.GetAttributes().Any(a => a.AttributeClass?.Name == nameof(OrchestrationTriggerAttribute)))
        || (symbol is { Name: "RunAsync", IsOverride: true } && symbol.ContainingType.BaseType is { Name: "TaskOrchestrator" });
}
