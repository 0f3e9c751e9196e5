using Purview.Core.DataMap;

namespace Purview.Core.Links;

/// <summary>One lineage plan to write, with the key its data-map rows carry (unique per source and event).</summary>
public sealed record LineageWrite(string CreatorKey, string Collection, LineagePlan Plan);

/// <summary>What writing one plan created, and what it left alone (entities another collection owns).</summary>
public sealed record LineageCredit(int Entities, int Relationships, IReadOnlyList<LineageSkip>? Skipped);

/// <summary>What <see cref="LinkLineageWriter.WriteDataMapAsync"/> wrote: each plan's credit, and the run counts still to record.</summary>
public sealed record LineageWritten(IReadOnlyList<LineageCredit> Credits, IReadOnlyList<RollupSighting> Sightings);

/// <summary>
/// The crediting half of a push: writes plans into the data map and the rollups so that each event is credited with
/// exactly what it created, then records the raw events (the commit point) for the hourly aggregation. Every step is
/// idempotent and rows carry the creating event's key, so a push retried after a crash anywhere is credited again and
/// counted once.
/// </summary>
public sealed class LinkLineageWriter(IDataMap dataMap, IRollupStore rollups, ILinkEventStore events, ILinkAggregateStore aggregates)
{
    /// <summary>The key a link event's data-map rows carry: unique per source and event.</summary>
    public static string CreatorKey(Link link, string dedupeKey) => link.Key + "|" + dedupeKey;

    /// <summary>
    /// Ownership first (each collection claims the entities its plans name that nobody owns yet; each plan keeps what
    /// its collection may write, <see cref="DataMapOwnership"/>), then one batched data-map write crediting each plan,
    /// then the rollup sightings (before the raw events: a retry records them again, a key is never counted twice).
    /// </summary>
    public async Task<IReadOnlyList<LineageCredit>> WriteAsync(IReadOnlyList<LineageWrite> plans, CancellationToken cancellationToken)
    {
        var written = await WriteDataMapAsync(plans, cancellationToken);
        await RecordRollupsAsync(written, cancellationToken);
        return written.Credits;
    }

    /// <summary>
    /// The first half of <see cref="WriteAsync"/>: ownership and the data-map write, with each plan's credit. The caller
    /// must then pass the result to <see cref="RecordRollupsAsync"/> before it records the raw events; in between it may
    /// write what depends on the credits (run states) at the same time as the rollups.
    /// </summary>
    public async Task<LineageWritten> WriteDataMapAsync(IReadOnlyList<LineageWrite> plans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var owned = await OwnAsync(plans, cancellationToken);
        var counts = await dataMap.WriteAsync(plans.Select((p, k) => new DataMapWrite(p.CreatorKey, owned[k].Entities, owned[k].Relationships)).ToList(), cancellationToken);
        return new LineageWritten(
            counts.Select((c, k) => new LineageCredit(c.Entities, c.Relationships, SkipsOf(owned[k]))).ToList(),
            plans.SelectMany((p, k) => SightingsOf(p.Plan, owned[k])).ToList());
    }

    /// <summary>The second half of <see cref="WriteAsync"/>: the run counts of what was written (idempotent per run key).</summary>
    public Task RecordRollupsAsync(LineageWritten written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        return rollups.RecordAsync(written.Sightings, cancellationToken);
    }

    /// <summary>
    /// Marks the closed hours of <paramref name="linkEvents"/> for re-aggregation. Done before the events are recorded:
    /// a crash in between leaves a spare mark (harmless), never a recorded late event that no aggregation will see.
    /// </summary>
    public async Task MarkLateHoursAsync(IReadOnlyList<LinkEvent> linkEvents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkEvents);
        var current = LinkHours.Floor(now);
        foreach (var hour in linkEvents.Where(e => e.EventTime >= now - LinkService.Retention).Select(e => LinkHours.Floor(e.EventTime)).Where(h => h < current).Distinct())
        {
            await aggregates.MarkDirtyAsync(hour, cancellationToken);
        }
    }

    /// <summary>Records the raw events for aggregation (batched); per event, false when it was recorded before (a duplicate). Events past retention are not kept.</summary>
    public async Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<LinkEvent> linkEvents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkEvents);
        var kept = linkEvents.Select((e, i) => (e, i)).Where(x => x.e.EventTime >= now - LinkService.Retention).ToList();
        var result = Enumerable.Repeat(true, linkEvents.Count).ToArray();
        if (kept.Count > 0)
        {
            var added = await events.TryAddManyAsync(kept.Select(x => x.e).ToList(), cancellationToken);
            for (var k = 0; k < kept.Count; k++)
            {
                result[kept[k].i] = added[k];
            }
        }

        return result;
    }

    private async Task<OwnedWrite[]> OwnAsync(IReadOnlyList<LineageWrite> plans, CancellationToken cancellationToken)
    {
        var result = new OwnedWrite[plans.Count];
        foreach (var group in plans.Select((p, k) => (p, k)).GroupBy(x => x.p.Collection, StringComparer.OrdinalIgnoreCase))
        {
            var owners = await dataMap.ClaimAsync(group.Key, group.SelectMany(x => x.p.Plan.Entities).DistinctBy(e => e.Guid).ToList(), cancellationToken);
            foreach (var (p, k) in group)
            {
                result[k] = DataMapOwnership.Apply(p.Plan.Entities, p.Plan.Relationships, p.Collection, owners);
            }
        }

        return result;
    }

    /// <summary>The run counts a plan adds, without those of entities another collection owns (left alone, not counted).</summary>
    private static IReadOnlyList<RollupSighting> SightingsOf(LineagePlan plan, OwnedWrite owned)
    {
        if (owned.Skipped.Count == 0)
        {
            return plan.Sightings;
        }

        var skipped = owned.Skipped.Select(e => e.Guid).ToHashSet(StringComparer.Ordinal);
        return plan.Sightings.Where(x => !skipped.Contains(x.EntityGuid)).ToList();
    }

    private static List<LineageSkip>? SkipsOf(OwnedWrite owned) => owned.Skipped.Count == 0
        ? null
        : owned.Skipped.Select(e => new LineageSkip(e.TypeName, e.QualifiedName, LineageSkip.OwnedByAnotherCollection)).ToList();
}
