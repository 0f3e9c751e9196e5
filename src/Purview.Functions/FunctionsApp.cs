using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Hosting;

namespace Purview.Functions;

/// <summary>
/// The worker's whole setup in one place, so that tests build the very container the deployed app runs with (its
/// function classes resolved from it, its functions invoked in-process) without the Functions host.
/// </summary>
public static class FunctionsApp
{
    /// <param name="settings">Values laid over the app's configuration (tests point storage at their Azurite with them).</param>
    public static FunctionsApplicationBuilder CreateBuilder(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.ConfigureFunctionsWebApplication();
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();
        // Each run's Durable orchestration drives its steps; runs admitted by another's release are picked up by their
        // orchestration's next try (NoRunDriver, the default), and the repair timer hands on runs no orchestration carries.
        builder.Services.AddPurviewMonitoring(builder.Configuration);
        builder.Services.AddPurviewTelemetry(builder.Configuration, "purview-monitor-functions");
        return builder;
    }
}
