namespace Purview.LocalHost.Demo;

/// <summary>
/// <c>--demo</c> (or <c>Demo:Enabled=true</c>): seeds <see cref="DemoData"/> at start, after storage is initialized
/// (hosted services start in order) and before the host answers, so the pages are full from the first request.
/// </summary>
public sealed partial class DemoSeedService(IServiceProvider services, TimeProvider time, ILogger<DemoSeedService> logger) : IHostedService
{
    public const string Argument = "--demo";
    public const string EnabledKey = "Demo:Enabled";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        LogSeeding(logger);
        var summary = await new DemoData(services, time).SeedAsync(cancellationToken);
        LogSeeded(logger, summary.ScanRuns, summary.LinkRuns, summary.Imports, summary.AdminLogs, time.GetElapsedTime(started).TotalSeconds, summary.LineageAssetName, summary.LineageGuid);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: seeding scan runs, links and connector imports")]
    private static partial void LogSeeding(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Runs} scan runs, {LinkRuns} link activity runs, {Imports} imports, {Logs} admin logs added in {Seconds:F1} s; lineage example: {Asset} (guid {Guid})")]
    private static partial void LogSeeded(ILogger logger, int runs, int linkRuns, int imports, int logs, double seconds, string asset, string guid);
}
