using System.Collections.Concurrent;
using Purview.Core.DataMap;
using Purview.Core.Scanners;

namespace Purview.Storage.DataMap;

/// <summary>
/// The data map in three tables. Entities pushed by links: one partition per GUID (point reads, no hot partition).
/// Entities written by scan ingestion (<c>dmscanned</c>): PK = the GUID's first hex digit (16 partitions), RK = the GUID,
/// so a page of 1,000 assets is about 16 entity-group transactions and a read by GUID is still one point read per table
/// (both tables are read in parallel; the scanned row wins, it carries more). Relationships: two rows each, one in the
/// partition of each end (<c>out|kind|id</c> under the source, <c>in|kind|id</c> under the target), so walking lineage
/// either way reads one small partition per node. Link entities and relationships are never deleted here, so ids known
/// to exist are remembered and not written again.
/// <para>
/// Ownership: <c>dmscanned</c> holds one row per entity whoever wrote it first - the scanned row, or for an entity only
/// pushed by links an owner row (<c>Pushed</c>: its name, type and collection, no scan attributes) - inserted with a
/// conditional insert, so of two collections writing a new entity at once exactly one owns it. A write from another
/// collection never changes that row; only <see cref="MoveAsync"/> does, conditional on its ETag.
/// </para>
/// </summary>
public sealed class TableDataMap(StorageLayout layout, TimeProvider? time = null) : IDataMap, IStorageUser, IDisposable
{
    private const int KnownCapacity = 200_000;

    // Table string properties hold at most 64 KiB (32K UTF-16 characters): long column lists are split over several.
    private const int MaxChunkChars = 30_000;
    private const int MaxColumnChunks = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EntityTable _entities = layout.Table("dmentities");
    private readonly EntityTable _scanned = layout.Table("dmscanned");
    private readonly EntityTable _relations = layout.Table("dmrelations");

    // Rows known to exist (never deleted) -> the creator key they carry ("" when none): most writes name only known rows.
    private readonly ConcurrentDictionary<string, string> _known = new(StringComparer.Ordinal);

    // The collection and ETag of scanned rows this process last wrote: a rescan by the same collection replaces them
    // conditionally without reading them first; a row changed since (moved, written by another host) fails its condition
    // and is read again. Another collection's write never uses them: it must find the row's owner first.
    private readonly ConcurrentDictionary<string, (string? Collection, ETag Tag)> _scannedTags = new(StringComparer.Ordinal);
    private const int ScannedTagsCapacity = 100_000;

    // Owners this process read or claimed: only a move changes an owner, so they stay true until some host moves an
    // entity. Every move rewrites one stamp row; a process reads it at most every OwnerLifetime (as the access snapshot
    // and the link cache) and forgets every owner when it changed, so a move made elsewhere is seen within that time and
    // a push naming known entities reads nothing else. An owner read across a reset is not kept (epoch).
    private readonly ConcurrentDictionary<string, string?> _owners = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _stampGate = new(1, 1);
    private (string? Stamp, DateTimeOffset CheckedAt)? _moveStamp;
    private int _ownersEpoch;
    public static readonly TimeSpan OwnerLifetime = TimeSpan.FromSeconds(5);
    private const string MoveStampPartition = "~moves";
    private const int OwnershipAttempts = 5;

    public async Task<int> UpsertEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        // A fresh creator key: the rows this call creates are credited to it, and a later call never claims them.
        return (await WriteAsync([new DataMapWrite(Guid.NewGuid().ToString("N"), entities, [])], cancellationToken))[0].Entities;
    }

    public async Task<int> UpsertRelationshipsAsync(IReadOnlyList<DataMapRelationship> relationships, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationships);
        return (await WriteAsync([new DataMapWrite(Guid.NewGuid().ToString("N"), [], relationships)], cancellationToken))[0].Relationships;
    }

    /// <summary>
    /// Entities: one insert per unknown entity (each is its own partition). Relationships: the outgoing rows of unknown
    /// relationships inserted in transactions per source partition (the insert decides who created it), the incoming rows
    /// upserted per target partition; a relationship is remembered only when both rows are written, so a crash between
    /// them heals on retry. Rows carry the creator key; an insert that conflicts reads it back to credit a retried writer.
    /// </summary>
    public async Task<IReadOnlyList<DataMapWriteCounts>> WriteAsync(IReadOnlyList<DataMapWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var writerOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            if (!writerOf.TryAdd(writes[i].CreatorKey, i))
            {
                throw new ArgumentException($"Creator key '{writes[i].CreatorKey}' appears twice: creator keys are distinct within one write.", nameof(writes));
            }
        }

        var entityCounts = new int[writes.Count];
        var relationCounts = new int[writes.Count];
        var newEntities = new Dictionary<string, (DataMapEntity Entity, int Writer)>(StringComparer.Ordinal);
        var newRelations = new Dictionary<string, (DataMapRelationship Relation, int Writer)>(StringComparer.Ordinal);
        for (var i = 0; i < writes.Count; i++)
        {
            foreach (var e in writes[i].Entities)
            {
                if (_known.TryGetValue("e" + e.Guid, out var creator))
                {
                    Credit(entityCounts, writerOf, creator, i);
                }
                else
                {
                    newEntities.TryAdd(e.Guid, (e, i));
                }
            }

            foreach (var r in writes[i].Relationships)
            {
                if (_known.TryGetValue("r" + r.Id, out var creator))
                {
                    Credit(relationCounts, writerOf, creator, i);
                }
                else
                {
                    newRelations.TryAdd(r.Id, (r, i));
                }
            }
        }

        await Task.WhenAll(WriteEntitiesAsync(), WriteRelationsAsync());
        return writes.Select((_, i) => new DataMapWriteCounts(entityCounts[i], relationCounts[i])).ToList();

        async Task WriteEntitiesAsync()
        {
            if (newEntities.Count == 0)
            {
                return;
            }

            var existed = await TableBatches.AddMissingAsync(_entities, newEntities.Values.Select(n => ToEntity(n.Entity, writes[n.Writer].CreatorKey)), cancellationToken);
            var readBack = await ReadCreatorsAsync(_entities, existed, cancellationToken);
            foreach (var (guid, (_, writer)) in newEntities)
            {
                var creator = readBack.TryGetValue((guid, "e"), out var c) ? c : writes[writer].CreatorKey;
                if (writerOf.TryGetValue(creator, out var w))
                {
                    entityCounts[w]++;
                }

                Remember("e" + guid, creator);
            }
        }

        async Task WriteRelationsAsync()
        {
            if (newRelations.Count == 0)
            {
                return;
            }

            var existed = await TableBatches.AddMissingAsync(_relations, newRelations.Values.Select(n => ToRow(n.Relation, outgoing: true, writes[n.Writer].CreatorKey)), cancellationToken);
            var readBack = await ReadCreatorsAsync(_relations, existed, cancellationToken);
            await TableBatches.UpsertAllAsync(_relations, newRelations.Values.Select(n => ToRow(n.Relation, outgoing: false, null)), cancellationToken);
            foreach (var (id, (r, writer)) in newRelations)
            {
                var creator = readBack.TryGetValue((r.FromGuid, OutRowKey(r)), out var c) ? c : writes[writer].CreatorKey;
                if (writerOf.TryGetValue(creator, out var w))
                {
                    relationCounts[w]++;
                }

                Remember("r" + id, creator);
            }
        }
    }

    private static void Credit(int[] counts, Dictionary<string, int> writerOf, string creator, int naming)
    {
        // Only the writer that created a known row gets it, and only when it names it (a retry of that writer).
        if (writerOf.TryGetValue(creator, out var w) && w == naming)
        {
            counts[w]++;
        }
    }

    private static async Task<Dictionary<(string, string), string>> ReadCreatorsAsync(EntityTable table, IReadOnlySet<(string PartitionKey, string RowKey)> keys, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, string), string>();
        if (keys.Count == 0)
        {
            return result;
        }

        var read = await Task.WhenAll(keys.Select(async k =>
            (k, (await table.GetEntityOrDefaultAsync(k.PartitionKey, k.RowKey, select: ["Creator"], cancellationToken: cancellationToken))?.GetString("Creator") ?? string.Empty)));
        foreach (var (k, creator) in read)
        {
            result[k] = creator;
        }

        return result;
    }

    public async Task<DataMapEntity?> GetEntityByGuidAsync(string guid, CancellationToken cancellationToken)
    {
        if (!System.Guid.TryParse(guid, out var parsed))
        {
            return null;
        }

        var id = parsed.ToString();
        var pushed = _entities.GetEntityOrDefaultAsync(id, "e", cancellationToken: cancellationToken);
        var scanned = _scanned.GetEntityOrDefaultAsync(ScannedPartition(id), id, cancellationToken: cancellationToken);
        var (e, s) = (await pushed, await scanned);
        if (s is not null && IsOwnerRow(s))
        {
            // Pushed only: the pushed row describes it, the owner row says whose it is.
            return e is null ? FromScanned(s) : FromEntity(e) with { Collection = s.GetString("Collection") };
        }

        if (s is not null)
        {
            var entity = FromScanned(s);
            // An asset both scanned and named by pushed lineage keeps the time it first appeared.
            return e is null ? entity : entity with { CreatedAt = FromEntity(e).CreatedAt };
        }

        return e is null ? null : FromEntity(e);
    }

    public async Task<IReadOnlyDictionary<string, string?>> ClaimAsync(string collection, IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        await CheckMovesAsync(cancellationToken);
        var owners = await Task.WhenAll(entities.DistinctBy(e => e.Guid).Select(async e => (e.Guid, Owner: await ClaimOneAsync(collection, e, cancellationToken))));
        return owners.ToDictionary(o => o.Guid, o => o.Owner, StringComparer.Ordinal);
    }

    private async Task<string?> ClaimOneAsync(string collection, DataMapEntity entity, CancellationToken cancellationToken)
    {
        var epoch = Volatile.Read(ref _ownersEpoch);
        if (_owners.TryGetValue(entity.Guid, out var known))
        {
            return known;
        }

        var owner = await ReadOrClaimAsync(collection, entity, cancellationToken);
        if (_owners.Count > KnownCapacity)
        {
            _owners.Clear();
        }

        if (epoch == Volatile.Read(ref _ownersEpoch))
        {
            _owners[entity.Guid] = owner;
        }

        return owner;
    }

    /// <summary>Forgets every cached owner when some host moved an entity since the last look (at most every <see cref="OwnerLifetime"/>).</summary>
    private async Task CheckMovesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_moveStamp is { } seen && now - seen.CheckedAt < OwnerLifetime && now >= seen.CheckedAt)
        {
            return;
        }

        await _stampGate.WaitAsync(cancellationToken);
        try
        {
            if (_moveStamp is { } again && now - again.CheckedAt < OwnerLifetime && now >= again.CheckedAt)
            {
                return;
            }

            var row = await _relations.GetEntityOrDefaultAsync(MoveStampPartition, "stamp", ["Stamp"], cancellationToken);
            var stamp = row?.GetString("Stamp");
            if (_moveStamp is null || !string.Equals(_moveStamp.Value.Stamp, stamp, StringComparison.Ordinal))
            {
                ForgetOwners();
            }

            _moveStamp = (stamp, now);
        }
        finally
        {
            _stampGate.Release();
        }
    }

    public void Dispose() => _stampGate.Dispose();

    private void ForgetOwners()
    {
        Interlocked.Increment(ref _ownersEpoch);
        _owners.Clear();
    }

    private async Task<string?> ReadOrClaimAsync(string collection, DataMapEntity entity, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var scanned = _scanned.GetEntityOrDefaultAsync(ScannedPartition(entity.Guid), entity.Guid, ["Collection"], cancellationToken);
            var pushed = _entities.GetEntityOrDefaultAsync(entity.Guid, "e", ["Collection"], cancellationToken);
            var (owned, legacy) = (await scanned, await pushed);
            if (owned is not null)
            {
                return owned.GetString("Collection");
            }

            // A pushed row written before owner rows existed keeps the collection it was pushed in.
            var owner = legacy is not null ? legacy.GetString("Collection") : collection;
            try
            {
                await _scanned.AddEntityAsync(ToOwnerRow(entity, owner), cancellationToken);
                return owner;
            }
            catch (StorageException ex) when (ex.IsConflict && attempt < OwnershipAttempts)
            {
                // Another writer claimed it first: read whose it is now.
            }
        }
    }

    public async Task<IReadOnlyDictionary<string, string?>> GetOwnersAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guids);
        var found = await Task.WhenAll(guids.Distinct(StringComparer.Ordinal).Select(async g =>
        {
            var scanned = _scanned.GetEntityOrDefaultAsync(ScannedPartition(g), g, ["Collection"], cancellationToken);
            var pushed = _entities.GetEntityOrDefaultAsync(g, "e", ["Collection"], cancellationToken);
            var (owned, legacy) = (await scanned, await pushed);
            return (Guid: g, Row: owned ?? legacy);
        }));
        return found.Where(f => f.Row is not null).ToDictionary(f => f.Guid, f => (string?)f.Row!.GetString("Collection"), StringComparer.Ordinal);
    }

    public async Task<bool> MoveAsync(string guid, string? from, string to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guid);
        for (var attempt = 0; ; attempt++)
        {
            var scanned = await _scanned.GetEntityOrDefaultAsync(ScannedPartition(guid), guid, cancellationToken: cancellationToken);
            var pushed = await _entities.GetEntityOrDefaultAsync(guid, "e", cancellationToken: cancellationToken);
            var owner = scanned is not null ? scanned.GetString("Collection") : pushed?.GetString("Collection");
            if ((scanned is null && pushed is null) || !SameCollection(owner, from))
            {
                return false;
            }

            try
            {
                if (scanned is not null)
                {
                    scanned["Collection"] = to;
                    await _scanned.UpdateEntityAsync(scanned, scanned.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _scanned.AddEntityAsync(ToOwnerRow(FromEntity(pushed!), to), cancellationToken);
                }
            }
            catch (StorageException ex) when ((ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound) && attempt < OwnershipAttempts)
            {
                continue; // changed meanwhile: judge it again
            }

            _scannedTags.TryRemove(guid, out _);
            if (pushed is not null)
            {
                // The owner row decides; the pushed row follows so that every copy names the same collection.
                await _entities.UpdateEntityAsync(new TableEntity(guid, "e") { ["Collection"] = to }, ETag.All, TableUpdateMode.Merge, cancellationToken);
            }

            // Tell every process to forget the owners it knows (this one at once).
            await _relations.UpsertEntityAsync(new TableEntity(MoveStampPartition, "stamp") { ["Stamp"] = Guid.NewGuid().ToString("N") }, TableUpdateMode.Replace, cancellationToken);
            ForgetOwners();
            _moveStamp = null;

            return true;
        }
    }

    public async Task<bool> AnyOwnedByAsync(string collection, CancellationToken cancellationToken)
    {
        // A scan of both tables (deleting a collection is rare; no index by collection is kept).
        await foreach (var _ in _scanned.QueryAsync(TableFilter.Equal("Collection", collection), select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            return true;
        }

        await foreach (var e in _entities.QueryAsync(TableFilter.Equal("Collection", collection), select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            // A pushed row counts unless its owner row says another collection owns it.
            var owner = await _scanned.GetEntityOrDefaultAsync(ScannedPartition(e.PartitionKey), e.PartitionKey, ["Collection"], cancellationToken);
            if (owner is null || SameCollection(owner.GetString("Collection"), collection))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SameCollection(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static bool IsOwnerRow(TableEntity row) => row.GetBoolean("Pushed") == true;

    private static TableEntity ToOwnerRow(DataMapEntity e, string? collection) => new(ScannedPartition(e.Guid), e.Guid)
    {
        ["Pushed"] = true,
        ["TypeName"] = e.TypeName,
        ["QualifiedName"] = e.QualifiedName,
        ["Name"] = e.Name,
        ["Collection"] = collection,
        ["IsProcess"] = e.IsProcess,
        ["CreatedAt"] = e.CreatedAt,
    };

    /// <summary>
    /// Per partition, batches of up to 100 rows: rows this process wrote replace their last version (If-Match), others are
    /// inserted; a batch that fails a condition (a row exists, or changed) reads its rows and tries again: rows of the
    /// writing collection are replaced if unchanged, missing ones inserted, rows another collection owns skipped. A batch
    /// the service refuses for another reason is written row by row so that only the bad rows fail.
    /// </summary>
    public async Task<ScannedWriteResult> WriteScannedEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var refused = new ConcurrentBag<EntityRefused>();
        var skipped = new ConcurrentBag<EntitySkipped>();
        var batches = entities
            .GroupBy(e => e.Guid, StringComparer.Ordinal).Select(g => g.Last())
            .GroupBy(e => ScannedPartition(e.Guid))
            .SelectMany(g => g.Chunk(100))
            .ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var rows = new Dictionary<string, (DataMapEntity Entity, TableEntity Row)>(StringComparer.Ordinal);
            foreach (var e in batch)
            {
                if (ToScanned(e) is { } row)
                {
                    rows[e.Guid] = (e, row);
                }
                else
                {
                    refused.Add(new EntityRefused(e.QualifiedName, $"The schema of '{e.QualifiedName}' is larger than an entity can hold ({MaxColumnChunks * MaxChunkChars:N0} characters of JSON)."));
                }
            }

            var tags = new Dictionary<string, ETag>(StringComparer.Ordinal);
            foreach (var (guid, (entity, _)) in rows)
            {
                if (_scannedTags.TryGetValue(guid, out var known) && SameCollection(known.Collection, entity.Collection))
                {
                    tags[guid] = known.Tag;
                }
            }

            for (var attempt = 0; rows.Count > 0; attempt++)
            {
                var order = rows.Values.ToList();
                try
                {
                    var result = await _scanned.SubmitTransactionAsync(order.Select(r => tags.TryGetValue(r.Entity.Guid, out var tag)
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, r.Row, tag)
                        : new TableTransactionAction(TableTransactionActionType.Add, r.Row)).ToList(), ct);
                    for (var i = 0; i < order.Count; i++)
                    {
                        RememberTag(order[i].Entity, result.ETags[i]);
                    }

                    return;
                }
                catch (StorageException ex) when ((ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound) && attempt < OwnershipAttempts)
                {
                    // Some row exists, changed or went away since this process wrote it: judge every row again.
                    await JudgeAsync(rows, tags, skipped, ct);
                }
                catch (StorageException ex) when (ex.Status is >= 400 and < 500 and not 408 and not 429)
                {
                    // One refused row fails the whole transaction: write them one by one so only the bad ones fail.
                    foreach (var (entity, row) in order)
                    {
                        await WriteOneScannedAsync(entity, row, tags.TryGetValue(entity.Guid, out var tag) ? tag : null, refused, skipped, ct);
                    }

                    return;
                }
            }
        });
        return new ScannedWriteResult(refused.ToList(), skipped.ToList());
    }

    /// <summary>Reads the rows of a batch: missing ones are to be inserted, the writing collection's replaced if unchanged, other collections' dropped as skipped.</summary>
    private async Task JudgeAsync(Dictionary<string, (DataMapEntity Entity, TableEntity Row)> rows, Dictionary<string, ETag> tags, ConcurrentBag<EntitySkipped> skipped, CancellationToken cancellationToken)
    {
        var current = await Task.WhenAll(rows.Values.Select(async r =>
            (r.Entity, Stored: await _scanned.GetEntityOrDefaultAsync(ScannedPartition(r.Entity.Guid), r.Entity.Guid, ["Collection"], cancellationToken))));
        foreach (var (entity, stored) in current)
        {
            if (stored is null)
            {
                tags.Remove(entity.Guid);
            }
            else if (SameCollection(stored.GetString("Collection"), entity.Collection))
            {
                tags[entity.Guid] = stored.ETag;
            }
            else
            {
                rows.Remove(entity.Guid);
                tags.Remove(entity.Guid);
                _scannedTags.TryRemove(entity.Guid, out _);
                skipped.Add(new EntitySkipped(entity.Guid, entity.TypeName, entity.QualifiedName, stored.GetString("Collection")));
            }
        }
    }

    private async Task WriteOneScannedAsync(DataMapEntity entity, TableEntity row, ETag? tag, ConcurrentBag<EntityRefused> refused, ConcurrentBag<EntitySkipped> skipped, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                RememberTag(entity, tag is { } t
                    ? await _scanned.UpdateEntityAsync(row, t, TableUpdateMode.Replace, cancellationToken)
                    : await _scanned.AddEntityAsync(row, cancellationToken));
                return;
            }
            catch (StorageException ex) when ((ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound) && attempt < OwnershipAttempts)
            {
                var stored = await _scanned.GetEntityOrDefaultAsync(row.PartitionKey, row.RowKey, ["Collection"], cancellationToken);
                if (stored is not null && !SameCollection(stored.GetString("Collection"), entity.Collection))
                {
                    skipped.Add(new EntitySkipped(entity.Guid, entity.TypeName, entity.QualifiedName, stored.GetString("Collection")));
                    return;
                }

                tag = stored?.ETag;
            }
            catch (StorageException one) when (one.Status is >= 400 and < 500 and not 408 and not 429)
            {
                refused.Add(new EntityRefused(entity.QualifiedName, one.ServiceMessage ?? one.Message));
                return;
            }
        }
    }

    private void RememberTag(DataMapEntity entity, ETag tag)
    {
        if (_scannedTags.Count > ScannedTagsCapacity)
        {
            _scannedTags.Clear();
        }

        _scannedTags[entity.Guid] = (entity.Collection, tag);
    }

    public async Task<DataMapSearchPage> SearchAsync(DataMapQuery query, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(visible);
        // Order: every scanned entity (by partition, GUID), then every pushed one; the token is the position of the last
        // entity returned, so a page resumes exactly after it whatever was written in between.
        var (table, partition, row) = ParseSearchToken(query.ContinuationToken);
        var found = new List<DataMapEntity>(query.Limit);
        for (; table < 2; table++, partition = null, row = null)
        {
            var client = table == 0 ? _scanned : _entities;
            var filters = new List<string>();
            if (partition is not null)
            {
                filters.Add(TableFilter.Or(
                    TableFilter.And(TableFilter.PartitionKeyEquals(partition), TableFilter.Compare("RowKey", "gt", row)),
                    TableFilter.Compare("PartitionKey", "gt", partition)));
            }

            if (query.ExactType is { } type)
            {
                filters.Add(TableFilter.Equal("TypeName", type));
            }

            var filter = filters.Count == 0 ? null : TableFilter.And([.. filters]);
            await foreach (var e in client.QueryAsync(filter, cancellationToken: cancellationToken))
            {
                var entity = table == 0 ? FromScanned(e) : FromEntity(e);
                if (!query.Matches(entity) || !visible(entity))
                {
                    continue;
                }

                if (table == 1 && await _scanned.GetEntityOrDefaultAsync(ScannedPartition(entity.Guid), entity.Guid, ["PartitionKey"], cancellationToken) is not null)
                {
                    continue; // listed with the scanned entities already
                }

                found.Add(entity);
                if (found.Count == query.Limit)
                {
                    return new DataMapSearchPage(found, SearchToken(table, e.PartitionKey, e.RowKey));
                }
            }
        }

        return new DataMapSearchPage(found, null);
    }

    private static string SearchToken(int table, string partition, string row) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{table}\n{partition}\n{row}")));

    private static (int Table, string? Partition, string? Row) ParseSearchToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null, null);
        }

        var bytes = new byte[token.Length];
        if (!Convert.TryFromBase64String(token, bytes, out var length))
        {
            throw new FormatException("The continuation token is not one this service returned.");
        }

        var parts = Encoding.UTF8.GetString(bytes, 0, length).Split('\n');
        if (parts.Length != 3 || parts[0] is not ("0" or "1") || parts[1].Length == 0 || parts[2].Length == 0)
        {
            throw new FormatException("The continuation token is not one this service returned.");
        }

        return (parts[0][0] - '0', parts[1], parts[2]);
    }

    private static string ScannedPartition(string guid) => guid[..1];

    private static TableEntity? ToScanned(DataMapEntity e)
    {
        var scanned = e.Scanned ?? throw new ArgumentException($"The entity {e.Guid} carries no scan attributes.", nameof(e));
        var row = new TableEntity(ScannedPartition(e.Guid), e.Guid)
        {
            ["TypeName"] = e.TypeName,
            ["QualifiedName"] = e.QualifiedName,
            ["Name"] = e.Name,
            ["Collection"] = e.Collection,
            ["DataSource"] = scanned.DataSource,
            ["Size"] = scanned.Size,
            ["Path"] = scanned.Path,
            ["LastModified"] = scanned.LastModified,
            ["LastRunId"] = scanned.LastRunId,
            ["UpdatedAt"] = scanned.UpdatedAt,
        };
        // Most assets have neither (no sampling): absent reads back as empty, and each property costs on every write.
        if (scanned.Classifications.Count > 0)
        {
            row["Classifications"] = JsonSerializer.Serialize(scanned.Classifications, Json);
        }

        var columns = scanned.Columns.Count == 0 ? string.Empty : JsonSerializer.Serialize(scanned.Columns, Json);
        var chunks = (columns.Length + MaxChunkChars - 1) / MaxChunkChars;
        if (chunks > MaxColumnChunks)
        {
            return null;
        }

        for (var i = 0; i < chunks; i++)
        {
            row[i == 0 ? "Columns" : "Columns" + i.ToString(CultureInfo.InvariantCulture)] = columns.Substring(i * MaxChunkChars, Math.Min(MaxChunkChars, columns.Length - (i * MaxChunkChars)));
        }

        return row;
    }

    private static DataMapEntity FromScanned(TableEntity e)
    {
        var columns = new StringBuilder(e.GetString("Columns"));
        for (var i = 1; e.GetString("Columns" + i.ToString(CultureInfo.InvariantCulture)) is { } more; i++)
        {
            columns.Append(more);
        }

        if (IsOwnerRow(e))
        {
            return new DataMapEntity(e.RowKey, e.GetString("TypeName")!, e.GetString("QualifiedName")!, e.GetString("Name") ?? string.Empty, e.GetString("Collection"),
                e.GetBoolean("IsProcess") ?? false, e.GetDateTimeOffset("CreatedAt") ?? default);
        }

        var updatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default;
        return new DataMapEntity(e.RowKey, e.GetString("TypeName")!, e.GetString("QualifiedName")!, e.GetString("Name") ?? string.Empty, e.GetString("Collection"), false, updatedAt)
        {
            Scanned = new ScannedAttributes(
                e.GetString("DataSource") ?? string.Empty,
                e.GetInt64("Size") ?? 0,
                e.GetString("Path") ?? string.Empty,
                e.GetDateTimeOffset("LastModified"),
                columns.Length == 0 ? [] : JsonSerializer.Deserialize<List<AssetColumn>>(columns.ToString(), Json) ?? [],
                e.GetString("Classifications") is { } c ? JsonSerializer.Deserialize<List<string>>(c, Json) ?? [] : [],
                e.GetString("LastRunId") ?? string.Empty,
                updatedAt),
        };
    }

    public Task<DataMapEntity?> GetByUniqueAttributeAsync(string typeName, string qualifiedName, CancellationToken cancellationToken) =>
        GetEntityByGuidAsync(DataMapIds.EntityGuid(typeName, qualifiedName), cancellationToken);

    public async Task<IReadOnlyList<DataMapRelationship>> GetRelationshipsOfAsync(string guid, CancellationToken cancellationToken)
    {
        var list = new List<DataMapRelationship>();
        await foreach (var row in _relations.QueryAsync(TableFilter.PartitionKeyEquals(guid), cancellationToken: cancellationToken))
        {
            list.Add(FromRow(row));
        }

        return list;
    }

    private void Remember(string key, string creator)
    {
        if (_known.Count > KnownCapacity)
        {
            _known.Clear();
        }

        _known.TryAdd(key, creator);
    }

    private static TableEntity ToEntity(DataMapEntity e, string creator) => new(e.Guid, "e")
    {
        ["Creator"] = creator,
        ["TypeName"] = e.TypeName,
        ["QualifiedName"] = e.QualifiedName,
        ["Name"] = e.Name,
        ["Collection"] = e.Collection,
        ["IsProcess"] = e.IsProcess,
        ["CreatedAt"] = e.CreatedAt,
    };

    private static DataMapEntity FromEntity(TableEntity e) => new(
        e.PartitionKey, e.GetString("TypeName")!, e.GetString("QualifiedName")!, e.GetString("Name") ?? string.Empty, e.GetString("Collection"),
        e.GetBoolean("IsProcess") ?? false, e.GetDateTimeOffset("CreatedAt") ?? default);

    private static string OutRowKey(DataMapRelationship r) => $"out|{r.Kind}|{r.Id}";

    private static TableEntity ToRow(DataMapRelationship r, bool outgoing, string? creator)
    {
        var row = new TableEntity(outgoing ? r.FromGuid : r.ToGuid, outgoing ? OutRowKey(r) : $"in|{r.Kind}|{r.Id}")
        {
            ["Id"] = r.Id,
            ["Kind"] = r.Kind.ToString(),
            ["TypeName"] = r.TypeName,
            ["From"] = r.FromGuid,
            ["To"] = r.ToGuid,
        };
        if (creator is not null)
        {
            row["Creator"] = creator;
        }

        return row;
    }

    private static DataMapRelationship FromRow(TableEntity e) => new(
        e.GetString("Id")!, Enum.Parse<RelationKind>(e.GetString("Kind")!), e.GetString("TypeName") ?? string.Empty, e.GetString("From")!, e.GetString("To")!);
}
