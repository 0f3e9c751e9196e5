using Purview.Api.Classification;
using Purview.Core.Classification;
using Purview.Functions.Registry;

namespace Purview.Functions.Classification;

/// <summary>
/// The HTTP functions of classification rules and scan rule sets, one per route of <see cref="ClassificationEndpoints"/>,
/// each the same handler inside <see cref="HandlerPipeline"/> (the <c>/scan</c> group's policy and body limits), after the
/// api-version check that the local host runs as the group's endpoint filter.
/// </summary>
public sealed class ClassificationFunctions(ClassificationRuleService service)
{
    [Function("ListClassificationRules")]
    public Task<IResult> ListClassificationRules(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/classificationrules")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => ClassificationEndpoints.ListClassificationRules(service, ct));

    [Function("GetClassificationRule")]
    public Task<IResult> GetClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName) =>
        ScanGroup.RunAsync(request, ct => ClassificationEndpoints.GetClassificationRule(classificationRuleName, service, ct));

    [Function("PutClassificationRule")]
    public Task<IResult> PutClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName) =>
        ScanGroup.RunAsync(request, (ClassificationRuleRequest body, CancellationToken ct) =>
            ClassificationEndpoints.PutClassificationRule(classificationRuleName, body, request.HttpContext, service, ct), ClassificationEndpoints.SmallBody);

    [Function("DeleteClassificationRule")]
    public Task<IResult> DeleteClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName) =>
        ScanGroup.RunAsync(request, ct => ClassificationEndpoints.DeleteClassificationRule(classificationRuleName, request.HttpContext, service, ct));

    [Function("ListScanRulesets")]
    public Task<IResult> ListScanRulesets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/scanrulesets")] HttpRequest request) =>
        ScanGroup.RunAsync(request, ct => ClassificationEndpoints.ListScanRulesets(service, ct));

    [Function("GetScanRuleset")]
    public Task<IResult> GetScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName) =>
        ScanGroup.RunAsync(request, ct => ClassificationEndpoints.GetScanRuleset(scanRulesetName, service, ct));

    [Function("PutScanRuleset")]
    public Task<IResult> PutScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName) =>
        ScanGroup.RunAsync(request, (ScanRulesetRequest body, CancellationToken ct) =>
            ClassificationEndpoints.PutScanRuleset(scanRulesetName, body, request.HttpContext, service, ct), ClassificationEndpoints.SmallBody);

    [Function("DeleteScanRuleset")]
    public Task<IResult> DeleteScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName) =>
        ScanGroup.RunAsync(request, ct => ClassificationEndpoints.DeleteScanRuleset(scanRulesetName, request.HttpContext, service, ct));

    [Function("ListSystemScanRulesets")]
    public static Task<IResult> ListSystemScanRulesets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/systemScanRulesets")] HttpRequest request) =>
        ScanGroup.RunAsync(request, _ => Task.FromResult(ClassificationEndpoints.ListSystemScanRulesets()));

    [Function("GetSystemScanRuleset")]
    public static Task<IResult> GetSystemScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/systemScanRulesets/datasources/{dataSourceType}")] HttpRequest request, string dataSourceType) =>
        ScanGroup.RunAsync(request, _ => Task.FromResult(ClassificationEndpoints.GetSystemScanRuleset(dataSourceType)));
}
