using Purview.Core.Jobs;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>Every minute, starts the scheduled runs whose trigger is due (run ids derive from the due time, so a repeat is a no-op).</summary>
public sealed class ScanScheduleJob(ScheduledRuns scheduled) : IScheduledJob
{
    public const string Cron = "0 * * * * *";

    public string Name => "scan-schedules";

    public string Schedule => Cron;

    // ScheduledRuns looks back over its own window, so a missed minute needs no catch-up of its own.
    public TimeSpan CatchUpWindow => TimeSpan.Zero;

    public Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) => scheduled.StartDueAsync(cancellationToken);
}
