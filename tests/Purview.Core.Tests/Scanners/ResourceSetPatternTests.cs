using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Scanners;

public sealed class ResourceSetPatternTests
{
    [Theory]
    [InlineData("c/sales/2024/01/15/part-00001.csv", "c/sales/{N}/{N}/{N}/part-{N}.csv")]
    [InlineData("c/sales/2024-01-15/data.parquet", "c/sales/{Date}/data.parquet")]
    [InlineData("c/events/year=2024/month=01/events.json", "c/events/year={Value}/month={Value}/events.json")]
    [InlineData("c/out/3f2504e0-4f89-11d3-9a0c-0305e82c3301.json", "c/out/{GUID}.json")]
    [InlineData("c/logs/app_20240115T1030.log", "c/logs/app_{Date}.log")]
    [InlineData("c/v1/data.mp4", "c/v{N}/data.mp4")]
    public void Partition_like_parts_become_placeholders_and_the_extension_is_kept(string path, string pattern)
    {
        Assert.Equal(pattern, ResourceSetPattern.Of(path));
    }

    [Theory]
    [InlineData("c/readme.md")]
    [InlineData("c/data/customers.csv")]
    [InlineData("c/data/file.h5")]
    public void Paths_without_partition_like_parts_are_not_in_a_resource_set(string path)
    {
        Assert.Null(ResourceSetPattern.Of(path));
    }

    [Fact]
    public void Files_differing_only_in_partitions_share_one_qualified_name_built_from_the_asset_endpoint()
    {
        var a = new DiscoveredAsset("https://acct.blob.core.windows.net/c/d=2024-01-01/part-00001.csv", "part-00001.csv", "azure_blob_path", 1, null, "c/d=2024-01-01/part-00001.csv");
        var b = a with { QualifiedName = "https://acct.blob.core.windows.net/c/d=2024-01-02/part-00017.csv", Path = "c/d=2024-01-02/part-00017.csv" };

        Assert.Equal("https://acct.blob.core.windows.net/c/d={Value}/part-{N}.csv", ResourceSetPattern.QualifiedNameOf(a));
        Assert.Equal(ResourceSetPattern.QualifiedNameOf(a), ResourceSetPattern.QualifiedNameOf(b));
    }
}
