using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Purview.Functions.Tests.Drift;

/// <summary>Modified copies of the Functions app's source, for tests that show the guard failing.</summary>
public static class SourceEdits
{
    /// <summary>The sources without the method declaring <c>[Function("name")]</c>.</summary>
    public static Dictionary<string, string> WithoutFunction(IReadOnlyDictionary<string, string> sources, string functionName)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var copy = new Dictionary<string, string>(sources, StringComparer.Ordinal);
        foreach (var (path, text) in sources)
        {
            var root = CSharpSyntaxTree.ParseText(text).GetRoot();
            var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().FirstOrDefault(m => m.AttributeLists.SelectMany(l => l.Attributes)
                .Any(a => a.Name.ToString() == "Function" && a.ArgumentList?.Arguments.FirstOrDefault()?.Expression.ToString() == $"\"{functionName}\""));
            if (method is not null)
            {
                copy[path] = root.RemoveNode(method, SyntaxRemoveOptions.KeepNoTrivia)!.ToFullString();
                return copy;
            }
        }

        throw new InvalidOperationException($"No function named {functionName} in the sources.");
    }

    /// <summary>The sources with one exact piece of text replaced (it must occur exactly once).</summary>
    public static Dictionary<string, string> Replace(IReadOnlyDictionary<string, string> sources, string path, string oldText, string newText)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var text = sources[path];
        var at = text.IndexOf(oldText, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(oldText, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"'{oldText}' does not occur exactly once in {path}.");
        }

        return new Dictionary<string, string>(sources, StringComparer.Ordinal) { [path] = text.Replace(oldText, newText, StringComparison.Ordinal) };
    }
}
