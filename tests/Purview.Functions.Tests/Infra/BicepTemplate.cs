using System.Text.RegularExpressions;

namespace Purview.Functions.Tests.Infra;

/// <summary>A Bicep resource declaration: symbol, type and API version.</summary>
public sealed record BicepResource(string Symbol, string Type, string ApiVersion);

/// <summary>
/// What a test can see in a Bicep file without the Bicep CLI: its parameters, resource declarations and the app
/// settings of <c>appSettings</c> arrays (<c>{ name: '...', value: ... }</c> on one line). Comments are stripped first.
/// </summary>
public sealed partial class BicepTemplate
{
    public BicepTemplate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = LineComment().Replace(text, string.Empty);
        Parameters = ParameterDeclaration().Matches(Text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        Resources = [.. ResourceDeclaration().Matches(Text).Select(m => new BicepResource(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value))];
        AppSettings = AppSetting().Matches(Text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
    }

    /// <summary>The text without // comments (so that a commented-out line never satisfies a check).</summary>
    public string Text { get; }

    public IReadOnlyDictionary<string, string> Parameters { get; }

    public IReadOnlyList<BicepResource> Resources { get; }

    public IReadOnlyDictionary<string, string> AppSettings { get; }

    [GeneratedRegex(@"(?m)^\s*//.*$|(?<=[\s,\]}])//[^'\n]*$")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"(?m)^param\s+(\w+)\s+(\w+)")]
    private static partial Regex ParameterDeclaration();

    [GeneratedRegex(@"(?m)^resource\s+(\w+)\s+'([^'@]+)@([^']+)'")]
    private static partial Regex ResourceDeclaration();

    [GeneratedRegex(@"\{\s*name:\s*'([^']+)'\s*,?\s*value:\s*([^\n]+?)\s*\}")]
    private static partial Regex AppSetting();
}
