using System.Text.Json;
using Purview.Testing;

namespace Purview.Api.Tests.Conformance;

/// <summary>The public spec files vendored under tests/specs (sources and licences in tests/specs/README.md).</summary>
internal static class SpecFiles
{
    public static string PathOf(string relative) => Path.Combine(RepoPaths.Root, "tests", "specs", relative);

    public static JsonElement Read(string relative) => JsonDocument.Parse(File.ReadAllText(PathOf(relative))).RootElement.Clone();

    /// <summary>An azure-rest-api-specs example: its request body as sent, and the example itself.</summary>
    public static (string? Body, JsonElement Example) ScanningExample(string name)
    {
        var example = Read(Path.Combine("azure-rest-api-specs", "scanning", name));
        var body = example.GetProperty("parameters").TryGetProperty("body", out var b) ? b.GetRawText() : null;
        return (body, example);
    }

    /// <summary>A body of the example's responses, e.g. the 200 answer, to send back as a client that read it would.</summary>
    public static string ResponseBody(JsonElement example, string status) => example.GetProperty("responses").GetProperty(status).GetProperty("body").GetRawText();
}
