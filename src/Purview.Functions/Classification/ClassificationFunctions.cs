using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Classification;
using Purview.Api.Http;
using Purview.Api.Registry;
using Purview.Core.Classification;

namespace Purview.Functions.Classification;

/// <summary>
/// The HTTP functions of classification rules and scan rule sets, one per route of <see cref="ClassificationEndpoints"/>,
/// each the same handler inside <see cref="HandlerPipeline"/> (the <c>/scan</c> group's policy and body limits), after the
/// api-version check that the local host runs as the group's endpoint filter.
/// </summary>
public sealed class ClassificationFunctions(ClassificationRuleService service)
{
    private const string Policy = AccessPolicies.DataSourceAdmin;

    [Function("ListClassificationRules")]
    public Task<IResult> ListClassificationRules(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/classificationrules")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.ListClassificationRules(service, request.HttpContext.RequestAborted));

    [Function("GetClassificationRule")]
    public Task<IResult> GetClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.GetClassificationRule(classificationRuleName, service, request.HttpContext.RequestAborted));

    [Function("PutClassificationRule")]
    public Task<IResult> PutClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.PutClassificationRule(classificationRuleName, await HandlerPipeline.ReadJsonAsync<ClassificationRuleRequest>(request), request.HttpContext, service, request.HttpContext.RequestAborted),
            bodyLimit: ClassificationEndpoints.SmallBody);

    [Function("DeleteClassificationRule")]
    public Task<IResult> DeleteClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.DeleteClassificationRule(classificationRuleName, request.HttpContext, service, request.HttpContext.RequestAborted));

    [Function("ListScanRulesets")]
    public Task<IResult> ListScanRulesets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/scanrulesets")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.ListScanRulesets(service, request.HttpContext.RequestAborted));

    [Function("GetScanRuleset")]
    public Task<IResult> GetScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.GetScanRuleset(scanRulesetName, service, request.HttpContext.RequestAborted));

    [Function("PutScanRuleset")]
    public Task<IResult> PutScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.PutScanRuleset(scanRulesetName, await HandlerPipeline.ReadJsonAsync<ScanRulesetRequest>(request), request.HttpContext, service, request.HttpContext.RequestAborted),
            bodyLimit: ClassificationEndpoints.SmallBody);

    [Function("DeleteScanRuleset")]
    public Task<IResult> DeleteScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, async () =>
            RegistryEndpoints.CheckApiVersion(request) ?? await ClassificationEndpoints.DeleteScanRuleset(scanRulesetName, request.HttpContext, service, request.HttpContext.RequestAborted));

    [Function("ListSystemScanRulesets")]
    public static Task<IResult> ListSystemScanRulesets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/systemScanRulesets")] HttpRequest request) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, () => Task.FromResult(RegistryEndpoints.CheckApiVersion(request) ?? (IResult)ClassificationEndpoints.ListSystemScanRulesets()));

    [Function("GetSystemScanRuleset")]
    public static Task<IResult> GetSystemScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/systemScanRulesets/datasources/{dataSourceType}")] HttpRequest request, string dataSourceType) =>
        HandlerPipeline.RunAsync(request.HttpContext, Policy, () => Task.FromResult(RegistryEndpoints.CheckApiVersion(request) ?? (IResult)ClassificationEndpoints.GetSystemScanRuleset(dataSourceType)));
}
