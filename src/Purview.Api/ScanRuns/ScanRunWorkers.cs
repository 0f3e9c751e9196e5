using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NCrontab;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Api.ScanRuns;

/// <summary>The step runner loop: receive, run, repeat; sleeps <see cref="ScanRunWorkerOptions.PollInterval"/> when the queue is empty.</summary>
public sealed partial class StepRunnerService(StepQueueRunner runner, ScanRunWorkerOptions options, ILogger<StepRunnerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await runner.RunOnceAsync(stoppingToken) > 0)
                {
                    continue;
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }

            await Task.Delay(options.PollInterval, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The step runner could not receive from the queue")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>Every <see cref="ScanRunWorkerOptions.SupervisorInterval"/>: re-enqueue abandoned runs, finish orphaned ones.</summary>
public sealed partial class SupervisorService(ScanRunSupervisor supervisor, ScanRunWorkerOptions options, TimeProvider time, ILogger<SupervisorService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.SupervisorInterval, time, stoppingToken);
            try
            {
                var repaired = await supervisor.SuperviseAsync(stoppingToken);
                if (repaired > 0)
                {
                    LogRepaired(logger, repaired);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Supervisor re-enqueued or finished {Count} runs")]
    private static partial void LogRepaired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The supervisor pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>The schedule timer: NCRONTAB "0 * * * * *" (every minute, at second 0, UTC), like the Functions timer trigger.</summary>
public sealed partial class ScheduleTimerService(ScheduledRuns scheduled, TimeProvider time, ILogger<ScheduleTimerService> logger) : BackgroundService
{
    public const string Schedule = "0 * * * * *";
    private static readonly CrontabSchedule Cron = CrontabSchedule.Parse(Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = Cron.GetNextOccurrence(now.UtcDateTime);
            var wait = new DateTimeOffset(next, TimeSpan.Zero) - now;
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, time, stoppingToken);
            try
            {
                var started = await scheduled.StartDueAsync(stoppingToken);
                if (started.Count > 0)
                {
                    LogStarted(logger, started.Count);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Count} scheduled scan runs")]
    private static partial void LogStarted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The schedule timer failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
