using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Purview.Api.Hosting;
using Purview.Core.ScanRuns.Execution;
using Purview.Functions.ScanRuns;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services
    .AddApplicationInsightsTelemetryWorkerService()
    .ConfigureFunctionsApplicationInsights();
builder.Services.AddPurviewMonitoring(builder.Configuration);
// Each run's Durable orchestration drives its steps (the local host uses a step queue instead).
builder.Services.Replace(ServiceDescriptor.Singleton<IStepQueue, OrchestratedStepQueue>());
builder.Build().Run();
