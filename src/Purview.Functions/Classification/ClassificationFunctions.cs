using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Purview.Api.Access;
using Purview.Api.Classification;
using Purview.Api.Registry;
using Purview.Core.Classification;

namespace Purview.Functions.Classification;

/// <summary>
/// The HTTP functions of classification rules and scan rule sets, one per route of <see cref="ClassificationEndpoints"/>,
/// each authenticating and applying the <c>/scan</c> group's policy and api-version check, then calling the same handler.
/// </summary>
public sealed class ClassificationFunctions(ClassificationRuleService service)
{
    [Function("ListClassificationRules")]
    public async Task<IResult> ListClassificationRules(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/classificationrules")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        return await ClassificationEndpoints.ListClassificationRules(service, ct);
    }

    [Function("GetClassificationRule")]
    public async Task<IResult> GetClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        return await ClassificationEndpoints.GetClassificationRule(classificationRuleName, service, ct);
    }

    [Function("PutClassificationRule")]
    public async Task<IResult> PutClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await FunctionHttp.ReadJsonAsync<ClassificationRuleRequest>(request);
        return problem ?? await ClassificationEndpoints.PutClassificationRule(classificationRuleName, body!, request.HttpContext, service, ct);
    }

    [Function("DeleteClassificationRule")]
    public async Task<IResult> DeleteClassificationRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/classificationrules/{classificationRuleName}")] HttpRequest request, string classificationRuleName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        return await ClassificationEndpoints.DeleteClassificationRule(classificationRuleName, request.HttpContext, service, ct);
    }

    [Function("ListScanRulesets")]
    public async Task<IResult> ListScanRulesets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/scanrulesets")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        return await ClassificationEndpoints.ListScanRulesets(service, ct);
    }

    [Function("GetScanRuleset")]
    public async Task<IResult> GetScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        return await ClassificationEndpoints.GetScanRuleset(scanRulesetName, service, ct);
    }

    [Function("PutScanRuleset")]
    public async Task<IResult> PutScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        var (body, problem) = await FunctionHttp.ReadJsonAsync<ScanRulesetRequest>(request);
        return problem ?? await ClassificationEndpoints.PutScanRuleset(scanRulesetName, body!, request.HttpContext, service, ct);
    }

    [Function("DeleteScanRuleset")]
    public async Task<IResult> DeleteScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "scan/scanrulesets/{scanRulesetName}")] HttpRequest request, string scanRulesetName)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        var ct = request.HttpContext.RequestAborted;
        return await ClassificationEndpoints.DeleteScanRuleset(scanRulesetName, request.HttpContext, service, ct);
    }

    [Function("ListSystemScanRulesets")]
    public async Task<IResult> ListSystemScanRulesets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/systemScanRulesets")] HttpRequest request)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return ClassificationEndpoints.ListSystemScanRulesets();
    }

    [Function("GetSystemScanRuleset")]
    public async Task<IResult> GetSystemScanRuleset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "scan/systemScanRulesets/datasources/{dataSourceType}")] HttpRequest request, string dataSourceType)
    {
        if (await BeginAsync(request) is { } refused)
        {
            return refused;
        }

        return ClassificationEndpoints.GetSystemScanRuleset(dataSourceType);
    }

    private static async Task<IResult?> BeginAsync(HttpRequest request) =>
        await FunctionHttp.AuthorizeAsync(request, AccessPolicies.DataSourceAdmin) ?? RegistryEndpoints.CheckApiVersion(request);
}
