// Atlas calls an entity's id "guid"; the data map keeps that name.
#pragma warning disable CA1720
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Purview.Core.DataMap;

namespace Purview.Storage.DataMap;

/// <summary>
/// Table <c>dmrollups</c>: one partition per entity GUID holding a summary row (<c>s</c>: count, latest key and time,
/// the recent keys as JSON) and one marker row per key counted (<c>k|{sha256(key)}</c>). New keys are recorded as their
/// markers (Add) and the summary (Add, or Replace on the ETag read) in ONE entity-group transaction: a key whose marker
/// exists fails the transaction and is dropped (it was counted), a summary changed by another writer is read again. So a
/// retried, re-sent or concurrent push never counts a run twice, and a crash leaves all of a transaction or none.
/// The summary this process last wrote is kept with its ETag, so the next sighting of that entity skips the read: the
/// ETag still guards the replace, and a summary another writer changed meanwhile is read again.
/// </summary>
public sealed class TableRollupStore(StorageLayout layout) : IRollupStore, IStorageUser
{
    private const string SummaryRow = "s";
    private const int MaxKeysPerTransaction = 99;
    private const int MaxAttempts = 20;
    private const int KnownCapacity = 200_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EntityTable _table = layout.Table("dmrollups");

    // Markers known to exist (never deleted): a re-sent run skips its round trips.
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    // Summaries this process wrote last, with their ETags: a warm push skips one read per entity.
    private readonly ConcurrentDictionary<string, (RollupSummary Summary, ETag ETag)> _written = new(StringComparer.Ordinal);

    public async Task RecordAsync(IReadOnlyList<RollupSighting> sightings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sightings);
        var groups = sightings.GroupBy(s => s.EntityGuid, StringComparer.Ordinal).ToList();
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (g, ct) => await RecordEntityAsync(g.Key, g.DistinctBy(s => s.Key, StringComparer.Ordinal).ToList(), ct));
    }

    private async Task RecordEntityAsync(string guid, List<RollupSighting> pending, CancellationToken cancellationToken)
    {
        pending.RemoveAll(s => _known.ContainsKey(guid + "|" + s.Key));
        for (var attempt = 0; pending.Count > 0;)
        {
            var chunk = pending.Take(MaxKeysPerTransaction).ToList();
            var (current, etag) = await CurrentAsync(guid, cancellationToken);
            var next = RollupSummary.Add(current, chunk.Select(s => new RollupEntry(s.Key, s.At)).ToList());
            var actions = chunk.Select(s => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(guid, MarkerRow(s.Key)) { ["Key"] = s.Key, ["At"] = s.At })).ToList();
            var row = ToRow(guid, next);
            actions.Add(etag is not { } known
                ? new TableTransactionAction(TableTransactionActionType.Add, row)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, known));
            try
            {
                var result = await _table.SubmitTransactionAsync(actions, cancellationToken);
                Remember(guid, next, result.ETags[^1]);
                Done(chunk);
                attempt = 0;
                continue;
            }
            catch (StorageException ex) when (ex.IsConflict && ex.FailedOperationIndex is { } failed && failed < chunk.Count)
            {
                // That key was counted before (a re-sent or retried run): drop it, count the others.
                Done([chunk[failed]]);
                continue;
            }
            catch (StorageException ex) when ((ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound) && attempt < MaxAttempts)
            {
                // The summary remembered is not the stored one any more (another writer replaced it): read it next time.
                _written.TryRemove(guid, out _);
                if (ex.IsConflict && ex.FailedOperationIndex is null)
                {
                    // The service did not say which row conflicted: drop the keys whose markers exist, then try again.
                    var exists = await Task.WhenAll(chunk.Select(async s => (s, await _table.GetEntityOrDefaultAsync(guid, MarkerRow(s.Key), ["RowKey"], cancellationToken) is not null)));
                    Done(exists.Where(x => x.Item2).Select(x => x.s).ToList());
                }

                // Another writer changed the summary since it was read: read it again.
                attempt++;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 10 + (attempt * 5))), cancellationToken);
            }
        }

        void Done(IReadOnlyList<RollupSighting> recorded)
        {
            if (_known.Count > KnownCapacity)
            {
                _known.Clear();
            }

            foreach (var s in recorded)
            {
                _known.TryAdd(guid + "|" + s.Key, true);
                pending.Remove(s);
            }
        }
    }

    /// <summary>The summary to add to and the ETag to replace it under (none: it is new), from memory when this process wrote it last.</summary>
    private async Task<(RollupSummary? Summary, ETag? ETag)> CurrentAsync(string guid, CancellationToken cancellationToken)
    {
        if (_written.TryGetValue(guid, out var written))
        {
            return (written.Summary, written.ETag);
        }

        var stored = await _table.GetEntityOrDefaultAsync(guid, SummaryRow, cancellationToken: cancellationToken);
        return stored is null ? (null, null) : (FromRow(stored), stored.ETag);
    }

    private void Remember(string guid, RollupSummary summary, ETag etag)
    {
        if (_written.Count > KnownCapacity)
        {
            _written.Clear();
        }

        _written[guid] = (summary, etag);
    }

    public async Task<IReadOnlyDictionary<string, RollupSummary>> GetAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guids);
        var rows = await Task.WhenAll(guids.Distinct(StringComparer.Ordinal).Select(g => _table.GetEntityOrDefaultAsync(g, SummaryRow, cancellationToken: cancellationToken)));
        return rows.Where(r => r is not null).ToDictionary(r => r!.PartitionKey, r => FromRow(r!), StringComparer.Ordinal);
    }

    private static string MarkerRow(string key) => "k|" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static TableEntity ToRow(string guid, RollupSummary summary) => new(guid, SummaryRow)
    {
        ["Count"] = summary.Count,
        ["LatestKey"] = summary.Latest.Key,
        ["LatestAt"] = summary.Latest.At,
        ["Recent"] = JsonSerializer.Serialize(summary.Recent, Json),
    };

    private static RollupSummary FromRow(TableEntity row) => new(
        row.GetInt64("Count") ?? 0,
        new RollupEntry(row.GetString("LatestKey") ?? string.Empty, row.GetDateTimeOffset("LatestAt") ?? default),
        row.GetString("Recent") is { } recent ? JsonSerializer.Deserialize<List<RollupEntry>>(recent, Json) ?? [] : []);
}
