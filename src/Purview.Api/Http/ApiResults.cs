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

    /// <summary>A read's answer (or an update's that never creates): 200 with the value in its wire shape, or the problem.</summary>
    public static Results<Ok<TResponse>, ProblemHttpResult> Ok<T, TResponse>(Result<T> result, Func<T, TResponse> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return result.IsSuccess ? TypedResults.Ok(map(result.Value!)) : Problem(result.Error!);
    }

    /// <summary>A read's answer whose value already is its wire shape.</summary>
    public static Results<Ok<T>, ProblemHttpResult> Ok<T>(Result<T> result) => Ok(result, value => value);

    /// <summary>
    /// A create-or-replace PUT's answer: 201 with the new resource's path in Location when <paramref name="created"/>
    /// says the call created it, 200 when it replaced one, or the problem.
    /// </summary>
    public static Results<Created<TResponse>, Ok<TResponse>, ProblemHttpResult> Put<T, TResponse>(
        Result<T> result, Func<T, bool> created, Func<T, TResponse> map, Func<T, string> location)
    {
        ArgumentNullException.ThrowIfNull(created);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(location);
        if (!result.IsSuccess)
        {
            return Problem(result.Error!);
        }

        var value = result.Value!;
        return created(value) ? TypedResults.Created(location(value), map(value)) : TypedResults.Ok(map(value));
    }

    /// <summary>The 400 for a body whose <c>name</c> differs from the name in the URL (null when it agrees or is absent).</summary>
    public static ProblemHttpResult? NameMismatch(string? bodyName, string routeName) =>
        bodyName is not null && !string.Equals(bodyName, routeName, StringComparison.OrdinalIgnoreCase)
            ? Validation("name", $"The body names '{bodyName}' but the URL names '{routeName}'.")
            : null;

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
