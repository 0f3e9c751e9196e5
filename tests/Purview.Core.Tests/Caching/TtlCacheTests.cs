using Purview.Core.Caching;
using Purview.Testing;
using Xunit;

namespace Purview.Core.Tests.Caching;

public sealed class TtlCacheTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>A source that counts its reads and answers "v{n}" for the n-th.</summary>
    private sealed class Source
    {
        private int _reads;

        public int Reads => _reads;

        public Func<int, Task>? BeforeAnswer { get; set; }

        public async Task<string> LoadAsync(CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _reads);
            if (BeforeAnswer is { } before)
            {
                await before(n);
            }

            return $"v{n}";
        }
    }

    [Fact]
    public async Task A_value_is_loaded_once_and_reused_within_its_lifetime()
    {
        var clock = new ManualTimeProvider(T0);
        var source = new Source();
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        Assert.Equal("v1", await cache.GetAsync(default));
        clock.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Equal("v1", await cache.GetAsync(default));
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public async Task A_value_as_old_as_its_lifetime_is_loaded_again()
    {
        var clock = new ManualTimeProvider(T0);
        var source = new Source();
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        await cache.GetAsync(default);
        clock.Advance(Lifetime);

        Assert.Equal("v2", await cache.GetAsync(default));
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task Invalidate_makes_the_next_read_load_again()
    {
        var clock = new ManualTimeProvider(T0);
        var source = new Source();
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        await cache.GetAsync(default);
        cache.Invalidate();

        Assert.Equal("v2", await cache.GetAsync(default));
        Assert.Equal("v2", await cache.GetAsync(default));
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task A_load_that_started_before_an_invalidation_answers_its_caller_but_is_not_kept()
    {
        var clock = new ManualTimeProvider(T0);
        var source = new Source();
        var loading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.BeforeAnswer = async n =>
        {
            if (n == 1)
            {
                loading.SetResult();
                await release.Task;
            }
        };
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        var stale = cache.GetAsync(default);
        await loading.Task;
        cache.Invalidate(); // a write lands while the first load is reading the source
        release.SetResult();

        Assert.Equal("v1", await stale);
        Assert.Equal("v2", await cache.GetAsync(default));
        Assert.Equal("v2", await cache.GetAsync(default));
        Assert.Equal(2, source.Reads);
    }

    [Fact]
    public async Task Readers_of_a_cold_cache_wait_for_one_load()
    {
        var clock = new ManualTimeProvider(T0);
        var source = new Source();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.BeforeAnswer = _ => release.Task;
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => cache.GetAsync(default))).ToList();
        release.SetResult();
        var values = await Task.WhenAll(readers);

        Assert.All(values, v => Assert.Equal("v1", v));
        Assert.Equal(1, source.Reads);
    }

    [Fact]
    public async Task A_failed_load_is_not_kept_and_the_next_read_tries_again()
    {
        var clock = new ManualTimeProvider(T0);
        var source = new Source { BeforeAnswer = n => n == 1 ? throw new InvalidOperationException("storage down") : Task.CompletedTask };
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetAsync(default));

        Assert.Equal("v2", await cache.GetAsync(default));
    }

    [Fact]
    public async Task A_clock_set_back_behind_the_load_time_reloads()
    {
        var clock = new SettableClock { Now = T0 };
        var source = new Source();
        using var cache = new TtlCache<string>(source.LoadAsync, Lifetime, clock);

        await cache.GetAsync(default);
        clock.Now = T0 - TimeSpan.FromMinutes(1);

        Assert.Equal("v2", await cache.GetAsync(default));
    }

    /// <summary>A wall clock that can go back (the manual clock only moves forward).</summary>
    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
