using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Links;

namespace Purview.Api.Tests.Links;

internal static class LinkTestExtensions
{
    public static Task<IReadOnlyList<LinkEvent>> GetEventsAsync(this IServiceProvider services, DateTimeOffset hour) =>
        services.GetRequiredService<ILinkEventStore>().ListHourAsync(hour, CancellationToken.None);

    public static Task RunHourlyAsync(this IServiceProvider services, DateTimeOffset occurrence) =>
        services.GetRequiredService<LinkAggregationJob>().RunAsync(occurrence, CancellationToken.None);

    public static Task RunRetentionAsync(this IServiceProvider services, DateTimeOffset occurrence) =>
        services.GetRequiredService<LinkRetentionJob>().RunAsync(occurrence, CancellationToken.None);
}
