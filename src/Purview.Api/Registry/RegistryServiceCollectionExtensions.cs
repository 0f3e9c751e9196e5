using Purview.Api.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Purview.Core.Access;
using Purview.Core.Registry;
using Purview.Storage;
using Purview.Storage.DataProtection;
using Purview.Storage.Registry;
using Purview.Api.ScanRuns;

namespace Purview.Api.Registry;

public static class RegistryServiceCollectionExtensions
{
    /// <summary>
    /// The scan registry: its table store (also <see cref="IScanRegistry"/> for the scan-run engine), its use cases, the
    /// collection-usage check, and Data Protection with the key ring in blob storage (shared by every host instance
    /// that uses the same storage account and prefix).
    /// </summary>
    public static IServiceCollection AddScanRegistry(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddScanTargets(configuration);
        services.AddDataProtection().SetApplicationName("Purview.Monitor");
        services.AddStorageUser<BlobXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<BlobXmlRepository>((options, repository) => options.XmlRepository = repository);

        services.AddStorageUser<TableScanRegistry, IScanRegistryStore>();
        services.AddRole<IScanRegistry, TableScanRegistry>();
        services.AddStorageUser<TableScheduleKeyStore, IScheduleKeyStore>();
        services.AddSingleton<ICollectionUsage, RegistryCollectionUsage>();
        services.AddSingleton<RegistryAccess>();
        services.AddSingleton<DataSourceService>();
        services.AddSingleton<ScanService>();
        services.AddSingleton<ScanFilterService>();
        services.AddSingleton<ScanTriggerService>();
        services.AddSingleton<CredentialService>();
        services.AddSingleton<IntegrationRuntimeService>();
        services.AddSingleton<ScanSettingsService>();
        return services;
    }
}
