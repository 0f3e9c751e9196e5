using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Purview.Functions.Tests.Drift;

/// <summary>How an HTTP function runs its handler: the arguments it gives <c>HandlerPipeline.RunAsync</c>.</summary>
public sealed record PipelineUse(string? Policy, bool Anonymous, long BodyLimit);

/// <summary>An [HttpTrigger] function: its methods and its full route (host.json's route prefix applied, leading slash).</summary>
public sealed record HttpFunction(string Name, IReadOnlyList<string> Methods, string Route, string Location, PipelineUse? Pipeline);

/// <summary>A [TimerTrigger] function: its resolved schedule and, when the schedule is a constant of a job class, that class.</summary>
public sealed record TimerFunction(string Name, string? Schedule, string ScheduleSource, Type? JobType, string Location);

/// <summary>What the Functions app declares, read from its source with Roslyn.</summary>
public sealed record FunctionsAppModel(
    IReadOnlyList<HttpFunction> Http, IReadOnlyList<TimerFunction> Timers, IReadOnlyList<string> OrchestratorViolations, IReadOnlyList<string> Problems)
{
    private const string WorkerNamespace = "Microsoft.Azure.Functions.Worker";

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
    public static FunctionsAppModel Read(CSharpCompilation compilation, string routePrefix, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        ArgumentNullException.ThrowIfNull(settings);
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var violations = new List<string>();
        var problems = new List<string>();
        foreach (var tree in compilation.SyntaxTrees.Where(t => !t.FilePath.StartsWith("Stubs/", StringComparison.Ordinal) && !t.FilePath.StartsWith('<')))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(method) is not { } symbol)
                {
                    continue;
                }

                var location = FunctionsCompilation.Where(method.Identifier.GetLocation());
                var display = $"{symbol.ContainingType.Name}.{symbol.Name} ({location})";
                var function = symbol.GetAttributes().FirstOrDefault(a => Is(a.AttributeClass, "FunctionAttribute"));
                if (function is null)
                {
                    if (method.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Function" or "FunctionAttribute"))
                    {
                        problems.Add($"{display}: its [Function] attribute does not bind (see the stub compile errors)");
                    }

                    continue;
                }

                var name = function.ConstructorArguments.FirstOrDefault().Value as string ?? symbol.Name;
                foreach (var parameter in symbol.Parameters)
                {
                    foreach (var attribute in parameter.GetAttributes())
                    {
                        if (Is(attribute.AttributeClass, "HttpTriggerAttribute"))
                        {
                            var methods = attribute.ConstructorArguments.Where(a => a.Kind == TypedConstantKind.Array)
                                .SelectMany(a => a.Values).Select(v => (v.Value as string ?? "?").ToUpperInvariant()).ToList();
                            var route = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Route").Value.Value as string ?? name;
                            var full = "/" + string.Join('/', new[] { routePrefix, route.Trim('/') }.Where(s => s.Length > 0));
                            http.Add(new HttpFunction(name, methods, full, location, PipelineOf(method, model)));
                        }
                        else if (Is(attribute.AttributeClass, "TimerTriggerAttribute"))
                        {
                            timers.Add(TimerOf(name, attribute, model, settings, location));
                        }
                        else if (Is(attribute.AttributeClass, "OrchestrationTriggerAttribute"))
                        {
                            violations.AddRange(OrchestratorRules.Check(method, symbol, model).Select(v => $"{display}: {v}"));
                        }
                    }
                }
            }
        }

        return new FunctionsAppModel(http, timers, violations, problems);
    }

    private static bool Is(INamedTypeSymbol? type, string name) =>
        type is not null && type.TypeKind != TypeKind.Error && type.Name == name && type.ContainingNamespace.ToDisplayString() == WorkerNamespace;

    private static TimerFunction TimerOf(string name, AttributeData attribute, SemanticModel model, IReadOnlyDictionary<string, string> settings, string location)
    {
        var argument = (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault()?.Expression;
        var source = argument?.ToString() ?? "?";
        var schedule = attribute.ConstructorArguments.FirstOrDefault().Value as string;
        if (schedule is ['%', .. var key, '%'])
        {
            schedule = settings.TryGetValue(key, out var value) ? value : null;
        }

        // A schedule taken from a job class's constant names the job it runs.
        Type? job = null;
        if (argument is not null && model.GetSymbolInfo(argument).Symbol is IFieldSymbol { ContainingType: { } owner })
        {
            var type = Type.GetType($"{owner.ContainingNamespace.ToDisplayString()}.{owner.MetadataName}, {owner.ContainingAssembly.Name}");
            job = type is not null && typeof(Purview.Core.Jobs.IScheduledJob).IsAssignableFrom(type) ? type : null;
        }

        return new TimerFunction(name, schedule, source, job, location);
    }

    /// <summary>The arguments of the function's <c>HandlerPipeline.RunAsync</c> call (defaults included), or null when it has none.</summary>
    private static PipelineUse? PipelineOf(MethodDeclarationSyntax method, SemanticModel model)
    {
        foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetOperation(invocation) is not IInvocationOperation operation
                || operation.TargetMethod.Name != "RunAsync" || operation.TargetMethod.ContainingType.ToDisplayString() != "Purview.Api.Http.HandlerPipeline")
            {
                continue;
            }

            object? Arg(string parameter) =>
                operation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter)?.Value.ConstantValue is { HasValue: true } c ? c.Value : "<not a constant>";
            return new PipelineUse(Arg("policy") as string, Arg("anonymous") is true, Arg("bodyLimit") is long limit ? limit : -1);
        }

        return null;
    }
}
