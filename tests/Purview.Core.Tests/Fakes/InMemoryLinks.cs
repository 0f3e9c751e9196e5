using Purview.Core.DataMap;
using Purview.Core.Links;

namespace Purview.Core.Tests.Fakes;

/// <summary>Links by source key (ADF and Synapse names case-insensitive, OpenLineage namespaces not, as <see cref="LinkNames.Key"/> says).</summary>
public sealed class InMemoryLinkRepository : ILinkRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Link> _links = new(StringComparer.Ordinal);

    public int Listings { get; private set; }

    public Task<Link?> GetAsync(LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_links.GetValueOrDefault(LinkNames.Key(type, name)));
        }
    }

    public Task<IReadOnlyList<Link>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Listings++;
            return Task.FromResult<IReadOnlyList<Link>>([.. _links.Values]);
        }
    }

    public Task<bool> PutAsync(Link link, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var created = !_links.ContainsKey(link.Key);
            _links[link.Key] = link;
            return Task.FromResult(created);
        }
    }

    public Task<bool> DeleteAsync(LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_links.Remove(LinkNames.Key(type, name)));
        }
    }
}

/// <summary>Native runs (insert-once) and OpenLineage state rows (one per event), by source and run id.</summary>
public sealed class InMemoryLinkRunStore : ILinkRunStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<LinkRun>> _states = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);

    public Task<LinkRun?> GetAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = Key(type, sourceName, runId);
            if (_runs.TryGetValue(key, out var run))
            {
                return Task.FromResult<LinkRun?>(run);
            }

            if (!_states.TryGetValue(key, out var states) || states.Count == 0)
            {
                return Task.FromResult<LinkRun?>(null);
            }

            var latest = states.OrderBy(s => s.EventTime).Last();
            var complete = states.LastOrDefault(s => s.State == "COMPLETE");
            return Task.FromResult<LinkRun?>(complete is null ? latest : latest with { Report = complete.Report });
        }
    }

    public Task<bool> TryAddAsync(LinkRun run, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_runs.TryAdd(Key(run.SourceType, run.SourceName, run.RunId), run));
        }
    }

    /// <summary>Awaited before states are recorded: lets a test hold one push there while another runs.</summary>
    public Func<IReadOnlyList<LinkRun>, Task>? BeforeRecordingStates { get; set; }

    public async Task RecordStatesAsync(IReadOnlyList<LinkRun> states, CancellationToken cancellationToken)
    {
        if (BeforeRecordingStates is { } hold)
        {
            await hold(states);
        }

        lock (_lock)
        {
            foreach (var state in states)
            {
                var key = Key(state.SourceType, state.SourceName, state.RunId);
                if (!_states.TryGetValue(key, out var list))
                {
                    _states[key] = list = [];
                }

                // One row per event: the same event recorded again replaces its own row.
                list.RemoveAll(s => s.State == state.State && s.EventTime == state.EventTime);
                list.Add(state);
                if (state.State == "COMPLETE")
                {
                    _completed.Add(key);
                }
            }
        }
    }

    public Task<IReadOnlyList<LinkRun>> CompleteAndListLineageStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _completed.Add(Key(type, sourceName, runId));
        }

        return ListLineageStatesAsync(type, sourceName, runId, cancellationToken);
    }

    public Task<bool> IsCompletedAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_completed.Contains(Key(type, sourceName, runId)));
        }
    }

    public Task<IReadOnlyList<LinkRun>> ListLineageStatesAsync(LinkSourceType type, string sourceName, string runId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<LinkRun>>(_states.TryGetValue(Key(type, sourceName, runId), out var list) ? list.OrderBy(s => s.EventTime).ToList() : []);
        }
    }

    private static string Key(LinkSourceType type, string sourceName, string runId) => LinkNames.Key(type, sourceName) + "|" + runId;
}

/// <summary>Raw events keyed by source and dedupe key: the insert is the duplicate check.</summary>
public sealed class InMemoryLinkEventStore : ILinkEventStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkEvent> _events = new(StringComparer.Ordinal);

    public IReadOnlyList<LinkEvent> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events.Values];
            }
        }
    }

    public Task<bool> TryAddAsync(LinkEvent linkEvent, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_events.TryAdd(linkEvent.SourceKey + "|" + linkEvent.DedupeKey, linkEvent));
        }
    }

    public async Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<LinkEvent> linkEvents, CancellationToken cancellationToken)
    {
        var added = new List<bool>(linkEvents.Count);
        foreach (var e in linkEvents)
        {
            added.Add(await TryAddAsync(e, cancellationToken));
        }

        return added;
    }

    public Task<IReadOnlyList<LinkEvent>> ListHourAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<LinkEvent>>(_events.Values.Where(e => LinkHours.Floor(e.EventTime) == LinkHours.Floor(hour)).ToList());
        }
    }

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var old = _events.Where(kv => LinkHours.Floor(kv.Value.EventTime) < cutoff).Select(kv => kv.Key).ToList();
            old.ForEach(k => _events.Remove(k));
            return Task.FromResult(old.Count);
        }
    }
}

/// <summary>The dirty-hour marks a push leaves; aggregation and reads are not part of the push use cases.</summary>
public sealed class InMemoryLinkAggregateStore : ILinkAggregateStore
{
    private readonly HashSet<DateTimeOffset> _dirty = [];

    public Task MarkDirtyAsync(DateTimeOffset hour, CancellationToken cancellationToken)
    {
        lock (_dirty)
        {
            _dirty.Add(hour);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<DateTimeOffset>> ListDirtyHoursAsync(CancellationToken cancellationToken)
    {
        lock (_dirty)
        {
            return Task.FromResult<IReadOnlyList<DateTimeOffset>>(_dirty.Order().ToList());
        }
    }

    public Task<string?> BeginHourAsync(DateTimeOffset hour, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task CompleteHourAsync(DateTimeOffset hour, string? token, DateTimeOffset at, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task ReplaceHourAsync(DateTimeOffset hour, IReadOnlyList<LinkAggregate> rows, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task<IReadOnlyList<LinkAggregate>> ListHoursOfDayAsync(DateTimeOffset day, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task ReplaceDayAsync(DateTimeOffset day, IReadOnlyList<LinkAggregate> rows, DateTimeOffset at, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task<IReadOnlyList<DateTimeOffset>> ListDaysToRollUpAsync(DateTimeOffset since, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task<IReadOnlyList<LinkAggregate>> QueryAsync(DateTimeOffset from, DateTimeOffset to, string? sourceKey, bool wholeDays, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task<DateTimeOffset?> GetReportedTillAsync(CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task AdvanceReportedTillAsync(DateTimeOffset till, CancellationToken cancellationToken) => throw NotPartOfPushes();

    public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => throw NotPartOfPushes();

    private static NotSupportedException NotPartOfPushes() => new("Aggregation is tested against storage (tests/Purview.Api.Tests/Links).");
}

/// <summary>
/// The pushed half of the data map: rows keyed by GUID and relationship id carrying the key of the write that created
/// them, credited as <see cref="IDataMap.WriteAsync"/> says; owners claimed first-come. Reads, lineage, search and
/// scanned writes belong to the storage tests.
/// </summary>
public sealed class InMemoryDataMap : IDataMap
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DataMapEntity Entity, string Creator)> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DataMapRelationship Relationship, string Creator)> _relationships = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _owners = new(StringComparer.Ordinal);

    public IReadOnlyCollection<DataMapEntity> Entities
    {
        get
        {
            lock (_lock)
            {
                return _entities.Values.Select(e => e.Entity).ToList();
            }
        }
    }

    public int RelationshipCount
    {
        get
        {
            lock (_lock)
            {
                return _relationships.Count;
            }
        }
    }

    public string? OwnerOf(string entityGuid)
    {
        lock (_lock)
        {
            return _owners.GetValueOrDefault(entityGuid);
        }
    }

    public Task<IReadOnlyList<DataMapWriteCounts>> WriteAsync(IReadOnlyList<DataMapWrite> writes, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var counts = new List<DataMapWriteCounts>(writes.Count);
            foreach (var write in writes)
            {
                var entities = 0;
                foreach (var e in write.Entities)
                {
                    if (_entities.TryAdd(e.Guid, (e, write.CreatorKey)) || _entities[e.Guid].Creator == write.CreatorKey)
                    {
                        entities++;
                    }
                }

                var relationships = 0;
                foreach (var r in write.Relationships)
                {
                    if (_relationships.TryAdd(r.Id, (r, write.CreatorKey)) || _relationships[r.Id].Creator == write.CreatorKey)
                    {
                        relationships++;
                    }
                }

                counts.Add(new DataMapWriteCounts(entities, relationships));
            }

            return Task.FromResult<IReadOnlyList<DataMapWriteCounts>>(counts);
        }
    }

    public Task<IReadOnlyDictionary<string, string?>> ClaimAsync(string collection, IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var owners = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var e in entities)
            {
                _owners.TryAdd(e.Guid, collection);
                owners[e.Guid] = _owners[e.Guid];
            }

            return Task.FromResult<IReadOnlyDictionary<string, string?>>(owners);
        }
    }

    public Task<IReadOnlyDictionary<string, string?>> GetOwnersAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyDictionary<string, string?>>(guids.Where(_owners.ContainsKey).ToDictionary(g => g, g => _owners[g], StringComparer.Ordinal));
        }
    }

    public Task<int> UpsertEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken) => throw NotPushed();

    public Task<int> UpsertRelationshipsAsync(IReadOnlyList<DataMapRelationship> relationships, CancellationToken cancellationToken) => throw NotPushed();

    public Task<DataMapEntity?> GetEntityByGuidAsync(string guid, CancellationToken cancellationToken) => throw NotPushed();

    public Task<DataMapEntity?> GetByUniqueAttributeAsync(string typeName, string qualifiedName, CancellationToken cancellationToken) => throw NotPushed();

    public Task<IReadOnlyList<DataMapRelationship>> GetRelationshipsOfAsync(string guid, CancellationToken cancellationToken) => throw NotPushed();

    public Task<ScannedWriteResult> WriteScannedEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken) => throw NotPushed();

    public Task<bool> MoveAsync(string guid, string? from, string to, CancellationToken cancellationToken) => throw NotPushed();

    public Task<bool> AnyOwnedByAsync(string collection, CancellationToken cancellationToken) => throw NotPushed();

    public Task<DataMapSearchPage> SearchAsync(DataMapQuery query, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken) => throw NotPushed();

    private static NotSupportedException NotPushed() => new("Not part of a push: tested against storage (tests/Purview.Storage.Tests/DataMap).");
}

/// <summary>Rollup keys per entity: a key recorded twice counts once.</summary>
public sealed class InMemoryRollupStore : IRollupStore
{
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _keys = new(StringComparer.Ordinal);

    public Task RecordAsync(IReadOnlyList<RollupSighting> sightings, CancellationToken cancellationToken)
    {
        lock (_keys)
        {
            foreach (var s in sightings)
            {
                if (!_keys.TryGetValue(s.EntityGuid, out var keys))
                {
                    _keys[s.EntityGuid] = keys = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                }

                keys.TryAdd(s.Key, s.At);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, RollupSummary>> GetAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken)
    {
        lock (_keys)
        {
            var result = new Dictionary<string, RollupSummary>(StringComparer.Ordinal);
            foreach (var guid in guids.Where(_keys.ContainsKey))
            {
                var entries = _keys[guid].Select(kv => new RollupEntry(kv.Key, kv.Value)).OrderByDescending(e => e.At).ThenBy(e => e.Key, StringComparer.Ordinal).ToList();
                result[guid] = new RollupSummary(entries.Count, entries[0], entries.Take(RollupSummary.RecentCapacity).ToList());
            }

            return Task.FromResult<IReadOnlyDictionary<string, RollupSummary>>(result);
        }
    }
}
