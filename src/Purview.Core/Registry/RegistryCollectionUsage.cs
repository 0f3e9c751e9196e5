using Purview.Core.Access;

namespace Purview.Core.Registry;

/// <summary>A collection that still holds data sources cannot be deleted.</summary>
public sealed class RegistryCollectionUsage(IScanRegistryStore store) : ICollectionUsage
{
    public async Task<string?> DescribeUsageAsync(string collectionName, CancellationToken cancellationToken)
    {
        var held = (await store.ListDataSourcesAsync(cancellationToken))
            .Count(d => string.Equals(d.CollectionName, collectionName, StringComparison.OrdinalIgnoreCase));
        return held switch
        {
            0 => null,
            1 => "1 data source",
            _ => $"{held} data sources",
        };
    }
}
