namespace Purview.Core.Caching;

/// <summary>
/// One value loaded on demand and reused for <c>lifetime</c> (application time), dropped by <see cref="Invalidate"/>.
/// Loads are serialized, so a cold cache reads its source once however many callers wait. A load that started before
/// an <see cref="Invalidate"/> still answers its own callers but is not kept: it may have read the source before the
/// change that invalidated it, and keeping it would hide that change for a whole lifetime. A clock that moved back
/// behind the load time also reloads (the age is unknown).
/// </summary>
public sealed class TtlCache<T>(Func<CancellationToken, Task<T>> load, TimeSpan lifetime, TimeProvider time) : IDisposable
    where T : class
{
    private readonly SemaphoreSlim _loadGate = new(1, 1);
    private readonly Lock _stateLock = new();
    private Entry? _entry;
    private long _generation;

    public TimeSpan Lifetime => lifetime;

    public async Task<T> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh(Volatile.Read(ref _entry)) is { } hit)
        {
            return hit;
        }

        await _loadGate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(Volatile.Read(ref _entry)) is { } loadedMeanwhile)
            {
                return loadedMeanwhile;
            }

            long generation;
            lock (_stateLock)
            {
                generation = _generation;
            }

            var loadedAt = time.GetUtcNow();
            var value = await load(cancellationToken);
            lock (_stateLock)
            {
                // The check and the store under the lock Invalidate takes: an invalidation cannot slip in between.
                if (generation == _generation)
                {
                    Volatile.Write(ref _entry, new Entry(value, loadedAt));
                }
            }

            return value;
        }
        finally
        {
            _loadGate.Release();
        }
    }

    /// <summary>Drops the value; a load under way when this is called is not kept.</summary>
    public void Invalidate()
    {
        lock (_stateLock)
        {
            _generation++;
            Volatile.Write(ref _entry, null);
        }
    }

    public void Dispose() => _loadGate.Dispose();

    private T? Fresh(Entry? entry)
    {
        if (entry is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        return now >= entry.LoadedAt && now - entry.LoadedAt < lifetime ? entry.Value : null;
    }

    private sealed record Entry(T Value, DateTimeOffset LoadedAt);
}
