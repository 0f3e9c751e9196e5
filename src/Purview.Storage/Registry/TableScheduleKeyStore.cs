using System.Security.Cryptography;
using Purview.Core.Registry;

namespace Purview.Storage.Registry;

/// <summary>
/// The schedule key in the app's own storage (<c>deploymentkeys</c>, one row): inserted by the first host that needs it,
/// read by the others (an insert that conflicts reads the winner's), then kept in memory. The app's own account is never
/// a scan target, so the key is not readable through the API.
/// </summary>
public sealed class TableScheduleKeyStore(StorageLayout layout) : IScheduleKeyStore, IStorageUser
{
    private const string Partition = "schedule-run-ids";
    private const string Row = "v1";
    private readonly EntityTable _table = layout.Table("deploymentkeys");
    private byte[]? _key;

    public async Task<ReadOnlyMemory<byte>> GetAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        var existing = await _table.GetEntityOrDefaultAsync(Partition, Row, cancellationToken: cancellationToken);
        if (existing is null)
        {
            // Not added when another host created it first: theirs is the key.
            await _table.TryAddEntityAsync(new TableEntity(Partition, Row) { ["Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, cancellationToken);
            existing = await _table.GetEntityAsync(Partition, Row, cancellationToken: cancellationToken);
        }

        var key = Convert.FromBase64String(existing.GetString("Key") ?? throw new InvalidOperationException("The schedule key row has no Key."));
        _key = key;
        return key;
    }
}
