using Purview.Core.Jobs;

namespace Purview.Storage.Jobs;

/// <summary>
/// One entity per job occurrence (partition = job, row = occurrence time): inserting it claims the occurrence, so
/// with several hosts exactly one wins; a claim carries a lease so that a host that died mid-job is taken over
/// (ETag-guarded) once the lease expires; a finished occurrence is marked Done and never runs again.
/// </summary>
public sealed class TableJobOccurrenceStore(StorageLayout layout, TimeProvider time) : IJobOccurrenceStore, IStorageUser
{
    private readonly EntityTable _table = layout.Table("joboccurrences");

    public async Task<bool> TryClaimAsync(string job, DateTimeOffset occurrence, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entity = Entity(job, occurrence, owner, "Running", now + lease);
        if (await _table.TryAddEntityAsync(entity, cancellationToken))
        {
            return true;
        }

        // Someone claimed it: take over only a claim whose lease expired without completion.
        var current = await _table.GetEntityOrDefaultAsync(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
        if (current is null || current.GetString("Status") == "Done" || current.GetDateTimeOffset("LeaseUntil") > now)
        {
            return false;
        }

        entity["Attempts"] = (current.GetInt32("Attempts") ?? 1) + 1;
        return await _table.TryUpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken) is not null;
    }

    public async Task CompleteAsync(string job, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken)
    {
        var entity = Entity(job, occurrence, owner, "Done", time.GetUtcNow());
        entity["CompletedAt"] = time.GetUtcNow();
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    public async Task ReleaseAsync(string job, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken)
    {
        var current = await _table.GetEntityOrDefaultAsync(job, RowKey(occurrence), cancellationToken: cancellationToken);
        if (current is not null && current.GetString("Owner") == owner && current.GetString("Status") == "Running")
        {
            current["LeaseUntil"] = DateTimeOffset.UnixEpoch;
            try
            {
                await _table.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (StorageException ex) when (ex.IsPreconditionFailed)
            {
                // Taken over meanwhile: nothing to release.
            }
        }
    }

    private static TableEntity Entity(string job, DateTimeOffset occurrence, string owner, string status, DateTimeOffset leaseUntil) => new(job, RowKey(occurrence))
    {
        ["Occurrence"] = occurrence,
        ["Owner"] = owner,
        ["Status"] = status,
        ["LeaseUntil"] = leaseUntil,
    };

    private static string RowKey(DateTimeOffset occurrence) => occurrence.UtcDateTime.ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture);
}
