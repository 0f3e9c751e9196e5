using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Purview.Api.Http;

/// <summary>
/// The Purview-compatible routes (<c>/scan/...</c>, <c>/datamap/...</c>) answer errors in the Purview
/// <c>ErrorResponseModel</c> shape, <c>{"error": {code, message, target, details}}</c>, so existing Purview clients
/// parse them; every other route answers RFC 7807 problem details. Both are produced from the same ProblemDetails.
/// </summary>
public sealed class PurviewErrorWriter : IProblemDetailsWriter
{
    public static bool IsPurviewRoute(PathString path) =>
        path.StartsWithSegments("/scan", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/datamap", StringComparison.OrdinalIgnoreCase);

    public bool CanWrite(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return IsPurviewRoute(context.HttpContext.Request.Path);
    }

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        var response = context.HttpContext.Response;
        var code = problem.Extensions.TryGetValue("code", out var c) && c is string s ? s : CodeOf(problem.Status ?? response.StatusCode);
        var details = new List<object>();
        string? target = null;
        if (problem.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields)
        {
            foreach (var (field, messages) in fields)
            {
                target ??= field;
                foreach (var message in messages)
                {
                    details.Add(new { code = "InvalidField", message, target = field });
                }
            }
        }

        response.ContentType = "application/json; charset=utf-8";
        var body = new { error = new { code, message = string.IsNullOrEmpty(problem.Detail) ? (string.IsNullOrEmpty(problem.Title) ? ApiResults.TitleOf(problem.Status ?? response.StatusCode) : problem.Title) : problem.Detail, target, details } };
        await JsonSerializer.SerializeAsync(response.Body, body, JsonSerializerOptions.Web, context.HttpContext.RequestAborted);
    }

    private static string CodeOf(int status) => status switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        409 => "Conflict",
        413 => "PayloadTooLarge",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        _ => "Error",
    };
}
