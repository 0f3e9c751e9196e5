using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Purview.Testing;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The Functions app's source compiled with Roslyn against the stubs of its unrestorable packages (Stubs/) and the
/// real assemblies it references (the shared framework, ASP.NET Core, Purview.Api and below). The semantic model
/// resolves constants (routes, schedules, policies) the way the real build would; the diagnostics catch type errors.
/// </summary>
public static class FunctionsCompilation
{
    /// <summary>What the Microsoft.NET.Sdk generates for ImplicitUsings=enable.</summary>
    private const string ImplicitUsings =
        "global using global::System;\nglobal using global::System.Collections.Generic;\nglobal using global::System.IO;\n" +
        "global using global::System.Linq;\nglobal using global::System.Net.Http;\nglobal using global::System.Threading;\n" +
        "global using global::System.Threading.Tasks;\n";

    private static readonly HashSet<string> NotReferencedByTheApp = new(StringComparer.OrdinalIgnoreCase)
    {
        "Purview.Functions.Tests", "Purview.LocalHost", "Purview.Testing", "Microsoft.AspNetCore.Mvc.Testing", "Microsoft.AspNetCore.TestHost",
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static string SourceRoot => Path.Combine(RepoPaths.Root, "src", "Purview.Functions");

    /// <summary>Every .cs file of the Functions app, keyed by its path relative to the project folder.</summary>
    public static IReadOnlyDictionary<string, string> ReadSources(string? root = null)
    {
        root ??= SourceRoot;
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
    }

    public static CSharpCompilation Create(IReadOnlyDictionary<string, string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = sources.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => CSharpSyntaxTree.ParseText(s.Value, parse, path: s.Key))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "<implicit usings>"));
        var stubs = Path.Combine(AppContext.BaseDirectory, "Stubs");
        trees = trees.Concat(Directory.EnumerateFiles(stubs, "*.cs").Order(StringComparer.Ordinal)
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), parse, path: "Stubs/" + Path.GetFileName(p))));
        return CSharpCompilation.Create("Purview.Functions", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// Errors and compiler warnings of the compilation (the real build treats warnings as errors), one readable line
    /// each. Analyzer rules (CA*, IDE*) do not run here; the real build still checks them where it can restore.
    /// </summary>
    public static IReadOnlyList<string> Errors(CSharpCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error
                || (d.Severity == DiagnosticSeverity.Warning && !d.Location.GetLineSpan().Path.StartsWith("Stubs/", StringComparison.Ordinal)))
            .Select(d => $"{Where(d.Location)}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }

    public static string Where(Location location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var span = location.GetLineSpan();
        return span.IsValid ? $"{span.Path}:{span.StartLinePosition.Line + 1}" : "?";
    }

    /// <summary>The shared framework, ASP.NET Core and every assembly next to the tests (Purview.*, Azure.Core, ...): what the Functions project would reference, less its packages.</summary>
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"));
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            // Test-only assemblies and Roslyn itself are not what the app compiles against.
            if (name.StartsWith("xunit", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("testhost", StringComparison.OrdinalIgnoreCase) || NotReferencedByTheApp.Contains(name))
            {
                continue;
            }

            byName.TryAdd(name, path);
        }

        return [.. byName.Values.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
