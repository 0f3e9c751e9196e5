using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Purview.Testing;

/// <summary>
/// The local host's real pipeline in memory (WebApplicationFactory) over a real Azurite.
/// Settings are passed as host settings so they win over appsettings.json and local.settings.json.
/// </summary>
public class PurviewApplicationFactory(string storageConnectionString, TimeProvider? timeProvider = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<Program>
{
    public string StoragePrefix { get; } = settings?.GetValueOrDefault("Storage:Prefix") ?? "t" + Guid.NewGuid().ToString("N")[..8];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("AzureWebJobsStorage", storageConnectionString);
        builder.UseSetting("LocalSettingsPath", "none");
        // Every factory gets its own tables, queues and containers in the shared Azurite.
        builder.UseSetting("Storage:Prefix", StoragePrefix);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (timeProvider is not null)
        {
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(timeProvider)));
        }

        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }
}
