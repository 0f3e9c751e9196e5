using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Identity;

namespace Purview.Testing;

/// <summary>
/// The local host over Azurite with its own storage prefix and development key, and HTTP clients that call it as a
/// given principal (a development token issued by the host's own issuer). "admin" is the bootstrap admin.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly string _keyFolder = Path.Combine(Path.GetTempPath(), "purview-tests", Guid.NewGuid().ToString("N"));

    public TestHost(AzuriteFixture azurite, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var all = new Dictionary<string, string?>
        {
            ["Identity:Development:KeyPath"] = Path.Combine(_keyFolder, "devtoken.key"),
            ["RateLimiting:PermitsPerSecond"] = "100000",
            // Tests run scheduled jobs themselves, at the instants they choose.
            ["Jobs:Enabled"] = "false",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        Factory = new PurviewApplicationFactory(azurite.ConnectionString, time, all, configureServices);
    }

    public PurviewApplicationFactory Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>A client authenticated as <paramref name="principal"/>; null for an anonymous client.</summary>
    public HttpClient Client(string? principal = "admin")
    {
        var client = Factory.CreateClient();
        if (principal is not null)
        {
            var token = Factory.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(principal);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (Directory.Exists(_keyFolder))
        {
            Directory.Delete(_keyFolder, recursive: true);
        }
    }
}
