using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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
