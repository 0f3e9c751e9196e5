using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Purview.Testing;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The Functions app's source - or a modified copy, for tests that show the drift guard failing - compiled with Roslyn
/// against the same assemblies the real build references (its packages, the shared framework, Purview.Api and below),
/// and loaded into its own collectible load context so that the guard reads it exactly as it reads the app as built.
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
        "Purview.Functions", "Purview.Functions.Tests", "Purview.LocalHost", "Purview.Testing", "Microsoft.AspNetCore.Mvc.Testing", "Microsoft.AspNetCore.TestHost",
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    public static string SourceRoot => Path.Combine(RepoPaths.Root, "src", "Purview.Functions");

    /// <summary>The shared orchestration the app's Durable functions run (Purview.Api), compiled with the app so that its rules are checked too.</summary>
    public static string SharedOrchestrationRoot => Path.Combine(RepoPaths.Root, "src", "Purview.Api", "ScanRuns", "Durable");

    /// <summary>
    /// Every .cs file of the Functions app, keyed by its path relative to the project folder, and the shared
    /// orchestration's files under "Shared/ScanRuns/Durable/" (in a modified copy, they stand in for Purview.Api's).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadSources(string? root = null)
    {
        root ??= SourceRoot;
        var sources = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(SharedOrchestrationRoot, "*.cs"))
        {
            sources["Shared/ScanRuns/Durable/" + Path.GetFileName(path)] = File.ReadAllText(path);
        }

        return sources;
    }

    public static CSharpCompilation Create(IReadOnlyDictionary<string, string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = sources.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => CSharpSyntaxTree.ParseText(s.Value, parse, path: s.Key))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "<implicit usings>"));
        return CSharpCompilation.Create("Purview.Functions", trees, References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                // As the .NET SDK does: older package references unified with the framework's versions are not news.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress),
                    // The shared orchestration's files stand in for the same types of the referenced Purview.Api.
                    new("CS0436", ReportDiagnostic.Suppress)]));
    }

    /// <summary>The compiled assembly, loaded beside the app (its dependencies are the test process's own).</summary>
    public static Assembly Load(CSharpCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var errors = Errors(compilation);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The modified Functions app does not compile:\n  " + string.Join("\n  ", errors));
        }

        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The modified Functions app was not emitted: " + string.Join("; ", emitted.Diagnostics));
        }

        image.Position = 0;
        return new AssemblyLoadContext("functions-copy-" + Guid.NewGuid().ToString("N"), isCollectible: true).LoadFromStream(image);
    }

    /// <summary>
    /// The compiler errors, one readable line each. Warnings are left to the real build (where they are errors): a
    /// modified copy that drops a function may leave a constructor parameter unread, and the guard still has to run.
    /// </summary>
    public static IReadOnlyList<string> Errors(CSharpCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{Where(d.Location)}: {d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")
            .ToList();
    }

    public static string Where(Location location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var span = location.GetLineSpan();
        return span.IsValid ? $"{span.Path}:{span.StartLinePosition.Line + 1}" : "?";
    }

    /// <summary>The shared framework, ASP.NET Core and every assembly next to the tests (the app's packages, Purview.*, Azure.Core, ...): what the Functions project references.</summary>
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
