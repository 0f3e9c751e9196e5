using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Registry;

namespace Purview.Core.ScanRuns.Execution;

public sealed record RunPage(IReadOnlyList<ScanRun> Runs, string? ContinuationToken);

/// <summary>
/// The scan-run use cases behind the API: start (idempotent per run id), read, list, cancel, exception log. Every
/// run is checked against the caller's Data source admin collections: a run the caller may not see is "not found".
/// </summary>
public sealed class ScanRunService(
    IScanRegistry registry,
    IScanRunStore store,
    IRunCounterStore counters,
    IScanRunExceptionLog exceptionLog,
    ScanRunStepExecutor executor,
    AccessService access,
    TimeProvider time)
{
    /// <summary>The principal recorded for runs started by schedules.</summary>
    /// <summary>The error code of a PUT whose run id is used by a run of another scan.</summary>
    public const string RunIdInUse = "ScanRunIdInUse";

    public static readonly Principal Scheduler = new("system:scheduler", null, "System");

    public async Task<Result<(ScanRun Run, bool Created)>> StartAsync(
        Principal caller, string dataSourceName, string scanName, string runIdText, string? scanLevelText, ScanTrigger trigger, CancellationToken cancellationToken)
    {
        if (!ScanRunId.TryParse(runIdText, out var runId))
        {
            return Error.Validation("runId", "runId must be a non-empty GUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.");
        }

        ScanLevel level = ScanLevel.Full;
        if (!string.IsNullOrEmpty(scanLevelText) && !Enum.TryParse(scanLevelText, ignoreCase: true, out level) || !Enum.IsDefined(level))
        {
            return Error.Validation("scanLevel", "scanLevel must be Full or Incremental.");
        }

        var dataSource = await registry.GetDataSourceAsync(dataSourceName, cancellationToken);
        var scan = dataSource is null ? null : await registry.GetScanAsync(dataSource.Name, scanName, cancellationToken);
        if (dataSource is null || scan is null)
        {
            return ScanNotFound(dataSourceName, scanName);
        }

        var collection = string.IsNullOrEmpty(scan.CollectionName) ? dataSource.CollectionName : scan.CollectionName;
        if (!await CanAdministerAsync(caller, collection, cancellationToken))
        {
            return ScanNotFound(dataSourceName, scanName);
        }

        var existing = await store.GetAsync(runId, cancellationToken);
        if (existing is not null)
        {
            return await SameRunAsync(caller, existing.Run, dataSource.Name, scan.Name, cancellationToken);
        }

        var now = time.GetUtcNow();
        var definition = new ScanRunDefinition(dataSource.Name, scan.Name, collection, dataSource.Kind,
            string.IsNullOrEmpty(scan.IntegrationRuntimeName) ? IntegrationRuntime.DefaultName : scan.IntegrationRuntimeName, level, trigger,
            scan.ScanRulesetName, string.Equals(scan.ScanRulesetType, nameof(ScanRulesetType.System), StringComparison.OrdinalIgnoreCase) ? ScanRulesetType.System : ScanRulesetType.Custom);
        var created = ScanRunLifecycle.Create(runId, definition, now);
        if (!created.IsCreated)
        {
            return Error.Validation(created.Errors);
        }

        var (stored, isNew) = await store.CreateAsync(created.Run!, now, cancellationToken);
        if (!isNew)
        {
            return await SameRunAsync(caller, stored.Run, dataSource.Name, scan.Name, cancellationToken);
        }

        await store.EnsureIndexedAsync(stored.Run, cancellationToken);
        await counters.ApplyAsync(stored.Run, cancellationToken);
        await access.AuditAsync(caller, trigger == ScanTrigger.Scheduled ? "scanrun.schedule" : "scanrun.start",
            $"{dataSource.Name}/{scan.Name}/runs/{runId}", collection, level.ToString(), cancellationToken);
        // Admission at once, so the answer already says Throttled or Queued; a crash here is repaired by the repair job (ScanRunRepairJob).
        await executor.AdmitAsync(stored.Run, cancellationToken);
        var after = await store.GetAsync(runId, cancellationToken);
        return (after?.Run ?? stored.Run, true);
    }

    public async Task<Result<ScanRun>> GetAsync(Principal caller, string dataSourceName, string scanName, string runIdText, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, dataSourceName, scanName, runIdText, cancellationToken);
        return found.IsSuccess ? found.Value!.Run : found.Error!;
    }

    public async Task<Result<ScanRun>> CancelAsync(Principal caller, string dataSourceName, string scanName, string runIdText, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, dataSourceName, scanName, runIdText, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        var result = await executor.CancelAsync(found.Value!.Run.Id, cancellationToken);
        if (result is null)
        {
            return RunNotFound(runIdText);
        }

        if (result.IsRejected)
        {
            return Error.Conflict("ScanRunIsFinal", result.Reason ?? "The run is final.");
        }

        if (result.IsApplied)
        {
            await access.AuditAsync(caller, "scanrun.cancel", $"{dataSourceName}/{scanName}/runs/{runIdText}", result.Run.CollectionName, null, cancellationToken);
        }

        return result.Run;
    }

    public async Task<Result<RunPage>> ListAsync(Principal caller, string dataSourceName, string scanName, int top, string? continuationToken, CancellationToken cancellationToken)
    {
        var dataSource = await registry.GetDataSourceAsync(dataSourceName, cancellationToken);
        var scan = dataSource is null ? null : await registry.GetScanAsync(dataSource.Name, scanName, cancellationToken);
        if (dataSource is null || scan is null)
        {
            return ScanNotFound(dataSourceName, scanName);
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var collection = string.IsNullOrEmpty(scan.CollectionName) ? dataSource.CollectionName : scan.CollectionName;
        if (!snapshot.HasRole(caller, Role.DataSourceAdmin, collection))
        {
            return ScanNotFound(dataSourceName, scanName);
        }

        var page = await store.ListHistoryAsync(dataSource.Name, scan.Name, top, continuationToken, cancellationToken);
        var runs = await LoadAsync(page.RunIds, cancellationToken);
        return new RunPage(runs.Where(r => snapshot.HasRole(caller, Role.DataSourceAdmin, r.CollectionName)).ToList(), page.ContinuationToken);
    }

    /// <summary>Recent runs of every scan of a data source, or only the failed ones.</summary>
    public async Task<Result<IReadOnlyList<ScanRun>>> ListDataSourceRunsAsync(Principal caller, string dataSourceName, bool failedOnly, int top, CancellationToken cancellationToken)
    {
        var dataSource = await registry.GetDataSourceAsync(dataSourceName, cancellationToken);
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (dataSource is null || !snapshot.HasRole(caller, Role.DataSourceAdmin, dataSource.CollectionName))
        {
            return Error.NotFound($"Data source '{dataSourceName}' was not found.");
        }

        var ids = await store.ListDataSourceHistoryAsync(dataSource.Name, failedOnly ? top * 10 : top, cancellationToken);
        var runs = await LoadAsync(ids, cancellationToken);
        IReadOnlyList<ScanRun> visible = runs
            .Where(r => snapshot.HasRole(caller, Role.DataSourceAdmin, r.CollectionName))
            .Where(r => !failedOnly || r.Status == ScanRunStatus.Failed)
            .Take(top)
            .ToList();
        return Result<IReadOnlyList<ScanRun>>.Success(visible);
    }

    public async Task<Result<IAsyncEnumerable<ScanRunException>>> ExceptionsAsync(Principal caller, string dataSourceName, string scanName, string runIdText, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, dataSourceName, scanName, runIdText, cancellationToken);
        return found.IsSuccess ? Result<IAsyncEnumerable<ScanRunException>>.Success(exceptionLog.ReadAsync(found.Value!.Run.Id, cancellationToken)) : found.Error!;
    }

    private async Task<IReadOnlyList<ScanRun>> LoadAsync(IReadOnlyList<ScanRunId> ids, CancellationToken cancellationToken)
    {
        var loaded = await Task.WhenAll(ids.Select(id => store.GetAsync(id, cancellationToken)));
        return loaded.Where(r => r is not null).Select(r => r!.Run).ToList();
    }

    private async Task<Result<StoredRun>> FindAsync(Principal caller, string dataSourceName, string scanName, string runIdText, CancellationToken cancellationToken)
    {
        if (!ScanRunId.TryParse(runIdText, out var runId))
        {
            return Error.Validation("runId", "runId must be a non-empty GUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx.");
        }

        var stored = await store.GetAsync(runId, cancellationToken);
        if (stored is null
            || !string.Equals(stored.Run.DataSourceName, dataSourceName, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(stored.Run.ScanName, scanName, StringComparison.OrdinalIgnoreCase)
            || !await CanAdministerAsync(caller, stored.Run.CollectionName, cancellationToken))
        {
            return RunNotFound(runIdText);
        }

        return stored;
    }

    private async Task<Result<(ScanRun Run, bool Created)>> SameRunAsync(Principal caller, ScanRun existing, string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        if (!await CanAdministerAsync(caller, existing.CollectionName, cancellationToken))
        {
            return RunNotFound(existing.Id.ToString());
        }

        if (!string.Equals(existing.DataSourceName, dataSourceName, StringComparison.OrdinalIgnoreCase) || !string.Equals(existing.ScanName, scanName, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Conflict(RunIdInUse, $"The run id {existing.Id} is already used by a run of another scan.");
        }

        // A repeated PUT also repairs what a crash after the insert may have left undone (all idempotent).
        await store.EnsureIndexedAsync(existing, cancellationToken);
        await counters.ApplyAsync(existing, cancellationToken);
        return (existing, false);
    }

    private async Task<bool> CanAdministerAsync(Principal caller, string collection, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(caller, Scheduler))
        {
            return true;
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        return snapshot.HasRole(caller, Role.DataSourceAdmin, collection);
    }

    private static Error ScanNotFound(string dataSourceName, string scanName) =>
        Error.NotFound($"Scan '{scanName}' of data source '{dataSourceName}' was not found.");

    private static Error RunNotFound(string runId) => Error.NotFound($"Scan run '{runId}' was not found.");
}
