using Purview.Api.Access;
using Purview.Api.Registry;

namespace Purview.Functions.Registry;

/// <summary>
/// What every function of the <c>/scan</c> route group (registry, classification rules, rule sets) runs its handler in:
/// <see cref="HandlerPipeline"/> with the group's policy, then the api-version check that the local host runs as the
/// group's endpoint filter.
/// </summary>
public static class ScanGroup
{
    public static Task<IResult> RunAsync<TResult>(HttpRequest request, Func<CancellationToken, Task<TResult>> handler, long bodyLimit = BodyLimit.Default)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        return HandlerPipeline.RunAsync(request, AccessPolicies.DataSourceAdmin, async cancellationToken =>
            RegistryEndpoints.CheckApiVersion(request) ?? await handler(cancellationToken), bodyLimit);
    }

    /// <summary>A handler that takes a JSON body: read after the api-version check, under the route's body limit.</summary>
    public static Task<IResult> RunAsync<TBody, TResult>(HttpRequest request, Func<TBody, CancellationToken, Task<TResult>> handler, long bodyLimit)
        where TResult : IResult
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RunAsync(request, async cancellationToken => await handler(await HandlerPipeline.ReadJsonAsync<TBody>(request), cancellationToken), bodyLimit);
    }
}
