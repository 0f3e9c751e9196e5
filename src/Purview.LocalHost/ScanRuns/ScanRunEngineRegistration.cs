using Purview.Api.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.LocalHost.ScanRuns;

/// <summary>
/// What drives scan runs in the local host. <c>ScanRuns:Engine</c> = <c>Durable</c> (the default) runs the Durable Task
/// engine with the Functions app's orchestration; <c>Queue</c> keeps the step queue runner. A host with
/// <c>Workers:Enabled=false</c> runs no driver at all and keeps the queue port, so that tests can drive runs one step at
/// a time through <c>StepQueueRunner</c>. With either engine the supervisor repairs runs whose next step was never
/// handed on (a crash between a write and the hand-over).
/// </summary>
public static class ScanRunEngineRegistration
{
    public const string EngineKey = "ScanRuns:Engine";

    public static IServiceCollection AddScanRunEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var durable = string.Equals(configuration[EngineKey] ?? "Durable", "Durable", StringComparison.OrdinalIgnoreCase);
        if (!durable || !configuration.GetValue("Workers:Enabled", true))
        {
            return services.AddScanRunWorkers(configuration);
        }

        // One task hub per app: apps (and test hosts) sharing an account under different storage prefixes must not take
        // each other's work items, whose activities would then read the other app's tables.
        var options = new ScanRunEngineOptions { TaskHubName = configuration["TaskHubName"] ?? TaskHubFor(configuration["Storage:Prefix"] ?? "pv") };
        configuration.GetSection("DurableTask").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<ScanRunEngine>();
        services.AddSingleton(sp => sp.GetRequiredService<ScanRunEngine>().Client);
        // The executor hands admitted runs to their orchestration (started, or woken when already running).
        services.AddSingleton<IStepQueue, DurableStepQueue>();
        services.AddSingleton<IOrchestrationHistory>(sp => sp.GetRequiredService<ScanRunEngineClient>());
        services.AddHostedService(sp => sp.GetRequiredService<ScanRunEngine>());
        services.AddHostedService<SupervisorService>();
        return services;
    }

    /// <summary>The default task hub of a storage prefix (task hub names are 3-45 letters and digits, starting with a letter).</summary>
    public static string TaskHubFor(string storagePrefix)
    {
        ArgumentNullException.ThrowIfNull(storagePrefix);
        var name = "purview" + new string([.. storagePrefix.Where(char.IsAsciiLetterOrDigit)]);
        return name.Length > 45 ? name[..45] : name;
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
