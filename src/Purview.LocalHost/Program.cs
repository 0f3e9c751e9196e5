using Purview.Api.Hosting;
using Purview.Api.Http;
using Purview.LocalHost;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLocalSettings(builder.Environment);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? LocalHostDefaults.Url);
builder.Services.AddPurviewMonitoring(builder.Configuration);
builder.Services.AddOpenApi();

var app = builder.Build();
// Resolve storage settings now: a bad connection string should stop the host at start, not at the first request.
_ = app.Services.GetRequiredService<Purview.Storage.Client.StorageAccount>();
app.UsePurviewHttp();
app.MapOpenApi();
app.MapPurviewApi();
app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
