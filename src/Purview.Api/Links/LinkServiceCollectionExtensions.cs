using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Access;
using Purview.Core.DataMap;
using Purview.Core.Jobs;
using Purview.Core.Links;
using Purview.Storage;
using Purview.Storage.DataMap;
using Purview.Storage.Links;

namespace Purview.Api.Links;

public static class LinkServiceCollectionExtensions
{
    /// <summary>Links, their lineage data map, the hourly aggregation and daily retention jobs.</summary>
    public static IServiceCollection AddLinks(this IServiceCollection services)
    {
        services.AddSingleton<TableDataMap>();
        services.AddSingleton<IDataMap>(sp => sp.GetRequiredService<TableDataMap>());
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TableDataMap>());
        services.AddSingleton<TableRollupStore>();
        services.AddSingleton<IRollupStore>(sp => sp.GetRequiredService<TableRollupStore>());
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TableRollupStore>());
        services.AddSingleton<DataMapReader>();
        services.AddSingleton<DataMapMoves>();
        services.AddSingleton<ICollectionUsage, DataMapCollectionUsage>();
        services.AddSingleton<TableLinkRepository>();
        services.AddSingleton<ILinkRepository>(sp => sp.GetRequiredService<TableLinkRepository>());
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TableLinkRepository>());
        services.AddSingleton<TableLinkRunStore>();
        services.AddSingleton<ILinkRunStore>(sp => sp.GetRequiredService<TableLinkRunStore>());
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TableLinkRunStore>());
        services.AddSingleton<TableLinkEventStore>();
        services.AddSingleton<ILinkEventStore>(sp => sp.GetRequiredService<TableLinkEventStore>());
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TableLinkEventStore>());
        services.AddSingleton<TableLinkAggregateStore>();
        services.AddSingleton<ILinkAggregateStore>(sp => sp.GetRequiredService<TableLinkAggregateStore>());
        services.AddSingleton<IStorageUser>(sp => sp.GetRequiredService<TableLinkAggregateStore>());
        services.AddSingleton<LinkDirectory>();
        services.AddSingleton<LinkLineageWriter>();
        services.AddSingleton<LinkService>();
        services.AddSingleton<ICollectionUsage, LinkCollectionUsage>();
        services.AddSingleton<LinkAggregator>();
        services.AddSingleton<LinkMonitoringService>();
        services.AddSingleton<LinkAggregationJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<LinkAggregationJob>());
        services.AddSingleton<LinkRetentionJob>();
        services.AddSingleton<IScheduledJob>(sp => sp.GetRequiredService<LinkRetentionJob>());
        return services;
    }
}
