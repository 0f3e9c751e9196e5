using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.ScanRuns;

/// <summary>The admission record: one entity (a few KB: the active runs, at most 10, and the waiting queue), guarded by its ETag.</summary>
public sealed class TableAdmissionStore(StorageLayout layout) : IAdmissionStore, IStorageUser
{
    private readonly EntityTable _table = layout.Table("scanadmission");

    public async Task<(AdmissionState State, string? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        var entity = await _table.GetEntityOrDefaultAsync("admission", "account", cancellationToken: cancellationToken);
        if (entity is null)
        {
            return (AdmissionState.Empty, null);
        }

        var dto = JsonSerializer.Deserialize<Dto>(entity.GetString("State")!, TableScanRunStore.Json)!;
        return (new AdmissionState(dto.Active, dto.Waiting), entity.ETag.ToString());
    }

    public async Task<bool> TryWriteAsync(AdmissionState state, string? etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity("admission", "account") { ["State"] = JsonSerializer.Serialize(new Dto([.. state.Active], [.. state.Waiting]), TableScanRunStore.Json) };
        try
        {
            if (etag is null)
            {
                await _table.AddEntityAsync(entity, cancellationToken);
            }
            else
            {
                await _table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (StorageException ex) when (ex.IsConflict || ex.IsPreconditionFailed || ex.IsNotFound)
        {
            return false;
        }
    }

    private sealed record Dto(List<AdmissionEntry> Active, List<AdmissionEntry> Waiting);
}
