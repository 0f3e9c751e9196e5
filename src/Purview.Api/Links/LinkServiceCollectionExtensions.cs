using Purview.Api.Hosting;
using Purview.Core.Access;
using Purview.Core.DataMap;
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
        services.AddStorageUser<TableDataMap, IDataMap>();
        services.AddStorageUser<TableRollupStore, IRollupStore>();
        services.AddSingleton<DataMapReader>();
        services.AddSingleton<DataMapMoves>();
        services.AddSingleton<ICollectionUsage, DataMapCollectionUsage>();
        services.AddStorageUser<TableLinkRepository, ILinkRepository>();
        services.AddStorageUser<TableLinkRunStore, ILinkRunStore>();
        services.AddStorageUser<TableLinkEventStore, ILinkEventStore>();
        services.AddStorageUser<TableLinkAggregateStore, ILinkAggregateStore>();
        services.AddSingleton<LinkDirectory>();
        services.AddSingleton<LinkLineageWriter>();
        services.AddSingleton<LinkService>();
        services.AddSingleton<ICollectionUsage, LinkCollectionUsage>();
        services.AddSingleton<LinkAggregator>();
        services.AddSingleton<LinkMonitoringService>();
        services.AddScheduledJob<LinkAggregationJob>();
        services.AddScheduledJob<LinkRetentionJob>();
        return services;
    }
}
