using Purview.Api.Registry;
using Purview.Core.Classification;
using Purview.Core.Common;

namespace Purview.Api.Classification;

/// <summary>
/// Classification rules and scan rule sets in the Purview Scanning API shape (<c>/scan/classificationrules</c>,
/// <c>/scan/scanrulesets</c>, <c>/scan/systemScanRulesets</c>): the same group policy (Data source admin on some
/// collection) and api-version check as the rest of <c>/scan</c>; <see cref="ClassificationRuleService"/> decides the rest.
/// </summary>
public static class ClassificationEndpoints
{
    public const long SmallBody = 256 * 1024;

    public static IEndpointRouteBuilder MapClassificationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapScanApiGroup("Classification");

        group.MapGet("/classificationrules", ListClassificationRules).WithName("ListClassificationRules").WithSummary("The custom classification rules.");
        group.MapGet("/classificationrules/{classificationRuleName}", GetClassificationRule).WithName("GetClassificationRule").WithSummary("One custom classification rule.");
        group.MapPut("/classificationrules/{classificationRuleName}", PutClassificationRule).WithName("PutClassificationRule").WithSummary("Creates (201) or updates (200) a custom classification rule: data and column patterns, minimum match.").WithBodyLimit(SmallBody);
        group.MapDelete("/classificationrules/{classificationRuleName}", DeleteClassificationRule).WithName("DeleteClassificationRule").WithSummary("Deletes a custom classification rule no rule set includes (409 otherwise).");

        group.MapGet("/scanrulesets", ListScanRulesets).WithName("ListScanRulesets").WithSummary("The custom scan rule sets.");
        group.MapGet("/scanrulesets/{scanRulesetName}", GetScanRuleset).WithName("GetScanRuleset").WithSummary("One custom scan rule set.");
        group.MapPut("/scanrulesets/{scanRulesetName}", PutScanRuleset).WithName("PutScanRuleset").WithSummary("Creates (201) or updates (200) a custom scan rule set: file types and classifications.").WithBodyLimit(SmallBody);
        group.MapDelete("/scanrulesets/{scanRulesetName}", DeleteScanRuleset).WithName("DeleteScanRuleset").WithSummary("Deletes a custom scan rule set no scan uses (409 otherwise).");

        group.MapGet("/systemScanRulesets", ListSystemScanRulesets).WithName("ListSystemScanRulesets").WithSummary("The built-in scan rule sets, one per source kind.");
        group.MapGet("/systemScanRulesets/datasources/{dataSourceType}", GetSystemScanRuleset).WithName("GetSystemScanRuleset").WithSummary("The built-in scan rule set of a source kind.");
        return routes;
    }

    public static async Task<Ok<ListResponse<ClassificationRuleResponse>>> ListClassificationRules(ClassificationRuleService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of((await service.ListRulesAsync(cancellationToken)).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase), ClassificationRuleResponse.From));

    public static async Task<Results<Ok<ClassificationRuleResponse>, ProblemHttpResult>> GetClassificationRule(string classificationRuleName, ClassificationRuleService service, CancellationToken cancellationToken) =>
        ApiResults.Ok(await service.GetRuleAsync(classificationRuleName, cancellationToken), ClassificationRuleResponse.From);

    public static async Task<Results<Created<ClassificationRuleResponse>, Ok<ClassificationRuleResponse>, ProblemHttpResult>> PutClassificationRule(
        string classificationRuleName, ClassificationRuleRequest body, HttpContext http, ClassificationRuleService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ApiResults.NameMismatch(body.Name, classificationRuleName) is { } mismatch)
        {
            return mismatch;
        }

        if (body.Properties is null)
        {
            return ApiResults.Validation("properties", "properties is required: {\"classificationName\", \"minimumPercentageMatch\", \"dataPatterns\": [{\"kind\": \"Regex\", \"pattern\"}], \"columnPatterns\": [...]}.");
        }

        var p = body.Properties;
        var input = new ClassificationRuleInput(body.Kind, p.ClassificationName, p.Description, p.RuleStatus, p.MinimumPercentageMatch,
            p.DataPatterns?.Select(x => x is null ? null! : new PatternInput(x.Kind, x.Pattern)).ToList(), p.ColumnPatterns?.Select(x => x is null ? null! : new PatternInput(x.Kind, x.Pattern)).ToList());
        var result = await service.PutRuleAsync(http.GetCaller(), classificationRuleName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => ClassificationRuleResponse.From(r.Rule), r => $"/scan/classificationrules/{Uri.EscapeDataString(r.Rule.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteClassificationRule(string classificationRuleName, HttpContext http, ClassificationRuleService service, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await service.DeleteRuleAsync(http.GetCaller(), classificationRuleName, cancellationToken));

    public static async Task<Ok<ListResponse<ScanRulesetResponse>>> ListScanRulesets(ClassificationRuleService service, CancellationToken cancellationToken) =>
        TypedResults.Ok(ListResponse.Of((await service.ListRulesetsAsync(cancellationToken)).OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase), ScanRulesetResponse.From));

    public static async Task<Results<Ok<ScanRulesetResponse>, ProblemHttpResult>> GetScanRuleset(string scanRulesetName, ClassificationRuleService service, CancellationToken cancellationToken) =>
        ApiResults.Ok(await service.GetRulesetAsync(scanRulesetName, cancellationToken), ScanRulesetResponse.From);

    public static async Task<Results<Created<ScanRulesetResponse>, Ok<ScanRulesetResponse>, ProblemHttpResult>> PutScanRuleset(
        string scanRulesetName, ScanRulesetRequest body, HttpContext http, ClassificationRuleService service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ApiResults.NameMismatch(body.Name, scanRulesetName) is { } mismatch)
        {
            return mismatch;
        }

        var p = body.Properties;
        var customs = p?.ScanningRule?.CustomFileExtensions?.Select(c => c is null ? null! : new CustomFileExtension(c.FileExtension!, c.CustomFileType?.BuiltInType, c.CustomFileType?.CustomDelimiter, c.Enabled, c.Description)).ToList();
        var input = new ScanRulesetInput(body.Kind, body.ScanRulesetType, p?.Description, p?.ExcludedSystemClassifications, p?.IncludedCustomClassificationRuleNames,
            p?.ScanningRule?.FileExtensions, customs);
        var result = await service.PutRulesetAsync(http.GetCaller(), scanRulesetName, input, cancellationToken);
        return ApiResults.Put(result, r => r.Created, r => ScanRulesetResponse.From(r.Ruleset), r => $"/scan/scanrulesets/{Uri.EscapeDataString(r.Ruleset.Name)}");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteScanRuleset(string scanRulesetName, HttpContext http, ClassificationRuleService service, CancellationToken cancellationToken) =>
        ApiResults.Deleted(await service.DeleteRulesetAsync(http.GetCaller(), scanRulesetName, cancellationToken));

    public static Ok<ListResponse<ScanRulesetResponse>> ListSystemScanRulesets() =>
        TypedResults.Ok(ListResponse.Of(ClassificationRuleService.SystemRulesets, ScanRulesetResponse.From));

    public static Results<Ok<ScanRulesetResponse>, ProblemHttpResult> GetSystemScanRuleset(string dataSourceType) =>
        ApiResults.Ok(ClassificationRuleService.GetSystemRuleset(dataSourceType), ScanRulesetResponse.From);
}
