using System.Security.Cryptography;
using Purview.Core.Connectors;

namespace Purview.Storage.Connectors;

/// <summary>
/// Import records in four tables, every row carrying its UTC <c>Day</c> (yyyyMMdd) for retention:
/// <list type="bullet">
/// <item><c>connectorimports</c>: the summary by import id (<c>ids|{connector}</c>, the commit point, inserted once) and by day (<c>day|{connector}|{yyyyMMdd}</c>, rows by completion time);
/// the claim of an import id being processed (<c>claim|{connector}</c>: owner and lease), so identical imports sent at once do the work once.</item>
/// <item><c>connectorcopies</c>: one row per copy present in a mailbox, <c>{connector}|{shard 0-f}</c> / SHA-256 of (item id, mailbox): the duplicate check.</item>
/// <item><c>connectorfailures</c>: failed details, <c>{connector}|{yyyyMMdd}|{importId}|{item index / 10,000}</c> / <c>{item index}|{source user}</c>: small partitions, item order.</item>
/// <item><c>connectormapfail</c>: the one user-mapping failure per user and day, <c>{connector}|{yyyyMMdd}</c> / source user.</item>
/// </list>
/// Every write is an upsert or an insert whose conflict is resolved by reading the row, so a retried import writes nothing twice.
/// </summary>
public sealed class TableImportStore(StorageLayout layout) : IImportStore, IStorageUser
{
    private const int FailureShardItems = 10_000;
    private readonly EntityTable _imports = layout.Table("connectorimports");
    private readonly EntityTable _copies = layout.Table("connectorcopies");
    private readonly EntityTable _failures = layout.Table("connectorfailures");
    private readonly EntityTable _mappingFailures = layout.Table("connectormapfail");

    public async Task<ImportSummary?> FindSummaryAsync(string connectorId, string importId, CancellationToken cancellationToken)
    {
        var e = await _imports.GetEntityOrDefaultAsync(IdPartition(connectorId), importId, cancellationToken: cancellationToken);
        return e is null ? null : ToSummary(e);
    }

    public async Task<IReadOnlyList<CopyClaim>> ClaimCopiesAsync(string connectorId, string importId, DateOnly day, IReadOnlyList<CopyRecord> copies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(copies);
        var claims = new CopyClaim[copies.Count];
        var connector = connectorId.ToLowerInvariant();
        var batches = copies
            .Select((copy, i) => (Index: i, Copy: copy, Key: CopyKey(copy)))
            .GroupBy(x => connector + "|" + x.Key[0])
            .SelectMany(g => g.Chunk(100).Select(chunk => (Partition: g.Key, Items: chunk.ToList())))
            .ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var pending = batch.Items;
            while (pending.Count > 0)
            {
                var actions = pending.Select(p => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(batch.Partition, p.Key)
                {
                    ["ItemId"] = p.Copy.ItemId,
                    ["Mailbox"] = p.Copy.Mailbox,
                    ["ImportId"] = importId,
                    ["ItemIndex"] = p.Copy.ItemIndex,
                    ["Status"] = p.Copy.Status.ToString(),
                    ["Day"] = DayKey(day),
                })).ToList();
                try
                {
                    await _copies.SubmitTransactionAsync(actions, ct);
                    foreach (var p in pending)
                    {
                        claims[p.Index] = CopyClaim.New;
                    }

                    return;
                }
                catch (StorageException ex) when (ex.Status == 409 && ex.FailedOperationIndex is { } failed && failed < pending.Count)
                {
                    var p = pending[failed];
                    var existing = await _copies.GetEntityAsync(batch.Partition, p.Key, cancellationToken: ct);
                    claims[p.Index] = existing.GetString("ImportId") == importId && existing.GetInt64("ItemIndex") == p.Copy.ItemIndex
                        ? CopyClaim.OwnedByThisImport
                        : CopyClaim.Duplicate;
                    pending = [.. pending.Where((_, i) => i != failed)];
                }
            }
        });
        return claims;
    }

    public async Task WriteFailuresAsync(string connectorId, string importId, DateOnly day, IReadOnlyList<FailureRecord> failures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var batches = failures
            .Select(f => new TableEntity(FailurePrefix(connectorId, day, importId) + (f.ItemIndex / FailureShardItems).ToString("D6", CultureInfo.InvariantCulture),
                f.ItemIndex.ToString("D12", CultureInfo.InvariantCulture) + "|" + TableKeys.Escape(f.SourceUserId))
            {
                ["ItemIndex"] = f.ItemIndex,
                ["ItemId"] = f.ItemId,
                ["SourceUserId"] = f.SourceUserId,
                ["UserPrincipalName"] = f.UserPrincipalName,
                ["Reason"] = f.Reason,
                ["Day"] = DayKey(day),
            })
            .GroupBy(e => e.PartitionKey)
            .SelectMany(g => g.DistinctBy(e => e.RowKey).Chunk(100))
            .Select(chunk => chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)).ToList())
            .ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, ct) => await _failures.SubmitTransactionAsync(batch, ct));
    }

    public async Task<bool> ClaimMappingFailureAsync(string connectorId, DateOnly day, string sourceUserId, string importId, long itemIndex, CancellationToken cancellationToken)
    {
        var partition = connectorId.ToLowerInvariant() + "|" + DayKey(day);
        var row = TableKeys.Escape(sourceUserId.ToUpperInvariant());
        if (await _mappingFailures.TryAddEntityAsync(new TableEntity(partition, row) { ["ImportId"] = importId, ["ItemIndex"] = itemIndex, ["Day"] = DayKey(day) }, cancellationToken))
        {
            return true;
        }

        var existing = await _mappingFailures.GetEntityAsync(partition, row, cancellationToken: cancellationToken);
        return existing.GetString("ImportId") == importId && existing.GetInt64("ItemIndex") == itemIndex;
    }

    public async Task<bool> TryClaimImportAsync(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claim = ClaimEntity(connectorId, importId, owner, now, lease);
        if (await _imports.TryAddEntityAsync(claim, cancellationToken))
        {
            return true;
        }

        var existing = await _imports.GetEntityOrDefaultAsync(claim.PartitionKey, claim.RowKey, cancellationToken: cancellationToken);
        if (existing is null)
        {
            return await TryClaimImportAsync(connectorId, importId, owner, now, lease, cancellationToken); // retention dropped it meanwhile
        }

        if (existing.GetString("Owner") == owner)
        {
            return true;
        }

        if ((existing.GetDateTimeOffset("LeaseUntil") ?? DateTimeOffset.MaxValue) > now)
        {
            return false;
        }

        // The owner stopped renewing (crashed): take over. Its writes are idempotent and keyed by import id, so the
        // new owner redoes them without counting anything twice; of several takers the ETag lets one win.
        return await _imports.TryUpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken) is not null;
    }

    public async Task<bool> RenewImportClaimAsync(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var claim = ClaimEntity(connectorId, importId, owner, now, lease);
        var existing = await _imports.GetEntityOrDefaultAsync(claim.PartitionKey, claim.RowKey, cancellationToken: cancellationToken);
        return existing is not null && existing.GetString("Owner") == owner
            && await _imports.TryUpdateEntityAsync(claim, existing.ETag, TableUpdateMode.Replace, cancellationToken) is not null;
    }

    public async Task<ImportSummary> SaveSummaryAsync(ImportSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var saved = summary;
        if (!await _imports.TryAddEntityAsync(ToEntity(summary, IdPartition(summary.ConnectorId), summary.ImportId), cancellationToken))
        {
            // Committed already (a replay completing an interrupted save, or an execution that took over a stale claim
            // and finished first): the saved summary stands, so the day lists one row per import id.
            saved = await FindSummaryAsync(summary.ConnectorId, summary.ImportId, cancellationToken) ?? summary;
        }

        await _imports.UpsertEntityAsync(ToEntity(saved, DayPartition(saved.ConnectorId, saved.Day), DayRow(saved)), TableUpdateMode.Replace, cancellationToken);
        return saved;
    }

    public async IAsyncEnumerable<ImportSummary> ListSummariesAsync(string connectorId, DateOnly day, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _imports.QueryAsync(TableFilter.PartitionKeyEquals(DayPartition(connectorId, day)), cancellationToken: cancellationToken))
        {
            yield return ToSummary(e);
        }
    }

    public async IAsyncEnumerable<FailureRecord> ListFailuresAsync(string connectorId, string importId, DateOnly failureDay, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prefix = FailurePrefix(connectorId, failureDay, importId);
        var filter = TableFilter.And(TableFilter.Compare("PartitionKey", "ge", prefix), TableFilter.Compare("PartitionKey", "lt", prefix + "~"));
        await foreach (var e in _failures.QueryAsync(filter, pageSize: 1000, cancellationToken: cancellationToken))
        {
            yield return new FailureRecord(e.GetInt64("ItemIndex") ?? 0, e.GetString("ItemId") ?? string.Empty, e.GetString("SourceUserId") ?? string.Empty,
                e.GetString("UserPrincipalName"), e.GetString("Reason") ?? string.Empty);
        }
    }

    public async Task<long> DeleteBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken)
    {
        long deleted = 0;
        foreach (var table in new[] { _imports, _copies, _failures, _mappingFailures })
        {
            deleted += await TableBatches.DeleteWhereAsync(table, TableFilter.Compare("Day", "lt", DayKey(cutoff)), cancellationToken);
        }

        return deleted;
    }

    private static string CopyKey(CopyRecord copy) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(copy.ItemId + "\n" + copy.Mailbox)));

    private static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string IdPartition(string connectorId) => "ids|" + connectorId.ToLowerInvariant();

    private static string ClaimPartition(string connectorId) => "claim|" + connectorId.ToLowerInvariant();

    private static TableEntity ClaimEntity(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease) => new(ClaimPartition(connectorId), importId)
    {
        ["Owner"] = owner,
        ["LeaseUntil"] = now + lease,
        ["Day"] = DayKey(DateOnly.FromDateTime(now.UtcDateTime)),
    };

    private static string DayPartition(string connectorId, DateOnly day) => "day|" + connectorId.ToLowerInvariant() + "|" + DayKey(day);

    private static string DayRow(ImportSummary s) => s.ImportCompletionTime.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "|" + s.ImportId;

    private static string FailurePrefix(string connectorId, DateOnly day, string importId) => connectorId.ToLowerInvariant() + "|" + DayKey(day) + "|" + importId + "|";

    private static TableEntity ToEntity(ImportSummary s, string partition, string row) => new(partition, row)
    {
        ["ConnectorId"] = s.ConnectorId,
        ["ImportId"] = s.ImportId,
        ["Completed"] = s.ImportCompletionTime,
        ["FailureDay"] = DayKey(s.FailureDay),
        ["Day"] = DayKey(s.Day < s.FailureDay ? s.Day : s.FailureDay),
        ["FromSource"] = s.ItemsAvailableFromSource,
        ["ForImport"] = s.ItemsAvailableForImport,
        ["Imported"] = s.ItemsImportedSuccessfully,
        ["Partial"] = s.ItemsPartiallyImported,
        ["Skipped"] = s.ItemsSkipped,
        ["Failed"] = s.ItemsFailed,
    };

    private static ImportSummary ToSummary(TableEntity e) => new(
        e.GetString("ConnectorId") ?? string.Empty,
        e.GetString("ImportId") ?? string.Empty,
        e.GetDateTimeOffset("Completed") ?? default,
        DateOnly.ParseExact(e.GetString("FailureDay") ?? "19700101", "yyyyMMdd", CultureInfo.InvariantCulture),
        e.GetInt64("FromSource") ?? 0, e.GetInt64("ForImport") ?? 0, e.GetInt64("Imported") ?? 0, e.GetInt64("Partial") ?? 0, e.GetInt64("Skipped") ?? 0, e.GetInt64("Failed") ?? 0);
}
