using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.LocalHost.ScanRuns;

/// <summary>
/// What drives scan runs in the local host: the Durable Task engine with the Functions app's orchestration. A host with
/// <c>Workers:Enabled=false</c> runs no engine (its runs stay where they are until another host on the same storage, or
/// a test stepping them by hand, moves them on).
/// </summary>
public static class ScanRunEngineRegistration
{
    public static IServiceCollection AddScanRunEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!configuration.GetValue("Workers:Enabled", true))
        {
            return services;
        }

        // One task hub per app: apps (and test hosts) sharing an account under different storage prefixes must not take
        // each other's work items, whose activities would then read the other app's tables.
        var options = new ScanRunEngineOptions { TaskHubName = configuration["TaskHubName"] ?? TaskHubFor(configuration["Storage:Prefix"] ?? "pv") };
        configuration.GetSection("DurableTask").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<ScanRunEngine>();
        services.AddSingleton(sp => sp.GetRequiredService<ScanRunEngine>().Client);
        // The executor hands admitted runs to their orchestration (started, or woken when already running).
        services.AddSingleton<IRunDriver, DurableRunDriver>();
        services.AddSingleton<IOrchestrationHistory>(sp => sp.GetRequiredService<ScanRunEngineClient>());
        services.AddHostedService(sp => sp.GetRequiredService<ScanRunEngine>());
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

/// <summary>"Wake run X" as the engine understands it: start X's orchestration, wake it, or start it again if it ended.</summary>
public sealed class DurableRunDriver(ScanRunEngineClient client) : IRunDriver
{
    public Task WakeAsync(ScanRunId runId, CancellationToken cancellationToken) => client.StartOrWakeAsync(runId.Value, cancellationToken);
}
