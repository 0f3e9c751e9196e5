using Purview.Api.Health;
using Purview.Core.Health;

namespace Purview.Functions.Health;

/// <summary>The HTTP functions of the Health route group; each one delegates to the handler the local host maps.</summary>
public sealed class HealthFunctions(IStorageProbe probe)
{
    [Function("Health")]
    public Task<IResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, null, async () =>
            await HealthEndpoints.GetHealth(probe, request.HttpContext.RequestAborted), anonymous: true);
}
