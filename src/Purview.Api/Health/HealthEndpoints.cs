using Purview.Core.Health;

namespace Purview.Api.Health;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", GetHealth)
            .WithName("Health")
            .WithTags("Health")
            .WithSummary("Storage reachability: 200 when every storage service answers, 503 with the reason otherwise.")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous();
        return routes;
    }

    public static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(IStorageProbe probe, CancellationToken cancellationToken)
    {
        var result = await probe.CheckAsync(cancellationToken);
        var response = new HealthResponse(
            result.IsHealthy ? "Healthy" : "Unhealthy",
            result.Account,
            result.Failures.ToDictionary(f => f.Key, f => f.Value ?? "ok"));
        return result.IsHealthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}

public sealed record HealthResponse(string Status, string Account, IReadOnlyDictionary<string, string> Storage);
