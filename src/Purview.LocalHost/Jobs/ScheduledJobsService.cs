using NCrontab;
using Purview.Core.Jobs;

namespace Purview.LocalHost.Jobs;

/// <summary>
/// The local host's stand-in for Functions timer triggers: runs every <see cref="IScheduledJob"/> on its NCRONTAB
/// schedule (UTC, from <see cref="TimeProvider"/>). Each occurrence is claimed in storage first, so with several hosts
/// it runs once; at start the host also runs occurrences of the catch-up window that no host completed.
/// <c>Jobs:Enabled=false</c> turns it off (tests drive jobs directly).
/// </summary>
internal sealed partial class ScheduledJobsService(
    IEnumerable<IScheduledJob> jobs, IJobOccurrenceStore occurrences, TimeProvider time, IConfiguration configuration, ILogger<ScheduledJobsService> logger)
    : BackgroundService
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Jobs:Enabled", true))
        {
            LogDisabled(logger);
            return Task.CompletedTask;
        }

        return Task.WhenAll(jobs.Select(job => Task.Run(() => RunScheduleAsync(job, stoppingToken), stoppingToken)));
    }

    private async Task RunScheduleAsync(IScheduledJob job, CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(job.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        var now = time.GetUtcNow();
        foreach (var missed in schedule.GetNextOccurrences((now - job.CatchUpWindow).UtcDateTime, now.UtcDateTime.AddTicks(1)))
        {
            await RunOccurrenceAsync(job, new DateTimeOffset(missed, TimeSpan.Zero), stoppingToken);
        }

        // Occurrences follow each other from the start time, not from "now": a job that ran long, or a clock that
        // jumped, still gets every occurrence (late ones run at once; the claim makes sure only one host runs each).
        var last = now;
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = new DateTimeOffset(schedule.GetNextOccurrence(last.UtcDateTime), TimeSpan.Zero);
            last = next;
            var wait = next - time.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunOccurrenceAsync(job, next, stoppingToken);
        }
    }

    private async Task RunOccurrenceAsync(IScheduledJob job, DateTimeOffset occurrence, CancellationToken stoppingToken)
    {
        try
        {
            if (!await occurrences.TryClaimAsync(job.Name, occurrence, _owner, Lease, stoppingToken))
            {
                return;
            }

            var started = time.GetTimestamp();
            LogStarting(logger, job.Name, occurrence);
            await Purview.Core.Telemetry.PurviewTelemetry.TraceJobAsync(job.Name, occurrence, () => job.RunAsync(occurrence, stoppingToken));
            await occurrences.CompleteAsync(job.Name, occurrence, _owner, stoppingToken);
            LogCompleted(logger, job.Name, occurrence, time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the claim's lease expires and another host (or this one, restarted) takes it over.
        }
#pragma warning disable CA1031 // A failing job must not stop the schedule; it is logged and retried by the next start's catch-up.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, job.Name, occurrence);
            try
            {
                await occurrences.ReleaseAsync(job.Name, occurrence, _owner, CancellationToken.None);
            }
#pragma warning disable CA1031 // Releasing is best effort: the lease expires anyway.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled jobs are disabled (Jobs:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} starting for {Occurrence:O}")]
    private static partial void LogStarting(ILogger logger, string job, DateTimeOffset occurrence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} completed for {Occurrence:O} in {ElapsedMs:F0} ms")]
    private static partial void LogCompleted(ILogger logger, string job, DateTimeOffset occurrence, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} failed for {Occurrence:O}; it will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job, DateTimeOffset occurrence);
}
