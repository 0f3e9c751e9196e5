using Purview.Api.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Purview.Core.Monitoring;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage;
using Purview.Storage.DataMap;
using Purview.Storage.Scanning;
using Purview.Storage.ScanRuns;

namespace Purview.Api.ScanRuns;

public static class ScanRunServiceCollectionExtensions
{
    /// <summary>Scan runs, their storage, the blob scanner and monitoring: what both hosts need.</summary>
    public static IServiceCollection AddScanRuns(this IServiceCollection services, IConfiguration configuration)
    {
        var execution = new ScanRunExecutionOptions();
        configuration.GetSection("ScanRuns").Bind(execution);
        services.AddSingleton(execution);

        services.AddStorageUser<TableScanRunStore, IScanRunStore>();
        services.AddStorageUser<TableAdmissionStore, IAdmissionStore>();
        services.AddStorageUser<BlobStagingStore, IStagingStore>();
        // Ingestion writes the assets table and, through the data map, the entities and relationships the Atlas reads serve.
        services.AddStorageUser<TableAssetCatalog>();
        services.AddSingleton<IAssetSink>(sp => new DataMapAssetSink(sp.GetRequiredService<TableDataMap>(), sp.GetRequiredService<TimeProvider>()));
        services.AddStorageUser<TableScanRunExceptionLog, IScanRunExceptionLog>();
        services.AddStorageUser<TableRunCounterStore, IRunCounterStore>();
        // Hosts that drive runs replace it (the local host's engine); the others leave waking to the orchestration.
        services.TryAddSingleton<IRunDriver, NoRunDriver>();
        // The registry feature registers the real IScanRegistry; until then (and if it is absent) nothing is registered.
        services.AddScanTargets(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScanner, AzureBlobScanner>());
        var sql = new SqlScanningOptions();
        configuration.GetSection("Scanning").Bind(sql);
        services.AddSingleton(sql);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IScanner, SqlDatabaseScanner>());
        services.AddSingleton<ScanRunWriter>();
        services.AddSingleton<ScanRunAdmission>();
        services.AddSingleton<ScanPageDelivery>();
        services.AddSingleton<ScanRunStepExecutor>();
        services.AddScheduledJob<ScanRunRepairJob>();
        services.AddSingleton<ScanRunService>();
        services.AddSingleton<ScheduledRuns>();
        services.AddSingleton<Purview.Core.Jobs.IScheduledJob, ScanScheduleJob>();
        services.AddScheduledJob<RunRollupRepairJob>();
        services.AddSingleton<MonitoringService>();
        // The Durable orchestration's activities (both hosts register the same class) and its history retention (the
        // local host's engine replaces the port; the Functions app purges through its Durable client).
        services.AddSingleton<Durable.ScanRunActivities>();
        services.TryAddSingleton<IOrchestrationHistory, NoOrchestrationHistory>();
        services.AddScheduledJob<OrchestrationHistoryRetentionJob>();
        return services;
    }

    /// <summary>
    /// Where scans may go (<c>Scanning:Targets</c>, see <see cref="ScanTargetOptions"/>): in Development loopback targets
    /// (the local Azurite, test databases) and plain http/PostgreSQL are allowed unless configured otherwise.
    /// </summary>
    public static IServiceCollection AddScanTargets(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<IHostResolver, DnsHostResolver>();
        services.TryAddSingleton(sp =>
        {
            var development = sp.GetRequiredService<IHostEnvironment>().IsDevelopment();
            var section = configuration.GetSection("Scanning:Targets");
            var options = new ScanTargetOptions { Development = development, AllowLoopback = development, RequireTls = !development };
            section.Bind(options);
            foreach (var (list, key) in new[] { (options.AllowedHosts, "AllowedHosts"), (options.ManagedIdentityEndpoints, "ManagedIdentityEndpoints"), (options.DeniedAccounts, "DeniedAccounts") })
            {
                // A comma-separated string (an app setting) as well as a list.
                if (section[key] is { } single)
                {
                    foreach (var item in single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        list.Add(item);
                    }
                }
            }

            return options;
        });
        services.TryAddSingleton(sp => new ScanTargetGuard(sp.GetRequiredService<ScanTargetOptions>(), sp.GetRequiredService<IHostResolver>(), sp.GetRequiredService<Purview.Core.Access.AccessOptions>())
        {
            OwnBlobEndpoint = sp.GetRequiredService<Purview.Storage.Client.StorageAccount>().BlobEndpoint,
        });
        return services;
    }
}
