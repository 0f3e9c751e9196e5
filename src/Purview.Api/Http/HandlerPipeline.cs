using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Purview.Api.Identity;
using Purview.Core.Common;

namespace Purview.Api.Http;

/// <summary>What a request's <see cref="HandlerPipeline.RunAsync"/> was asked to apply, kept in the request's features.</summary>
public sealed record HandlerPipelineUse(string? Policy, bool Anonymous, long BodyLimit);

/// <summary>
/// What the local host's middleware does around an endpoint, for hosts whose handlers are not ASP.NET Core
/// endpoints (the Functions app): authenticate, apply the route group's policy, the per-principal rate limit and the
/// body limit, read JSON bodies with the same rules, and turn exceptions into the same problems.
/// </summary>
public static class HandlerPipeline
{
    public static async Task<IResult> RunAsync(HttpContext context, string? policy, Func<Task<IResult>> handler, bool anonymous = false, long bodyLimit = BodyLimit.Default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);
        // Recorded first, so that what a function asked of the pipeline can be read back (the drift guard compares it
        // with the local host's endpoint metadata) whatever the request's outcome.
        context.Features.Set(new HandlerPipelineUse(policy, anonymous, bodyLimit));
        try
        {
            if (!anonymous && await context.AuthenticateOrChallengeAsync() is { } challenge)
            {
                return challenge;
            }

            var limiter = context.RequestServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
            if (limiter is not null)
            {
                using var lease = await limiter.AcquireAsync(context, 1, context.RequestAborted);
                if (!lease.IsAcquired)
                {
                    var retryAfter = lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
                    context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return TypedResults.Problem(detail: $"Too many requests from this caller; retry after {retryAfter} s.", statusCode: 429, title: ApiResults.TitleOf(429),
                        type: ApiResults.ProblemTypeBase + "TooManyRequests", extensions: new Dictionary<string, object?> { ["code"] = "TooManyRequests" });
                }
            }

            if (policy is not null)
            {
                var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
                var decision = await authorization.AuthorizeAsync(context.User, policy);
                if (!decision.Succeeded)
                {
                    return ApiResults.Problem(Error.Forbidden($"This needs the role that the '{policy}' policy requires."));
                }
            }

            if (context.Request.ContentLength > bodyLimit)
            {
                throw new BadHttpRequestException($"The body is over {bodyLimit} bytes.", StatusCodes.Status413PayloadTooLarge);
            }

            return await handler();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            var problem = ApiExceptionHandler.ProblemFor(ex);
            if (problem.StatusCode >= 500)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HandlerPipeline)).LogError(ex, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            }

            return problem;
        }
    }

    /// <summary>
    /// The same pipeline for a function's request: the handler gets the request's cancellation token and its typed
    /// result is the answer (what an endpoint's return value is on the local host).
    /// </summary>
    public static Task<IResult> RunAsync<TResult>(HttpRequest request, string? policy, Func<CancellationToken, Task<TResult>> handler, long bodyLimit = BodyLimit.Default)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync(request.HttpContext, policy, async () => await handler(request.HttpContext.RequestAborted), bodyLimit: bodyLimit);
    }

    /// <summary>
    /// The same pipeline for a function whose handler takes a JSON body: the body is read with <see cref="ReadJsonAsync{T}"/>'s
    /// rules once the pipeline has let the request through, and the route's body limit is required, not defaulted.
    /// </summary>
    public static Task<IResult> RunAsync<TBody, TResult>(HttpRequest request, string? policy, Func<TBody, CancellationToken, Task<TResult>> handler, long bodyLimit)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync(request, policy, async cancellationToken => await handler(await ReadJsonAsync<TBody>(request), cancellationToken), bodyLimit);
    }

    /// <summary>Reads a JSON body with the API's rules (strict, depth-limited); failures surface as the same 400/415 problems as on the local host.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a JSON body.", StatusCodes.Status415UnsupportedMediaType);
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        try
        {
            return await request.ReadFromJsonAsync<T>(options, request.HttpContext.RequestAborted)
                ?? throw new BadHttpRequestException($"Required parameter \"{typeof(T).Name} body\" was not provided from body.");
        }
        catch (JsonException ex)
        {
            throw new BadHttpRequestException($"Failed to read parameter \"{typeof(T).Name} body\" from the request body as JSON.", ex);
        }
    }
}
