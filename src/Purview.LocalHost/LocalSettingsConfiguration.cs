using System.Text.Json;

namespace Purview.LocalHost;

/// <summary>
/// Reads the <c>Values</c> of <c>local.settings.json</c> (the Functions Core Tools file) so that both hosts are
/// configured by the same keys. Environment variables and the command line still win, as with <c>func start</c>.
/// </summary>
internal static class LocalSettingsConfiguration
{
    public static IConfigurationBuilder AddLocalSettings(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        var path = configuration["LocalSettingsPath"] ?? FindLocalSettings(environment.ContentRootPath);
        if (path is null || !File.Exists(path))
        {
            return configuration;
        }

        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("Values", out var v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in v.EnumerateObject())
            {
                // Functions settings use "__" for sections, as environment variables do.
                values[p.Name.Replace("__", ":", StringComparison.Ordinal)] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
            }
        }

        // Insert before environment variables so that those keep precedence.
        var sources = configuration.Sources;
        var envIndex = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource ev && string.IsNullOrEmpty(ev.Prefix));
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values };
        if (envIndex >= 0)
        {
            sources.Insert(envIndex, source);
        }
        else
        {
            sources.Add(source);
        }

        return configuration;
    }

    private static string? FindLocalSettings(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "local.settings.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(Path.Combine(dir.FullName, "Purview.Functions.sln")))
            {
                return null;
            }
        }

        return null;
    }
}
