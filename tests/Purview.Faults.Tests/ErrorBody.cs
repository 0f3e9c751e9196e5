using System.Text.Json;

namespace Purview.Faults.Tests;

/// <summary>
/// What a 4xx must carry, in the shape its route family answers: the Scanning API's <c>{"error":{"code","message"}}</c>
/// on <c>/scan</c>, Atlas's <c>{requestId, errorCode, errorMessage}</c> on <c>/datamap</c>, RFC 7807 (status and title,
/// as application/problem+json) everywhere else.
/// </summary>
public static class ErrorBody
{
    public static bool IsValid(HttpResponseMessage response, string text)
    {
        ArgumentNullException.ThrowIfNull(response);
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (Under(path, "/datamap"))
            {
                return root.TryGetProperty("errorCode", out _) && root.TryGetProperty("errorMessage", out _) && root.TryGetProperty("requestId", out _);
            }

            if (Under(path, "/scan"))
            {
                return root.TryGetProperty("error", out var error) && error.TryGetProperty("code", out _) && error.TryGetProperty("message", out _);
            }

            return response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                && root.TryGetProperty("status", out var status) && status.GetInt32() == (int)response.StatusCode && root.TryGetProperty("title", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Under(string path, string prefix) =>
        path.Equals(prefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
}
