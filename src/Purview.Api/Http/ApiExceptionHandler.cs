using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Purview.Core.Common;
using Purview.Storage.Client;

namespace Purview.Api.Http;

/// <summary>
/// Turns what the framework throws on bad input (unreadable JSON, wrong types, unknown fields, missing required
/// fields, unbindable parameters, bodies over the limit) into 4xx problems naming the field, and storage outages
/// into 503. Anything else is a bug: logged with its stack and answered 500 without internals.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var (status, code, detail, fields) = Classify(exception);
        if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }
        else if (status == 503)
        {
            logger.LogWarning("Storage unavailable on {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = ApiResults.TitleOf(status),
                Detail = detail,
                Type = ApiResults.ProblemTypeBase + code,
                Extensions = ApiResults.Extensions(code, fields),
            },
        });
    }

    /// <summary>The problem for an exception thrown while reading a request, for hosts without this middleware (the Functions app).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult ProblemFor(Exception exception)
    {
        var (status, code, detail, fields) = Classify(exception);
        return TypedResults.Problem(detail: detail, statusCode: status, title: ApiResults.TitleOf(status), type: ApiResults.ProblemTypeBase + code, extensions: ApiResults.Extensions(code, fields));
    }

    internal static (int Status, string Code, string Detail, IReadOnlyList<ValidationError> Fields) Classify(Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return (413, "PayloadTooLarge", "The request body is larger than this route accepts.", []);
            case BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status415UnsupportedMediaType:
                return (415, "UnsupportedMediaType", "Send the body as application/json.", []);
            case BadHttpRequestException { InnerException: JsonException json }:
                return FromJson(json);
            case JsonException json:
                return FromJson(json);
            case BadHttpRequestException bad:
                return FromBinding(bad);
            case System.Text.DecoderFallbackException:
            case InvalidOperationException { InnerException: System.Text.DecoderFallbackException }:
                // System.Text.Json checks a string's UTF-8 only when the string is read, after parsing succeeded.
                return (400, "InvalidEncoding", "The body is not valid UTF-8.", []);
            case StorageException storage when storage.Status is 0 or >= 500:
                return (503, "StorageUnavailable", "Storage did not answer; retry shortly.", []);
            default:
                return (500, "InternalError", "An unexpected error occurred; it has been logged.", []);
        }
    }

    private static (int, string, string, IReadOnlyList<ValidationError>) FromJson(JsonException json)
    {
        var message = json.Message;
        if (UnmappedProperty().Match(message) is { Success: true } unmapped)
        {
            // The reader's path may already end at the unknown property ("$.properties.bar"), or stop at its parent.
            var name = unmapped.Groups[1].Value;
            var at = FieldOf(json.Path);
            var field = at is not null && (at == name || at.EndsWith("." + name, StringComparison.Ordinal)) ? at : Join(json.Path, name);
            return Invalid(field, $"'{field}' is not a known field.");
        }

        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = missing.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim('\''));
            var fields = names.Select(n => new ValidationError(Join(json.Path, n), $"'{Join(json.Path, n)}' is required.")).ToList();
            return (400, "InvalidInput", fields.Count == 1 ? fields[0].Message : $"{fields.Count} required fields are missing.", fields);
        }

        if (NullNotAllowed().Match(message) is { Success: true } nulls)
        {
            var field = Join(json.Path, nulls.Groups[1].Value);
            return Invalid(field, $"'{field}' may not be null.");
        }

        if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return Invalid("$", "A JSON body is required.");
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return Invalid("$", "The JSON body is nested too deeply.");
        }

        var path = FieldOf(json.Path);
        if (path is null)
        {
            return Invalid("$", "The body is not valid JSON.");
        }

        return Invalid(path, $"'{path}' has the wrong type or format.");
    }

    private static (int, string, string, IReadOnlyList<ValidationError>) FromBinding(BadHttpRequestException bad)
    {
        if (BindFailure().Match(bad.Message) is { Success: true } m)
        {
            var field = m.Groups[1].Value;
            return Invalid(field, $"'{field}' has the wrong type or format ('{Shorten(m.Groups[2].Value)}').");
        }

        if (RequiredParameter().Match(bad.Message) is { Success: true } r)
        {
            return r.Groups[2].Value == "body"
                ? Invalid("$", "A JSON body is required.")
                : Invalid(r.Groups[1].Value, $"'{r.Groups[1].Value}' is required.");
        }

        if (bad.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase) || bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("$", "The body could not be read as JSON.");
        }

        return (bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : 400, "BadRequest", "The request could not be read.", []);
    }

    private static (int, string, string, IReadOnlyList<ValidationError>) Invalid(string field, string message) =>
        (400, "InvalidInput", message, [new ValidationError(field, message)]);

    private static string? FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) ? null : jsonPath == "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    private static string Join(string? jsonPath, string name)
    {
        var parent = FieldOf(jsonPath);
        return parent is null or "$" or "" ? name : $"{parent}.{name}";
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "..." : text;

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("missing required properties,? including: (.+?)\\.?( Path|$)", RegexOptions.CultureInvariant)]
    private static partial Regex MissingRequired();

    [GeneratedRegex("property or field '([^']*)' on type .* doesn't allow", RegexOptions.CultureInvariant)]
    private static partial Regex NullNotAllowed();

    [GeneratedRegex("Failed to bind parameter \"\\S+ ([^\"]+)\" from \"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex BindFailure();

    [GeneratedRegex("Required parameter \"\\S+ ([^\"]+)\" was not provided from (\\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredParameter();
}
