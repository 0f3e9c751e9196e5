using Purview.Core.Access;
using Purview.Core.Jobs;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Core.Monitoring;

/// <summary>
/// Every 10 minutes, compares the summary rollup of every collection and recent day with the authoritative counters
/// and rewrites the rows that disagree: a host that died between a counter write and its rollup refresh leaves a stale
/// rollup for at most one period. Only days on which runs can still change are checked (a run lives at most
/// <see cref="ScanRun.MaxRunDuration"/> after the day it was created and is counted under that day), so older days
/// were settled by earlier passes.
/// </summary>
public sealed class RunRollupRepairJob(IRunCounterStore counters, AccessService access, TimeProvider time) : IScheduledJob
{
    public const string Cron = "0 */10 * * * *";

    public string Name => "scan-run-rollup-repair";

    public string Schedule => Cron;

    // Every pass covers the whole window, so a missed one needs no catch-up of its own.
    public TimeSpan CatchUpWindow => TimeSpan.Zero;

    public async Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) => await RepairAsync(cancellationToken);

    /// <summary>Returns how many (collection, day, kind) rollup rows were rewritten.</summary>
    public async Task<int> RepairAsync(CancellationToken cancellationToken)
    {
        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var days = Enumerable.Range(0, (int)ScanRun.MaxRunDuration.TotalDays + 2).Select(back => today.AddDays(-back)).ToList();
        var collections = snapshot.Collections.Select(c => c.Name).Append(snapshot.RootName).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return await counters.RepairRollupsAsync(collections, days, cancellationToken);
    }
}
