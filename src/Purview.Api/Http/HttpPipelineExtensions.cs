using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Purview.Api.Http;

/// <summary>How every request is read and every error written: JSON rules, problem details, body limits, rate limits.</summary>
public static class HttpPipelineExtensions
{
    public static IServiceCollection AddPurviewHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            var json = o.SerializerOptions;
            json.MaxDepth = 32;
            json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.RespectNullableAnnotations = true;
            json.RespectRequiredConstructorParameters = true;
            json.AllowTrailingCommas = false;
            // {"kind":"A","kind":"B"}: which one counts depends on the reader, so neither does.
            json.AllowDuplicateProperties = false;
            json.NumberHandling = JsonNumberHandling.Strict;
        });
        // Bad input throws so that ApiExceptionHandler can name the field, instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, PurviewErrorWriter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, ProblemJsonWriter>());
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();

        var permitsPerSecond = configuration.GetValue("RateLimiting:PermitsPerSecond", 500);
        var burst = configuration.GetValue("RateLimiting:Burst", permitsPerSecond * 2);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (context.Request.Path.StartsWithSegments("/healthz"))
                {
                    return RateLimitPartition.GetNoLimiter("health");
                }

                // Per principal once authenticated, per client address before that.
                var key = context.User.Identity is { IsAuthenticated: true, Name: { } name }
                    ? "p:" + name.ToUpperInvariant()
                    : "a:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, burst),
                    TokensPerPeriod = Math.Max(1, permitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = ApiResults.TitleOf(429),
                        Detail = $"Too many requests from this caller; retry after {retryAfter} s.",
                        Type = ApiResults.ProblemTypeBase + "TooManyRequests",
                        Extensions = { ["code"] = "TooManyRequests" },
                    },
                });
            };
        });
        return services;
    }

    /// <summary>The middleware order both hosts share. Authentication must run before the rate limiter (it partitions by principal).</summary>
    public static IApplicationBuilder UsePurviewHttp(this IApplicationBuilder app, Action<IApplicationBuilder>? authentication = null)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        authentication?.Invoke(app);
        app.UseRateLimiter();
        app.UseBodyLimits();
        return app;
    }
}
