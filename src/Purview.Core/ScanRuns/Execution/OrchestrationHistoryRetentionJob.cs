using Purview.Core.Jobs;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>The history of ended scan-run orchestrations (instances, history rows) in the Durable task hub.</summary>
public interface IOrchestrationHistory
{
    /// <summary>Deletes the instances and history of orchestrations that ended and were created before <paramref name="createdBefore"/>; returns how many.</summary>
    Task<int> PurgeEndedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken);
}

/// <summary>A host without a Durable engine (the queue driver) has no orchestration history to purge.</summary>
public sealed class NoOrchestrationHistory : IOrchestrationHistory
{
    public Task<int> PurgeEndedAsync(DateTimeOffset createdBefore, CancellationToken cancellationToken) => Task.FromResult(0);
}

/// <summary>
/// 00:50 UTC daily: purges scan-run orchestrations that ended more than <see cref="Retention"/> ago, so the task hub's
/// instances and history tables do not grow without bound (the runs themselves stay in the runs table and history).
/// </summary>
public sealed class OrchestrationHistoryRetentionJob(IOrchestrationHistory history) : IScheduledJob
{
    public const string Cron = "0 50 0 * * *";

    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public string Name => "scanrun-history-retention";

    public string Schedule => Cron;

    public Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) => history.PurgeEndedAsync(occurrence - Retention, cancellationToken);
}
