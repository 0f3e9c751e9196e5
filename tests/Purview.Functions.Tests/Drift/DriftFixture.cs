using System.Text.Json;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.Drift;

/// <summary>The local host's model (from the real app over Azurite), read once for every drift test, and the guard's inputs.</summary>
public sealed class DriftFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private TestHost? _host;

    public LocalHostModel Local { get; private set; } = null!;

    /// <summary>The running local host's services.</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public string RoutePrefix { get; } = FunctionsAppModel.RoutePrefix(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));

    /// <summary>The Values of local.settings.sample.json: what <c>%Name%</c> in a trigger resolves against.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = ReadSettings();

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _host = new TestHost(_azurite, settings: new Dictionary<string, string?> { ["Workers:Enabled"] = "false" });
        Local = LocalHostModel.Read(_host.Services);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>Runs the guard on a (possibly modified) copy of the Functions app's source.</summary>
    public IReadOnlyList<string> Guard(IReadOnlyDictionary<string, string> sources, LocalHostModel? local = null, IReadOnlyDictionary<string, string>? settings = null) =>
        DriftGuard.Compare(local ?? Local, FunctionsAppModel.Read(FunctionsCompilation.Create(sources), RoutePrefix, settings ?? Settings));

    private static Dictionary<string, string> ReadSettings()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        return doc.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
    }
}
