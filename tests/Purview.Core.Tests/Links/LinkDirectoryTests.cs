using Purview.Core.Links;
using Purview.Core.Tests.Fakes;
using Purview.Testing;
using Xunit;

namespace Purview.Core.Tests.Links;

public sealed class LinkDirectoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static Link Adf(string name, params string[] writers) => new(LinkSourceType.AzureDataFactory, name, "finance", writers, T0, "admin", T0);

    [Fact]
    public async Task Links_are_read_from_one_listing_for_the_cache_lifetime()
    {
        var repository = new InMemoryLinkRepository();
        await repository.PutAsync(Adf("adf-a", "w"), default);
        await repository.PutAsync(Adf("adf-b", "w"), default);
        var clock = new ManualTimeProvider(T0);
        using var directory = new LinkDirectory(repository, clock);

        Assert.Equal("adf-a", (await directory.FindAsync(LinkSourceType.AzureDataFactory, "ADF-A", default))!.Name);
        Assert.Equal("adf-b", (await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-b", default))!.Name);
        Assert.Equal(1, repository.Listings);

        clock.Advance(LinkDirectory.CacheLifetime);
        await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-a", default);
        Assert.Equal(2, repository.Listings);
    }

    [Fact]
    public async Task A_link_missing_from_the_snapshot_is_read_once_more_so_a_new_link_is_found_at_once()
    {
        var repository = new InMemoryLinkRepository();
        using var directory = new LinkDirectory(repository, new ManualTimeProvider(T0));
        Assert.Null(await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-new", default));

        await repository.PutAsync(Adf("adf-new", "w"), default); // connected on another host

        Assert.NotNull(await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-new", default));
    }

    [Fact]
    public async Task A_change_of_writers_is_seen_after_an_invalidation_and_not_before()
    {
        var repository = new InMemoryLinkRepository();
        await repository.PutAsync(Adf("adf-a", "old-writer"), default);
        using var directory = new LinkDirectory(repository, new ManualTimeProvider(T0));
        await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-a", default);

        await repository.PutAsync(Adf("adf-a", "new-writer"), default);
        Assert.Equal(["old-writer"], (await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-a", default))!.Writers);
        directory.Invalidate();
        Assert.Equal(["new-writer"], (await directory.FindAsync(LinkSourceType.AzureDataFactory, "adf-a", default))!.Writers);
    }
}
