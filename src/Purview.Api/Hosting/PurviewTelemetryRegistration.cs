using Azure.Monitor.OpenTelemetry.Exporter;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Purview.Core.Telemetry;

namespace Purview.Api.Hosting;

/// <summary>Where telemetry goes (<c>Telemetry:Exporter</c>).</summary>
public enum TelemetryExporter
{
    /// <summary>Nothing is collected: the SDK is not registered, so the app's activities are never even created.</summary>
    None,

    /// <summary>Traces and metrics written to standard output (local diagnosis).</summary>
    Console,

    /// <summary>OTLP to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (a collector, or the Azure Monitor agent's OTLP receiver).</summary>
    Otlp,

    /// <summary>Application Insights through the Azure Monitor exporter (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>).</summary>
    AzureMonitor,
}

/// <summary>
/// Wires the OpenTelemetry SDK in both hosts from configuration: the "Purview.Monitor" source and meter (scan-run
/// steps, jobs, storage requests, alerts), the Azure SDKs' "Azure.*" sources, ASP.NET Core requests, outgoing HTTP
/// and the runtime's metrics. <c>Telemetry:Exporter</c> = none (default) | console | otlp | azuremonitor;
/// <c>Telemetry:Enabled=true</c> registers the SDK without an exporter (tests add an in-memory one);
/// <c>Telemetry:SampleRatio</c> (0-1, default 1) keeps that fraction of traces (parent-based: a sampled request keeps its children).
/// </summary>
public static class PurviewTelemetryRegistration
{
    public static TelemetryExporter ExporterFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Telemetry:Exporter"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return TelemetryExporter.None;
        }

        return Enum.TryParse<TelemetryExporter>(value, ignoreCase: true, out var exporter) && Enum.IsDefined(exporter)
            ? exporter
            : throw new InvalidOperationException($"Telemetry:Exporter is '{value}'; expected none, console, otlp or azuremonitor.");
    }

    public static IServiceCollection AddPurviewTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var exporter = ExporterFrom(configuration);
        if (exporter == TelemetryExporter.None && !configuration.GetValue("Telemetry:Enabled", false))
        {
            return services;
        }

        var ratio = configuration.GetValue("Telemetry:SampleRatio", 1.0);
        if (!(ratio is >= 0 and <= 1))
        {
            throw new InvalidOperationException($"Telemetry:SampleRatio is {ratio}; expected a fraction between 0 and 1.");
        }

        // Azure.Core creates ActivitySource activities ("Azure.*") only behind this switch.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: typeof(PurviewTelemetryRegistration).Assembly.GetName().Version?.ToString()))
            .WithTracing(t => t
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                .AddSource(PurviewTelemetry.Name, "Azure.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase))
                // Storage requests (ours and the Azure SDKs' carry x-ms-client-request-id) already have a client span of
                // their own; a second one per request from HttpClient would double the spans of every storage call.
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !request.Headers.Contains("x-ms-client-request-id")))
            .WithMetrics(m => m
                .AddMeter(PurviewTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        switch (exporter)
        {
            case TelemetryExporter.Console:
                builder.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter());
                break;
            case TelemetryExporter.Otlp:
                // The OTLP exporter reads OTEL_EXPORTER_OTLP_ENDPOINT / _PROTOCOL / _HEADERS itself (localhost:4317 otherwise).
                builder.WithTracing(t => t.AddOtlpExporter()).WithMetrics(m => m.AddOtlpExporter());
                break;
            case TelemetryExporter.AzureMonitor:
                // Reads APPLICATIONINSIGHTS_CONNECTION_STRING (set by infra/ on the Function App).
                builder.WithTracing(t => t.AddAzureMonitorTraceExporter()).WithMetrics(m => m.AddAzureMonitorMetricExporter());
                break;
            case TelemetryExporter.None:
            default:
                break;
        }

        return services;
    }
}
