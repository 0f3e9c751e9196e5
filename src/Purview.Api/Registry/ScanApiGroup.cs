namespace Purview.Api.Registry;

/// <summary>
/// The rules every <c>/scan</c> route group in the Scanning API's shape shares (the registry, classification rules and
/// rule sets): the Data source admin policy and the api-version check. The local host maps them once per group
/// (<see cref="MapScanApiGroup"/>); the Functions app, which has no route groups, applies the same two before each handler.
/// </summary>
public static class ScanApiGroup
{
    public const string ApiVersion = "2023-09-01";

    public const string Policy = AccessPolicies.DataSourceAdmin;

    /// <summary>The <c>/scan</c> group under <paramref name="tag"/> (its name in the OpenAPI document), guarded and version-checked.</summary>
    public static RouteGroupBuilder MapScanApiGroup(this IEndpointRouteBuilder routes, string tag)
    {
        var group = routes.MapGroup("/scan").WithTags(tag).RequireAuthorization(Policy);
        group.AddEndpointFilter(async (context, next) => CheckApiVersion(context.HttpContext.Request) ?? await next(context));
        return group;
    }

    /// <summary>Null when <c>api-version</c> is absent or 2023-09-01 (the version these shapes follow), else the 400 to answer.</summary>
    public static IResult? CheckApiVersion(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = request.Query["api-version"];
        return values.Count == 0 || (values.Count == 1 && values[0] == ApiVersion)
            ? null
            : ApiResults.Validation("api-version", $"api-version '{values}' is not supported: use {ApiVersion} (or omit it).");
    }
}
