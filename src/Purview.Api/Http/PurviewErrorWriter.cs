using System.Text.Json;

namespace Purview.Api.Http;

/// <summary>
/// The Purview-compatible routes answer errors in their spec's shape so existing Purview clients parse them: the
/// Scanning API (<c>/scan/...</c>) its <c>ErrorResponseModel</c>, <c>{"error": {code, message, target, details}}</c>;
/// the Data Map (<c>/datamap/...</c>) Atlas's <c>AtlasErrorResponse</c>, <c>{requestId, errorCode, errorMessage}</c>.
/// Every other route answers RFC 7807 problem details. All are produced from the same ProblemDetails.
/// </summary>
public sealed class PurviewErrorWriter : IProblemDetailsWriter
{
    public static bool IsDataMapRoute(PathString path) => path.StartsWithSegments("/datamap", StringComparison.OrdinalIgnoreCase);

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
        var details = new List<ScanErrorDetail>();
        string? target = null;
        if (problem.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> fields)
        {
            foreach (var (field, messages) in fields)
            {
                target ??= field;
                foreach (var text in messages)
                {
                    details.Add(new ScanErrorDetail("InvalidField", text, field));
                }
            }
        }

        response.ContentType = "application/json; charset=utf-8";
        var message = string.IsNullOrEmpty(problem.Detail) ? (string.IsNullOrEmpty(problem.Title) ? ApiResults.TitleOf(problem.Status ?? response.StatusCode) : problem.Title) : problem.Detail;
        if (IsDataMapRoute(context.HttpContext.Request.Path))
        {
            // The Data Map (Atlas) routes' error is AtlasErrorResponse: {requestId, errorCode, errorMessage}; the field
            // in error, when there is one, leads the message ("limit: ...").
            var atlas = new AtlasErrorResponse(context.HttpContext.TraceIdentifier, code, target is null ? message : $"{target}: {message}");
            await JsonSerializer.SerializeAsync(response.Body, atlas, JsonSerializerOptions.Web, context.HttpContext.RequestAborted);
            return;
        }

        var body = new ScanErrorResponse(new ScanError(code, message, target, details));
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

/// <summary>The Scanning API's <c>ErrorResponseModel</c>: what <c>/scan/...</c> routes answer on error.</summary>
public sealed record ScanErrorResponse(ScanError Error);

public sealed record ScanError(string Code, string Message, string? Target, IReadOnlyList<ScanErrorDetail> Details);

/// <summary>One invalid field: <c>code</c> InvalidField, <c>target</c> the field's path.</summary>
public sealed record ScanErrorDetail(string Code, string Message, string? Target);

/// <summary>Atlas's <c>AtlasErrorResponse</c>: what <c>/datamap/...</c> routes answer on error.</summary>
public sealed record AtlasErrorResponse(string RequestId, string ErrorCode, string ErrorMessage);
