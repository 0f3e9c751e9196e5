using Purview.Api.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.LocalHost.ScanRuns;

/// <summary>
/// What drives scan runs in the local host. <c>ScanRuns:Engine</c> = <c>Durable</c> runs the Durable Task engine with the
/// Functions app's orchestration; <c>Queue</c> (still the default, until the fault suite and the health checks run on
/// the engine: a host whose storage does not answer cannot start the engine) keeps the step queue runner. Either way
/// the supervisor repairs runs whose next step was never handed on (a crash between a write and the hand-over).
/// </summary>
public static class ScanRunEngineRegistration
{
    public const string EngineKey = "ScanRuns:Engine";

    public static IServiceCollection AddScanRunEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!string.Equals(configuration[EngineKey] ?? "Queue", "Durable", StringComparison.OrdinalIgnoreCase))
        {
            return services.AddScanRunWorkers(configuration);
        }

        var options = new ScanRunEngineOptions { TaskHubName = configuration["TaskHubName"] ?? "PurviewLocal" };
        configuration.GetSection("DurableTask").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<ScanRunEngine>();
        services.AddSingleton(sp => sp.GetRequiredService<ScanRunEngine>().Client);
        // The executor hands admitted runs to their orchestration (started, or woken when already running).
        services.AddSingleton<IStepQueue, DurableStepQueue>();
        if (configuration.GetValue("Workers:Enabled", true))
        {
            services.AddHostedService(sp => sp.GetRequiredService<ScanRunEngine>());
            services.AddHostedService<SupervisorService>();
        }

        return services;
    }
}

/// <summary>The executor's "next step of run X" as the engine understands it: start X's orchestration, or wake it.</summary>
public sealed class DurableStepQueue(ScanRunEngineClient client) : IStepQueue
{
    public Task EnqueueAsync(StepMessage message, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return client.StartOrWakeAsync(message.RunId, cancellationToken);
    }
}
