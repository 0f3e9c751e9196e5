using System.Text.Json;
using Purview.Functions.Tests.InProcess;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The local host's model (from the real app over Azurite), the Functions app's worker over the same Azurite, and the
/// guard's inputs, set up once for every drift test.
/// </summary>
public sealed class DriftFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private TestHost? _host;
    private FunctionsWorker? _worker;

    public LocalHostModel Local { get; private set; } = null!;

    /// <summary>The Functions app as built (its assembly and generated metadata), read once.</summary>
    public FunctionsAppModel Built { get; private set; } = null!;

    /// <summary>The running local host's services.</summary>
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("The fixture is not initialized.");

    public FunctionsWorker Worker => _worker ?? throw new InvalidOperationException("The fixture is not initialized.");

    public string RoutePrefix { get; } = FunctionsAppModel.RoutePrefix(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")));

    /// <summary>The Values of local.settings.sample.json: what <c>%Name%</c> in a trigger resolves against.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; } = ReadSettings();

    public static IReadOnlyDictionary<string, string> Sources { get; } = FunctionsCompilation.ReadSources();

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _host = new TestHost(_azurite, settings: new Dictionary<string, string?> { ["Workers:Enabled"] = "false" });
        Local = LocalHostModel.Read(_host.Services);
        _worker = await FunctionsWorker.StartAsync(_azurite);
        Built = await FunctionsAppModel.ReadAsync(typeof(Program).Assembly, FunctionsCompilation.Create(Sources), _worker, RoutePrefix, Settings);
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>Runs the guard on the app as built.</summary>
    public IReadOnlyList<string> Guard(LocalHostModel? local = null) => DriftGuard.Compare(local ?? Local, Built);

    /// <summary>Runs the guard on a modified copy of the Functions app's source, compiled against the app's real references.</summary>
    public async Task<IReadOnlyList<string>> GuardAsync(IReadOnlyDictionary<string, string> sources, LocalHostModel? local = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var compilation = FunctionsCompilation.Create(sources);
        var model = await FunctionsAppModel.ReadAsync(FunctionsCompilation.Load(compilation), compilation, Worker, RoutePrefix, settings ?? Settings);
        return DriftGuard.Compare(local ?? Local, model);
    }

    private static Dictionary<string, string> ReadSettings()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        return doc.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
    }
}
