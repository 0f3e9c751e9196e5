// Atlas calls an entity's id "guid"; the data map keeps that name.
#pragma warning disable CA1720
namespace Purview.Core.DataMap;

/// <summary>
/// One sighting of an entity that stands for many: a run of a process (<see cref="Key"/> = the run id) or a raw
/// partition path of a resource set (<see cref="Key"/> = the raw qualified name), at the time of the run.
/// </summary>
public sealed record RollupSighting(string EntityGuid, string Key, DateTimeOffset At);

public sealed record RollupEntry(string Key, DateTimeOffset At);

/// <summary>
/// What the sightings of one entity add up to: <see cref="Count"/> distinct keys (each counted once, however often it
/// is sent), the <see cref="Latest"/> by time, and the <see cref="RecentCapacity"/> most recent, newest first.
/// </summary>
public sealed record RollupSummary(long Count, RollupEntry Latest, IReadOnlyList<RollupEntry> Recent)
{
    /// <summary>How many recent keys an entity keeps readable (a bounded list: an entity may have thousands of runs).</summary>
    public const int RecentCapacity = 10;

    /// <summary>
    /// <paramref name="current"/> (null: none yet) with <paramref name="added"/> keys, which the caller has made sure
    /// were never counted. Newest first; equal times are ordered by key so every writer keeps the same list. Pure.
    /// </summary>
    public static RollupSummary Add(RollupSummary? current, IReadOnlyCollection<RollupEntry> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return current ?? throw new ArgumentException("Nothing to add to an empty summary.", nameof(added));
        }

        var recent = (current?.Recent ?? []).Concat(added)
            .DistinctBy(e => e.Key, StringComparer.Ordinal)
            .OrderByDescending(e => e.At).ThenBy(e => e.Key, StringComparer.Ordinal)
            .Take(RecentCapacity)
            .ToList();
        var latest = current is null ? recent[0] : Newer(current.Latest, recent[0]);
        return new RollupSummary((current?.Count ?? 0) + added.Count, latest, recent);
    }

    private static RollupEntry Newer(RollupEntry a, RollupEntry b) =>
        a.At > b.At || (a.At == b.At && string.CompareOrdinal(a.Key, b.Key) <= 0) ? a : b;
}

/// <summary>
/// The run counts of processes and the raw paths of resource sets that pushed lineage rolls up. Recording is exact and
/// idempotent: a key already recorded for an entity is never counted again, whoever sends it and however often.
/// </summary>
public interface IRollupStore
{
    Task RecordAsync(IReadOnlyList<RollupSighting> sightings, CancellationToken cancellationToken);

    /// <summary>The summaries of those of <paramref name="guids"/> that have any.</summary>
    Task<IReadOnlyDictionary<string, RollupSummary>> GetAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken);
}
