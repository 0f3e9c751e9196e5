using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Connectors;
using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Connectors.ConnectorTestKit;

namespace Purview.Api.Tests.Connectors;

public sealed class ImportTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_large_batch_streams_through_many_buffers_and_chunks_with_exact_counters()
    {
        await using var host = NewHost(azurite, new ManualTimeProvider(Start));
        using var admin = host.Client("admin");
        await PutConnector(admin, "ice-bulk", "ICE");
        await PutMappings(admin, "ice-bulk", "a", "b", "c");
        // 5,000 items (about 900 KB: many 64 KB reads, five chunks): every 10th has an unmapped recipient, every 7th a blocked attachment.
        var items = Enumerable.Range(0, 5000).Select(i => Item($"item-{i:D5}-{new string('p', 60)}", "a", i % 10 == 0 ? ["b", "zed"] : ["b", "c"], 2048,
            i % 7 == 0 ? [("macro.vbs", 100)] : [])).ToArray();
        var (status, summary) = await Import(admin, "ice-bulk", Body("bulk-1", items));
        Assert.Equal(201, status);
        var unmapped = items.Length / 10;
        var partialItems = Enumerable.Range(0, 5000).Count(i => i % 7 == 0 && i % 10 != 0);
        var partialUnmapped = Enumerable.Range(0, 5000).Count(i => i % 7 == 0 && i % 10 == 0);
        AssertCounters(summary, fromSource: 5000, forImport: 15000,
            imported: (5000 - partialItems - partialUnmapped) * 3 - (unmapped - partialUnmapped),
            partial: partialItems * 3 + partialUnmapped * 2,
            skipped: 0,
            failed: unmapped);
    }

    [Fact]
    public async Task An_import_retried_after_a_crash_counts_the_copies_it_already_wrote_once()
    {
        await using var host = NewHost(azurite, new ManualTimeProvider(Start));
        using var admin = host.Client("admin");
        await PutConnector(admin, "whatsapp-1", "WhatsApp");
        await PutMappings(admin, "whatsapp-1", "a", "b");
        // The first attempt wrote item 0's copies, then died before its summary.
        var store = host.Services.GetRequiredService<IImportStore>();
        await store.ClaimCopiesAsync("whatsapp-1", "retry-1", new DateOnly(2026, 11, 21),
            [new CopyRecord("w0", "a@contoso.com", 0, CopyStatus.Imported), new CopyRecord("w0", "b@contoso.com", 0, CopyStatus.Imported)], CancellationToken.None);

        var (status, summary) = await Import(admin, "whatsapp-1", Body("retry-1", Item("w0", "a", ["b"]), Item("w1", "b", ["a"])));
        Assert.Equal(201, status);
        AssertCounters(summary, fromSource: 2, forImport: 4, imported: 4, partial: 0, skipped: 0, failed: 0);

        // Another import of the same items is a duplicate of each copy.
        var (_, again) = await Import(admin, "whatsapp-1", Body("retry-2", Item("w0", "a", ["b"]), Item("w1", "b", ["a"])));
        AssertCounters(again, fromSource: 2, forImport: 4, imported: 0, partial: 0, skipped: 4, failed: 0);
    }
}
