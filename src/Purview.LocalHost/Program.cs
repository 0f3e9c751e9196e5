using Purview.Api.Hosting;
using Purview.Api.Http;
using Purview.Api.Identity;
using Purview.Api.ScanRuns;
using Purview.LocalHost;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLocalSettings(builder.Environment);
if (args is [DevelopmentTokenCommand.Name, .. var tokenArgs])
{
    // ./run.sh token <principal>: print a development token and exit without starting the server.
    return DevelopmentTokenCommand.Run(tokenArgs, builder.Configuration, builder.Environment, Console.Out, Console.Error);
}

builder.WebHost.UseUrls(builder.Configuration["urls"] ?? LocalHostDefaults.Url);
builder.Services.AddPurviewMonitoring(builder.Configuration);
builder.Services.AddScanRunWorkers(builder.Configuration);
builder.Services.AddOpenApi();
builder.Services.AddHostedService<Purview.LocalHost.Jobs.ScheduledJobsService>();

var app = builder.Build();
// Resolve storage settings now: a bad connection string should stop the host at start, not at the first request.
_ = app.Services.GetRequiredService<Purview.Storage.Client.StorageAccount>();
// Exception handling, routing, identity, rate limits and body limits, in the order both hosts share.
app.UsePurviewHttp(pipeline => pipeline.UsePurviewIdentity());
// Only the one document there is: a "{documentName}" route would answer other names with a plain-text 404 instead of
// the problem body every other unknown path gets.
var openApi = app.MapOpenApi("/openapi/v1.json");
if (app.Environment.IsDevelopment())
{
    openApi.AllowAnonymous();
}

app.MapPurviewApi();
app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
