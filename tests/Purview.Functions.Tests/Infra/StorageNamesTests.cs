using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Functions.Tests.Drift;
using Purview.Storage;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.Infra;

/// <summary>infra/storage-names.json lists exactly the tables, queues and containers the running app asks StorageLayout for.</summary>
public sealed class StorageNamesTests(DriftFixture fixture) : IClassFixture<DriftFixture>
{
    [Fact]
    public void The_infra_list_names_every_table_queue_and_container_the_app_uses()
    {
        // Resolving every storage user makes each repository ask the layout for its names (as StorageInitializer does at start).
        _ = fixture.Services.GetServices<IStorageUser>().ToList();
        var layout = fixture.Services.GetRequiredService<StorageLayout>();
        using var listed = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "storage-names.json")));

        var differences = Compare("tables", listed, layout.TableNames.Select(n => n[layout.Prefix.Length..]))
            .Concat(Compare("queues", listed, layout.QueueNames.Select(n => n[(layout.Prefix.Length + 1)..])))
            .Concat(Compare("containers", listed, layout.ContainerNames.Select(n => n[(layout.Prefix.Length + 1)..])))
            .ToList();

        Assert.True(differences.Count == 0, "infra/storage-names.json is out of date:\n  " + string.Join("\n  ", differences));
    }

    private static IEnumerable<string> Compare(string kind, JsonDocument listed, IEnumerable<string> used)
    {
        var inList = listed.RootElement.GetProperty(kind).EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
        var inApp = used.ToHashSet(StringComparer.Ordinal);
        return inApp.Except(inList).Order(StringComparer.Ordinal).Select(n => $"{kind}: the app uses '{n}', which the list lacks")
            .Concat(inList.Except(inApp).Order(StringComparer.Ordinal).Select(n => $"{kind}: the list has '{n}', which the app does not use"));
    }
}
