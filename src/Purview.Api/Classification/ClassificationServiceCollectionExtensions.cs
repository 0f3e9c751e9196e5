using Purview.Api.Hosting;
using Purview.Core.Classification;
using Purview.Core.Scanners;
using Purview.Storage;
using Purview.Storage.Classification;
using Purview.Storage.ScanRuns;

namespace Purview.Api.Classification;

public static class ClassificationServiceCollectionExtensions
{
    /// <summary>
    /// Classification rules and scan rule sets (store and use cases), and the scan-phase steps that use them: the page
    /// processor (sampling plan, classification, resource sets, incremental filter) and the end-of-ingestion reconciler.
    /// </summary>
    public static IServiceCollection AddClassification(this IServiceCollection services)
    {
        services.AddStorageUser<TableClassificationRuleStore, IClassificationRuleStore>();
        services.AddSingleton<ClassificationRuleService>();
        services.AddSingleton(SamplingLimits.Default);
        services.AddRole<IAssetCatalog, TableAssetCatalog>();
        services.AddSingleton<ScanPageProcessor>();
        services.AddSingleton<ScanReconciler>();
        return services;
    }
}
