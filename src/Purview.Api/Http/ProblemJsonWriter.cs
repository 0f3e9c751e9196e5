using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Purview.Api.Http;

/// <summary>
/// Writes RFC 7807 problem details whatever the request's Accept header says (the framework's default writer
/// stays silent for clients that do not accept JSON, which would leave an error without a body).
/// </summary>
public sealed class ProblemJsonWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        problem.Title ??= ApiResults.TitleOf(problem.Status.Value);
        problem.Type ??= $"https://tools.ietf.org/html/rfc9110#status-{problem.Status}";
        problem.Instance ??= http.Request.Path;
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        http.Response.ContentType = "application/problem+json; charset=utf-8";
        await JsonSerializer.SerializeAsync<ProblemDetails>(http.Response.Body, problem, JsonSerializerOptions.Web, http.RequestAborted);
    }
}
