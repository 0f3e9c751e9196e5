using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Purview.Api.Hosting;
using Purview.Core.ScanRuns.Execution;
using Purview.Functions.ScanRuns;

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
        builder.Services.AddPurviewMonitoring(builder.Configuration);
        builder.Services.AddPurviewTelemetry(builder.Configuration, "purview-monitor-functions");
        // Each run's Durable orchestration drives its steps (the local host uses a step queue instead).
        builder.Services.Replace(ServiceDescriptor.Singleton<IStepQueue, OrchestratedStepQueue>());
        return builder;
    }
}
