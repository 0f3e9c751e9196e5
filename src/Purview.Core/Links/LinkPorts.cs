namespace Purview.Core.Links;

public interface ILinkRepository
{
    Task<Link?> GetAsync(LinkSourceType type, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Link>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces; true when it was created.</summary>
    Task<bool> PutAsync(Link link, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(LinkSourceType type, string name, CancellationToken cancellationToken);
}

/// <summary>Activity runs (native pushes) and OpenLineage run states, by source and run id.</summary>
public interface ILinkRunStore
{
    Task<LinkRun?> GetAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken);

    /// <summary>False when the run is recorded already (nothing written).</summary>
    Task<bool> TryAddAsync(LinkRun run, CancellationToken cancellationToken);

    /// <summary>
    /// Records OpenLineage run states, one row per event (blind, idempotent writes batched across runs; no read first).
    /// <see cref="GetAsync"/> answers the latest state, keeping the lineage report of a COMPLETE that an out-of-order
    /// later state event would otherwise hide.
    /// </summary>
    Task RecordStatesAsync(IReadOnlyList<LinkRun> states, CancellationToken cancellationToken);

    /// <summary>
    /// The recorded states of an OpenLineage run that its lineage needs: every state row (with the datasets each event
    /// named, oldest first) when one of them named datasets or completed the run. When none did, the store may answer
    /// empty without listing them: the rows hold nothing a run's lineage is made of.
    /// </summary>
    Task<IReadOnlyList<LinkRun>> ListLineageStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken);

    /// <summary>
    /// For a run a COMPLETE is being planned for: records durably that the run completed, before listing anything, then
    /// answers as <see cref="ListLineageStatesAsync"/>. An event of the run that records its datasets meanwhile is
    /// either listed here or, asking <see cref="IsCompletedAsync"/> after its own states are recorded, finds the run
    /// completed: datasets are never left waiting for a completion that has gone by.
    /// </summary>
    Task<IReadOnlyList<LinkRun>> CompleteAndListLineageStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken);

    /// <summary>Whether the run's completion is recorded (<see cref="CompleteAndListLineageStatesAsync"/> or a recorded COMPLETE state).</summary>
    Task<bool> IsCompletedAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken);
}

/// <summary>Raw link events, partitioned by event-time hour so that an hour is aggregated by reading only that hour.</summary>
public interface ILinkEventStore
{
    /// <summary>False when an event with the same source and dedupe key is recorded already.</summary>
    Task<bool> TryAddAsync(LinkEvent linkEvent, CancellationToken cancellationToken);

    /// <summary>Records many events in batched writes; per event, false when it was recorded already (or earlier in the list).</summary>
    Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<LinkEvent> linkEvents, CancellationToken cancellationToken);

    Task<IReadOnlyList<LinkEvent>> ListHourAsync(DateTimeOffset hour, CancellationToken cancellationToken);

    /// <summary>Deletes the events of every hour before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>Hourly aggregates, which hours need (re-)aggregation, and the time metrics are reported till.</summary>
public interface ILinkAggregateStore
{
    /// <summary>Marks an hour as needing aggregation (a late event arrived for it).</summary>
    Task MarkDirtyAsync(DateTimeOffset hour, CancellationToken cancellationToken);

    Task<IReadOnlyList<DateTimeOffset>> ListDirtyHoursAsync(CancellationToken cancellationToken);

    /// <summary>A token for the hour's state before aggregating it; pass it to <see cref="CompleteHourAsync"/>.</summary>
    Task<string?> BeginHourAsync(DateTimeOffset hour, CancellationToken cancellationToken);

    /// <summary>Clears the hour's dirty mark unless it was marked again since <see cref="BeginHourAsync"/>.</summary>
    Task CompleteHourAsync(DateTimeOffset hour, string? token, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Replaces every aggregate of the hour with <paramref name="rows"/>.</summary>
    Task ReplaceHourAsync(DateTimeOffset hour, IReadOnlyList<LinkAggregate> rows, CancellationToken cancellationToken);

    /// <summary>Every hourly aggregate (source and sub-artifact rows) of <paramref name="day"/>'s UTC day.</summary>
    Task<IReadOnlyList<LinkAggregate>> ListHoursOfDayAsync(DateTimeOffset day, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the daily rollup of <paramref name="day"/>'s UTC day with <paramref name="rows"/> and marks the day rolled
    /// up at <paramref name="at"/> (also when it has no rows, so that days missing a rollup can be found).
    /// </summary>
    Task ReplaceDayAsync(DateTimeOffset day, IReadOnlyList<LinkAggregate> rows, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Days since <paramref name="since"/> that have aggregated hours but no daily rollup yet.</summary>
    Task<IReadOnlyList<DateTimeOffset>> ListDaysToRollUpAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Aggregates of hours in [from, to): source rows, or the sub-artifact rows of one source when <paramref name="sourceKey"/>
    /// is given. With <paramref name="wholeDays"/>, each UTC day lying wholly inside the range comes as one row per key
    /// (its <see cref="LinkAggregate.Hour"/> the day's midnight) from the daily rollup, and the partial days at the edges as hours.
    /// </summary>
    Task<IReadOnlyList<LinkAggregate>> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? sourceKey, bool wholeDays, CancellationToken cancellationToken);

    Task<DateTimeOffset?> GetReportedTillAsync(CancellationToken cancellationToken);

    /// <summary>Moves the reported-till time forward (never back).</summary>
    Task AdvanceReportedTillAsync(DateTimeOffset till, CancellationToken cancellationToken);

    Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
