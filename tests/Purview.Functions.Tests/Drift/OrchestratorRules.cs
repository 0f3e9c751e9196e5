using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The Durable orchestrator rules that can be seen in an orchestrator method's own source (the Durable analyzer's
/// rules, for a machine where the analyzer cannot be restored): no clock, GUIDs, delays, threads, environment,
/// I/O or injected state, no CancellationToken or extra bindings, no unbounded loops. Calls into other methods are
/// not followed: keep orchestrators self-contained so that this check sees everything.
/// </summary>
public static class OrchestratorRules
{
    private static readonly string[] IoNamespaces = ["System.IO", "System.Net", "System.Data", "Microsoft.Data", "Azure", "Purview.Storage"];

    public static IEnumerable<string> Check(MethodDeclarationSyntax method, IMethodSymbol symbol, SemanticModel model)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(model);
        var found = new List<string>();
        foreach (var parameter in symbol.Parameters)
        {
            if (parameter.Type.ToDisplayString() == "System.Threading.CancellationToken")
            {
                found.Add($"parameter '{parameter.Name}' is a CancellationToken (orchestrators take none)");
            }
            else if (parameter.GetAttributes().Any(a => a.AttributeClass?.Name != "OrchestrationTriggerAttribute"))
            {
                found.Add($"parameter '{parameter.Name}' is a binding other than the trigger (orchestrators take only their trigger)");
            }
        }

        foreach (var node in method.DescendantNodes())
        {
            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            switch (node)
            {
                case WhileStatementSyntax { Condition: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } }:
                case DoStatementSyntax { Condition: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } }:
                case ForStatementSyntax { Condition: null }:
                    found.Add($"line {line}: an unbounded loop (bound it and use ContinueAsNew)");
                    break;
                case SimpleNameSyntax name when Rule(name, model) is { } rule:
                    found.Add($"line {line}: {rule}");
                    break;
            }
        }

        return found.Distinct(StringComparer.Ordinal);
    }

    private static string? Rule(SimpleNameSyntax name, SemanticModel model)
    {
        var symbol = model.GetSymbolInfo(name).Symbol;
        // `Thread` in Thread.Sleep and `var` name a type: the member after it (or the variable's use) is what counts.
        if (name.IsVar || (symbol is INamedTypeSymbol && name.Parent is MemberAccessExpressionSyntax { Expression: var left } && left == name))
        {
            return null;
        }

        var text = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access.ToString() : name.ToString();
        if (symbol is null)
        {
            // Unbound (the source does not compile): judge by the text, so the classic mistakes are still caught.
            return name.Identifier.Text switch
            {
                "UtcNow" or "Now" or "Today" => $"{text} (use context.CurrentUtcDateTime)",
                "NewGuid" when !text.StartsWith("context.", StringComparison.Ordinal) => $"{text} (use context.NewGuid())",
                "Delay" or "Sleep" => $"{text} (use context.CreateTimer)",
                _ => null,
            };
        }

        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        var typeName = type?.ToDisplayString() ?? string.Empty;
        var ns = (symbol as INamedTypeSymbol ?? symbol.ContainingType)?.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return (typeName, symbol.Name) switch
        {
            ("System.DateTime" or "System.DateTimeOffset", "Now" or "UtcNow" or "Today") => $"{text} (use context.CurrentUtcDateTime)",
            ("System.Guid", "NewGuid") => $"{text} (use context.NewGuid())",
            ("System.Threading.Tasks.Task", "Delay") or ("System.Threading.Thread", "Sleep") => $"{text} (use context.CreateTimer)",
            ("System.Threading.Tasks.Task", "Run" or "Factory") or ("System.Threading.Thread", _) or ("System.Threading.ThreadPool", _)
                or ("System.Threading.Tasks.TaskFactory", _) => $"{text} (no threads in an orchestrator)",
            ("System.Environment", _) => $"{text} (no environment reads in an orchestrator: pass it as input)",
            ("System.Random" or "System.Diagnostics.Stopwatch" or "System.TimeProvider", _) => $"{text} (not deterministic on replay)",
            _ when IoNamespaces.Any(n => ns == n || ns.StartsWith(n + ".", StringComparison.Ordinal)) => $"{text} (I/O belongs in an activity)",
            _ when symbol is IFieldSymbol { IsStatic: false, IsConst: false } or IPropertySymbol { IsStatic: false }
                && SymbolEqualityComparer.Default.Equals(symbol.ContainingType, model.GetEnclosingSymbol(name.SpanStart)?.ContainingType)
                => $"{text} (injected services or instance state: use an activity)",
            _ => null,
        };
    }
}
