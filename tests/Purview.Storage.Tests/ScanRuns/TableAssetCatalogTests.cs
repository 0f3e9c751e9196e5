using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Storage.ScanRuns;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.ScanRuns;

public sealed class TableAssetCatalogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly ScanRunId Run = new(Guid.Parse("6f2d0a56-3c1e-4c7e-9a44-0b5d7e1f2a10"));

    /// <summary>A catalog over the storage of <paramref name="prefix"/>: a second instance on the same prefix is another process.</summary>
    private async Task<TableAssetCatalog> CreateAsync(string prefix) =>
        (await StoresUnderTest.CreateAsync(azurite, prefix, layout => new TableAssetCatalog(layout, TimeProvider.System))).Store;

    private static string Prefix() => "cat" + Guid.NewGuid().ToString("N")[..8];

    private static async Task<List<CatalogEntry>> ListAsync(TableAssetCatalog catalog, string ds)
    {
        var entries = new List<CatalogEntry>();
        await foreach (var entry in catalog.ListAsync(ds, default))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static List<string> Names(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => $"https://acct.blob.core.windows.net/c/{prefix}/file-{i:D5}.csv").ToList();

    [Fact]
    public async Task The_inventory_lists_what_runs_added_once_each_and_forgets_what_they_removed()
    {
        var catalog = await CreateAsync(Prefix());
        var first = Names("a", 2_000);

        await catalog.UpdateInventoryAsync("ds-one", first, [], [], default);
        await catalog.UpdateInventoryAsync("ds-one", first.Take(500).ToList(), [], [], default); // a repeat changes nothing
        var gone = first.Take(3).ToList();
        await catalog.UpdateInventoryAsync("DS-One", Names("b", 10), [], gone, default); // data source names ignore case

        var entries = await ListAsync(catalog, "ds-one");
        Assert.Equal(2_007, entries.Count);
        Assert.Equal(entries.Count, entries.Select(e => e.QualifiedName).Distinct(StringComparer.Ordinal).Count());
        Assert.All(entries, e => Assert.False(e.Deleted || e.IsResourceSet));
        Assert.DoesNotContain(entries, e => gone.Contains(e.QualifiedName));
        Assert.Empty(await ListAsync(catalog, "ds-two"));
    }

    [Fact]
    public async Task Updates_of_one_data_source_from_two_processes_at_once_all_stand()
    {
        var prefix = Prefix();
        var (one, two) = (await CreateAsync(prefix), await CreateAsync(prefix));
        var batches = Enumerable.Range(0, 8).Select(i => Names("run" + i, 300)).ToList();

        await Task.WhenAll(batches.Select((names, i) => (i % 2 == 0 ? one : two).UpdateInventoryAsync("ds", names, [], [], default)));

        var entries = await ListAsync(one, "ds");
        Assert.Equal(batches.SelectMany(b => b).Order(StringComparer.Ordinal), entries.Select(e => e.QualifiedName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_marked_asset_seen_again_loses_its_mark_after_it_is_back_in_the_inventory()
    {
        var catalog = await CreateAsync(Prefix());
        var names = Names("m", 5);
        await catalog.UpdateInventoryAsync("ds", names, [], [], default);

        var marked = await catalog.MarkDeletedAsync("ds", Run, [names[0], names[1]], default);
        Assert.Equal(2, marked.Succeeded);
        await catalog.UpdateInventoryAsync("ds", [], [], [names[0], names[1]], default);
        var afterDelete = await ListAsync(catalog, "ds");
        Assert.Equal([names[0], names[1]], afterDelete.Where(e => e.Deleted).Select(e => e.QualifiedName).Order(StringComparer.Ordinal));
        Assert.Equal(3, afterDelete.Count(e => !e.Deleted));

        await catalog.UpdateInventoryAsync("ds", [names[1]], [names[1]], [], default);

        var entries = await ListAsync(catalog, "ds");
        Assert.Equal(names[0], Assert.Single(entries, e => e.Deleted).QualifiedName);
        Assert.Equal(names.Skip(1).Order(StringComparer.Ordinal), entries.Where(e => !e.Deleted).Select(e => e.QualifiedName).Order(StringComparer.Ordinal));
    }
}
