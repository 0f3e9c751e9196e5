using Xunit;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The Functions app compiled here against stubs of its unrestorable packages (Stubs/) and the real Purview
/// assemblies: a renamed handler, a changed signature or a missing using in the app fails here, not only where
/// nuget.org is reachable. The stubs declare the packages' real names and signatures, nothing more.
/// </summary>
public sealed class StubCompileTests
{
    private static readonly IReadOnlyDictionary<string, string> Sources = FunctionsCompilation.ReadSources();

    [Fact]
    public void The_functions_app_compiles_against_the_package_stubs()
    {
        var errors = FunctionsCompilation.Errors(FunctionsCompilation.Create(Sources));

        Assert.True(errors.Count == 0, $"The Functions app does not compile ({errors.Count} errors):\n  " + string.Join("\n  ", errors));
    }

    [Fact]
    public void A_call_to_a_handler_that_does_not_exist_fails_the_stub_compile()
    {
        var sources = SourceEdits.Replace(Sources, "Connectors/ConnectorFunctions.cs", "ConnectorEndpoints.ListConnectors(", "ConnectorEndpoints.ListAllConnectors(");

        var errors = FunctionsCompilation.Errors(FunctionsCompilation.Create(sources));

        var error = Assert.Single(errors);
        Assert.StartsWith("Connectors/ConnectorFunctions.cs:", error, StringComparison.Ordinal);
        Assert.Contains("CS0117", error, StringComparison.Ordinal);
        Assert.Contains("ListAllConnectors", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compiler_warning_fails_the_stub_compile_as_warnings_fail_the_real_build()
    {
        var sources = SourceEdits.Replace(Sources, "ScanRuns/ScanRunOrchestration.cs", "var input = context.GetInput<RunStepInput>()!;", "var input = context.GetInput<RunStepInput>();");

        var errors = FunctionsCompilation.Errors(FunctionsCompilation.Create(sources));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("CS8602", e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.StartsWith("ScanRuns/ScanRunOrchestration.cs:", e, StringComparison.Ordinal));
    }
}
