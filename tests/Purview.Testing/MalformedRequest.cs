using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Purview.Testing;

/// <summary>
/// One case of a hostile-input corpus: a request (as <see cref="Who"/>, "anonymous" for none) and the 4xx it must get,
/// with the field the problem must name, if any.
/// </summary>
public sealed record MalformedRequest(string Method, string Path, string? Body, int Status, string? Field = null, string Who = "admin", string ContentType = "application/json")
{
    public override string ToString() => $"{Who} {Method} {Path} {(Body is { Length: > 50 } ? Body[..50] + "..." : Body)} -> {Status}";

    /// <summary>
    /// Sends the request and asserts an RFC 7807 answer: the expected status (never a 5xx), <c>application/problem+json</c>,
    /// a title, and the named field under <c>errors</c>. Returns the body for further checks.
    /// </summary>
    public async Task<JsonDocument> SendAndAssertProblemAsync(TestHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var client = host.Client(Who == "anonymous" ? null : Who);
        using var request = new HttpRequestMessage(new HttpMethod(Method), Path);
        if (Body is not null)
        {
            request.Content = new StringContent(Body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == Status, $"{this}: got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text);
        Assert.Equal(Status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        if (Field is not null)
        {
            Assert.True(problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(Field, out _), $"{this}: the problem does not name '{Field}': {text}");
        }

        return problem;
    }
}
