using System.Globalization;
using Azure;
using Azure.Core;

namespace Purview.Storage.Client;

/// <summary>Typed reads of Blob/Queue response headers and XML values (dates are RFC 1123, as the service sends them).</summary>
internal static class ResponseHeaders
{
    public static string? Get(this Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value : null;

    public static DateTimeOffset? GetDate(this Response response, string name) =>
        ParseDate(response.Get(name));

    public static ETag GetETag(this Response response) =>
        response.Headers.TryGetValue("ETag", out var etag) ? new ETag(etag) : default;

    public static DateTimeOffset? ParseDate(string? value) =>
        string.IsNullOrEmpty(value) ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset RequiredDate(this Response response, string name) =>
        response.GetDate(name) ?? throw new StorageException(response.Status, "MissingHeader", response.Get("x-ms-request-id"), $"The response has no {name} header.");

    public static void SetOptional(this RequestHeaders headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.SetValue(name, value);
        }
    }
}
