using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Purview.Api.Identity;
using Purview.Core.Health;
using Purview.Storage;
using Purview.Storage.Client;
using Purview.Storage.Health;

namespace Purview.Api.Hosting;

/// <summary>The service registrations both hosts share: the local host and the Functions app call this and nothing else.</summary>
public static class PurviewServiceCollectionExtensions
{
    public static IServiceCollection AddPurviewMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => new StorageClientOptions());
        services.AddSingleton(sp =>
        {
            var account = StorageConfiguration.ResolveAccount(configuration);
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Purview.Storage").LogInformation("Storage account {Account} ({Authentication}) at {TableEndpoint}", account.Name, account.AuthenticationKind, account.TableEndpoint);
            return account;
        });
        services.AddSingleton<IStorageProbe, StorageProbe>();
        services.AddProblemDetails();
        services.AddPurviewIdentity(configuration);
        return services;
    }
}
