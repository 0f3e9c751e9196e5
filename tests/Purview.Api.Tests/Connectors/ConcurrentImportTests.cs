using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Connectors;
using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Connectors.ConnectorTestKit;

namespace Purview.Api.Tests.Connectors;

/// <summary>Identical imports sent at once: exactly one does the work and creates, the others replay its summary.</summary>
public sealed class ConcurrentImportTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Theory]
    [InlineData("same-import-id")]
    [InlineData(null)] // the same bytes: the import id is the body's hash
    public async Task Ten_identical_imports_at_once_create_one_summary_and_the_others_answer_it_with_200(string? importId)
    {
        // The real clock: each import that completed would get its own completion time (and its own admin log row).
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");
        var connector = "teams-race-" + (importId is null ? "hash" : "id");
        await PutConnector(admin, connector, "Teams");
        await PutMappings(admin, connector, "a", "b", "c");
        var body = Body(importId, Enumerable.Range(0, 300).Select(i => Item($"race-{i:D4}", "a", i % 3 == 0 ? ["b", "ghost"] : ["b", "c"])).ToArray());

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Import(admin, connector, body))));

        Assert.Equal(1, results.Count(r => r.Status == 201));
        Assert.Equal(9, results.Count(r => r.Status == 200));
        var first = results.Single(r => r.Status == 201).Json;
        foreach (var (_, json) in results)
        {
            Assert.Equal(first.GetProperty("importId").GetString(), json.GetProperty("importId").GetString());
            Assert.Equal(first.GetProperty("importCompletionTime").GetDateTimeOffset(), json.GetProperty("importCompletionTime").GetDateTimeOffset());
            AssertCounters(json, fromSource: 300, forImport: 900, imported: 800, partial: 0, skipped: 0, failed: 100);
        }

        var store = host.Services.GetRequiredService<IImportStore>();
        var day = DateOnly.FromDateTime(first.GetProperty("importCompletionTime").GetDateTimeOffset().UtcDateTime);
        var filed = await store.ListSummariesAsync(connector, day, CancellationToken.None).ToListAsync();
        Assert.Single(filed);
    }

    [Fact]
    public async Task A_claim_whose_owner_stopped_renewing_is_taken_over_once_its_lease_has_run_out()
    {
        var time = new ManualTimeProvider(Start);
        await using var host = NewHost(azurite, time);
        using var admin = host.Client("admin");
        await PutConnector(admin, "slack-dead", "Slack");
        await PutMappings(admin, "slack-dead", "a", "b");
        var store = host.Services.GetRequiredService<IImportStore>();
        // A request claimed the id, then its process died.
        Assert.True(await store.TryClaimImportAsync("slack-dead", "dead-1", "dead-owner", time.GetUtcNow(), TimeSpan.FromMinutes(2), CancellationToken.None));
        Assert.False(await store.TryClaimImportAsync("slack-dead", "dead-1", "other", time.GetUtcNow().AddMinutes(1), TimeSpan.FromMinutes(2), CancellationToken.None));

        time.Advance(TimeSpan.FromMinutes(3));
        var (status, summary) = await Import(admin, "slack-dead", Body("dead-1", Item("d0", "a", ["b"])));

        Assert.Equal(201, status);
        AssertCounters(summary, fromSource: 1, forImport: 2, imported: 2, partial: 0, skipped: 0, failed: 0);
        Assert.False(await store.RenewImportClaimAsync("slack-dead", "dead-1", "dead-owner", time.GetUtcNow(), TimeSpan.FromMinutes(2), CancellationToken.None));
        var (again, replay) = await Import(admin, "slack-dead", Body("dead-1", Item("d0", "a", ["b"])));
        Assert.Equal(200, again);
        Assert.Equal(summary.GetProperty("importCompletionTime").GetDateTimeOffset(), replay.GetProperty("importCompletionTime").GetDateTimeOffset());
    }
}
