using Microsoft.AspNetCore.Http.Features;

namespace Purview.Api.Http;

/// <summary>Endpoint metadata: the largest body the route accepts. Routes without it accept <see cref="Default"/>.</summary>
public sealed record BodyLimit(long Bytes)
{
    public const long Default = 1024 * 1024;
}

public static class BodyLimitExtensions
{
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long bytes)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(b => b.Metadata.Add(new BodyLimit(bytes)));
        return builder;
    }

    /// <summary>Refuses a declared Content-Length over the route's limit at once and caps what the server will read otherwise.</summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes ?? BodyLimit.Default;
            if (context.Request.ContentLength > limit)
            {
                throw new BadHttpRequestException($"The body is over {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(context);
        });
}
