using System.Diagnostics;
using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.Infra;

/// <summary>A fact that runs only where the Bicep CLI is installed (`bicep` on PATH, or `az bicep`), and says why it skipped otherwise.</summary>
public sealed class BicepCliFactAttribute : FactAttribute
{
    public BicepCliFactAttribute()
    {
        if (BicepCli.Command is null)
        {
            Skip = "The Bicep CLI is not installed here (neither `bicep` nor `az` is on PATH, and no registry reachable here ships it); InfraTemplateTests check the template's text instead.";
        }
    }
}

public static class BicepCli
{
    /// <summary>The command and leading arguments that run `bicep`, or null when neither bicep nor az is on PATH.</summary>
    public static (string File, string[] Prefix)? Command { get; } = Find();

    private static (string, string[])? Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string? OnPath(string name) => path.Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists);
        return OnPath("bicep") is { } bicep ? (bicep, [])
            : OnPath("az") is { } az ? (az, ["bicep"])
            : null;
    }
}

/// <summary>Where the Bicep CLI exists, the templates compile to ARM JSON without errors (linter warnings included in the output).</summary>
public sealed class BicepBuildTests
{
    [BicepCliFact]
    public async Task The_templates_compile_to_an_arm_template_with_the_function_app()
    {
        var (file, prefix) = BicepCli.Command!.Value;
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in prefix.Concat(["build", Path.Combine(RepoPaths.Root, "infra", "main.bicep"), "--stdout"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"bicep build failed ({process.ExitCode}):\n{errors}");
        using var arm = JsonDocument.Parse(await output);
        Assert.Contains("Microsoft.Web/sites", arm.RootElement.GetRawText(), StringComparison.Ordinal);
    }
}
