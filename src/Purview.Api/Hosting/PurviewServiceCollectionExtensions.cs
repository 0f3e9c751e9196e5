using Purview.Api.Alerts;
using Purview.Api.Classification;
using Purview.Api.Connectors;
using Purview.Api.ScanRuns;
using Purview.Api.Registry;
using Purview.Core.Access;
using Purview.Api.Identity;
using Purview.Api.Links;
using Purview.Core.Health;
using Purview.Core.Jobs;
using Purview.Storage.Jobs;
using Purview.Storage.Access;
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
        services.AddSingleton(sp => new StorageLayout(
            sp.GetRequiredService<StorageAccount>(), sp.GetRequiredService<StorageClientOptions>(), sp.GetRequiredService<ILoggerFactory>(),
            configuration["Storage:Prefix"] ?? "pv"));
        services.AddHostedService<StorageInitializer>();

        services.AddSingleton(sp => AccessOptionsFrom(configuration, sp.GetRequiredService<IHostEnvironment>()));
        services.AddStorageUser<TableAccessRepository, IAccessRepository>();
        services.AddStorageUser<TableAuditLog, IAuditLog>();
        services.AddSingleton<AccessService>();
        services.AddStorageUser<TableJobOccurrenceStore, IJobOccurrenceStore>();
        services.AddScanRegistry(configuration);
        services.AddClassification();
        services.AddConnectors();
        // Import bodies wait on local disk between their two passes (Core only knows the port).
        services.AddSingleton<Purview.Core.Connectors.IImportSpool, TempFileImportSpool>();
        services.AddLinks();
        services.AddPurviewHttp(configuration);
        services.AddPurviewIdentity(configuration);
        services.AddAccessPolicies();
        services.AddScanRuns(configuration);
        services.AddAlerts();
        return services;
    }

    /// <summary>
    /// <c>Access:RootCollection</c> (default "root") and <c>Access:BootstrapAdmins</c> (a list, or a comma-separated
    /// string); in Development the bootstrap admin defaults to "admin" so that its development token can do everything.
    /// </summary>
    private static AccessOptions AccessOptionsFrom(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = new AccessOptions { RootCollection = configuration["Access:RootCollection"] ?? "root" };
        var section = configuration.GetSection("Access:BootstrapAdmins");
        var admins = section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value).OfType<string>().ToArray();
        if (admins.Length == 0 && environment.IsDevelopment())
        {
            admins = ["admin"];
        }

        foreach (var admin in admins)
        {
            options.BootstrapAdmins.Add(admin);
        }

        return options;
    }
}
