using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Purview.Core.Common;

namespace Purview.Api.Http;

/// <summary>The one place where expected failures become HTTP: status per kind, RFC 7807 body (or the Purview shape, see <see cref="PurviewErrorWriter"/>).</summary>
public static class ApiResults
{
    public const string ProblemTypeBase = "https://purview-monitor.dev/problems/";

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        ErrorKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        ErrorKind.Gone => StatusCodes.Status410Gone,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult Problem(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = StatusOf(error.Kind);
        return TypedResults.Problem(
            detail: error.Message,
            statusCode: status,
            title: TitleOf(status),
            type: ProblemTypeBase + error.Code,
            extensions: Extensions(error.Code, error.Fields));
    }

    public static ProblemHttpResult Validation(string field, string message) => Problem(Error.Validation(field, message));

    /// <summary>A DELETE's answer: 204 without a body, as the Scanning API declares, or the problem.</summary>
    public static Results<NoContent, ProblemHttpResult> Deleted<T>(Result<T> result) =>
        result.IsSuccess ? TypedResults.NoContent() : Problem(result.Error!);

    public static Dictionary<string, object?> Extensions(string code, IReadOnlyList<ValidationError> fields)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (fields.Count > 0)
        {
            extensions["errors"] = fields
                .GroupBy(f => f.Field, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(f => f.Message).ToArray(), StringComparer.Ordinal);
        }

        return extensions;
    }

    public static string TitleOf(int status) => status switch
    {
        400 => "The request is invalid.",
        401 => "Authentication is required.",
        403 => "The caller lacks the role this needs.",
        404 => "Not found.",
        405 => "Method not allowed.",
        409 => "Conflict.",
        410 => "Gone.",
        412 => "The resource changed.",
        413 => "The request body is too large.",
        415 => "Unsupported media type.",
        429 => "Too many requests.",
        503 => "A dependency is unavailable.",
        _ => "The request failed.",
    };
}
