using Purview.Storage.Jobs;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Jobs;

public sealed class TableJobOccurrenceStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Occurrence = new(2026, 11, 22, 5, 5, 0, TimeSpan.Zero);

    private async Task<(TableJobOccurrenceStore Store, ManualTimeProvider Time)> CreateAsync(string prefix, ManualTimeProvider? time = null)
    {
        time ??= new ManualTimeProvider(Occurrence);
        var (store, _) = await StoresUnderTest.CreateAsync(azurite, prefix, layout => new TableJobOccurrenceStore(layout, time));
        return (store, time);
    }

    [Fact]
    public async Task Of_hosts_claiming_the_same_occurrence_at_once_exactly_one_wins()
    {
        var prefix = "j" + Guid.NewGuid().ToString("N")[..8];
        var time = new ManualTimeProvider(Occurrence);
        var hosts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CreateAsync(prefix, time)));

        var claims = await Task.WhenAll(hosts.Select((h, i) => h.Store.TryClaimAsync("hourly", Occurrence, $"host{i}", TimeSpan.FromMinutes(10), default)));

        Assert.Equal(1, claims.Count(c => c));
    }

    [Fact]
    public async Task A_claim_whose_lease_expired_unfinished_is_taken_over_once_and_a_done_occurrence_never_runs_again()
    {
        var prefix = "j" + Guid.NewGuid().ToString("N")[..8];
        var (store, time) = await CreateAsync(prefix);

        Assert.True(await store.TryClaimAsync("daily", Occurrence, "a", TimeSpan.FromMinutes(10), default));
        Assert.False(await store.TryClaimAsync("daily", Occurrence, "b", TimeSpan.FromMinutes(10), default));
        time.Advance(TimeSpan.FromMinutes(11));
        var takeovers = await Task.WhenAll(store.TryClaimAsync("daily", Occurrence, "b", TimeSpan.FromMinutes(10), default), store.TryClaimAsync("daily", Occurrence, "c", TimeSpan.FromMinutes(10), default));
        Assert.Equal(1, takeovers.Count(t => t));
        await store.CompleteAsync("daily", Occurrence, takeovers[0] ? "b" : "c", default);
        time.Advance(TimeSpan.FromHours(1));

        Assert.False(await store.TryClaimAsync("daily", Occurrence, "d", TimeSpan.FromMinutes(10), default));
        Assert.True(await store.TryClaimAsync("daily", Occurrence.AddDays(1), "d", TimeSpan.FromMinutes(10), default));
    }

    [Fact]
    public async Task A_released_claim_can_be_retried_at_once()
    {
        var (store, _) = await CreateAsync("j" + Guid.NewGuid().ToString("N")[..8]);

        Assert.True(await store.TryClaimAsync("hourly", Occurrence, "a", TimeSpan.FromMinutes(10), default));
        await store.ReleaseAsync("hourly", Occurrence, "a", default);

        Assert.True(await store.TryClaimAsync("hourly", Occurrence, "b", TimeSpan.FromMinutes(10), default));
    }
}
