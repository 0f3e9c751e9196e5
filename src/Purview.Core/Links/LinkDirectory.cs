using Purview.Core.Caching;

namespace Purview.Core.Links;

/// <summary>
/// The links a push is checked against: a snapshot of all of them (one small partition) kept for
/// <see cref="CacheLifetime"/> (as the access snapshot) and dropped on this host's own link writes. A link missing from
/// the snapshot is read once more, so a link just connected on another host is found at once (a disconnect or a change
/// of writers there is seen within the lifetime).
/// </summary>
public sealed class LinkDirectory(ILinkRepository links, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    private readonly TtlCache<IReadOnlyDictionary<string, Link>> _cache = new(
        async ct => (await links.ListAsync(ct)).ToDictionary(l => l.Key, StringComparer.Ordinal), CacheLifetime, time);

    public async Task<Link?> FindAsync(LinkSourceType type, string name, CancellationToken cancellationToken) =>
        (await _cache.GetAsync(cancellationToken)).TryGetValue(LinkNames.Key(type, name), out var link)
            ? link
            : await links.GetAsync(type, name, cancellationToken);

    /// <summary>After a link was connected, changed or disconnected here.</summary>
    public void Invalidate() => _cache.Invalidate();

    public void Dispose() => _cache.Dispose();
}
