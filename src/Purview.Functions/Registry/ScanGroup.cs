using Purview.Api.Registry;

namespace Purview.Functions.Registry;

/// <summary>
/// What every function of the <c>/scan</c> route groups (registry, classification rules, rule sets) runs its handler in:
/// <see cref="HandlerPipeline"/> with <see cref="ScanApiGroup"/>'s policy, then its api-version check (on the local host,
/// the group's endpoint filter).
/// </summary>
public static class ScanGroup
{
    public static Task<IResult> RunAsync<TResult>(HttpRequest request, Func<CancellationToken, Task<TResult>> handler, long bodyLimit = BodyLimit.Default)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        return HandlerPipeline.RunAsync(request, ScanApiGroup.Policy, async cancellationToken =>
            ScanApiGroup.CheckApiVersion(request) ?? await handler(cancellationToken), bodyLimit);
    }

    /// <summary>A handler that takes a JSON body: read after the api-version check, under the route's body limit.</summary>
    public static Task<IResult> RunAsync<TBody, TResult>(HttpRequest request, Func<TBody, CancellationToken, Task<TResult>> handler, long bodyLimit)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync(request, async cancellationToken => await handler(await HandlerPipeline.ReadJsonAsync<TBody>(request), cancellationToken), bodyLimit);
    }
}
