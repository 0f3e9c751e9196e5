using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.ScanRuns;

/// <summary>Exception lines of a run: PK = run id, RK = "{page}|{index}" (a retried page overwrites its own lines).</summary>
public sealed class TableScanRunExceptionLog(StorageLayout layout) : IScanRunExceptionLog, IStorageUser
{
    private readonly EntityTable _table = layout.Table("scanrunexceptions");

    public async Task AppendAsync(ScanRunId runId, int page, IReadOnlyList<ScanRunException> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var chunk in entries.Select((e, i) => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                     new TableEntity(runId.ToString(), page.ToString("D6", CultureInfo.InvariantCulture) + "|" + i.ToString("D5", CultureInfo.InvariantCulture))
                     {
                         ["TimeStamp"] = e.TimeStamp,
                         ["ErrorCode"] = e.ErrorCode,
                         ["OperationItem"] = e.OperationItem,
                         ["Message"] = e.Message.Length > 16_000 ? e.Message[..16_000] : e.Message,
                     })).Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    public async IAsyncEnumerable<ScanRunException> ReadAsync(ScanRunId runId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync(TableFilter.PartitionKeyEquals(runId.ToString()), cancellationToken: cancellationToken))
        {
            yield return new ScanRunException(e.GetDateTimeOffset("TimeStamp") ?? default, e.GetString("ErrorCode") ?? string.Empty, e.GetString("OperationItem") ?? string.Empty, e.GetString("Message") ?? string.Empty);
        }
    }
}
