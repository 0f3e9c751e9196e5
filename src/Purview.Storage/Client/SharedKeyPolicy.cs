using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Purview.Storage.Client;

/// <summary>
/// Signs each attempt with the account key (the date must be fresh on every retry, so this runs per retry).
/// Table requests use the Table Shared Key scheme; Blob and Queue use the full Shared Key scheme.
/// </summary>
internal sealed class SharedKeyPolicy(string accountName, byte[] key, StorageService service) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        var stringToSign = service == StorageService.Table ? TableStringToSign(request, date) : BlobQueueStringToSign(request);
        // The static HashData avoids allocating (and keying) an HMAC object on every request.
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.SetValue("Authorization", $"SharedKey {accountName}:{signature}");
    }

    private string TableStringToSign(Request request, string date)
    {
        request.Headers.TryGetValue("Content-MD5", out var md5);
        request.Headers.TryGetValue("Content-Type", out var contentType);
        var sb = new StringBuilder(256);
        sb.Append(request.Method.Method).Append('\n')
          .Append(md5).Append('\n')
          .Append(contentType).Append('\n')
          .Append(date).Append('\n')
          .Append('/').Append(accountName).Append(request.Uri.Path);
        var query = request.Uri.Query;
        if (query.Contains("comp=", StringComparison.Ordinal))
        {
            foreach (var pair in query.TrimStart('?').Split('&'))
            {
                if (pair.StartsWith("comp=", StringComparison.Ordinal))
                {
                    sb.Append("?comp=").Append(Uri.UnescapeDataString(pair[5..]));
                }
            }
        }

        return sb.ToString();
    }

    private string BlobQueueStringToSign(Request request)
    {
        string H(string name) => request.Headers.TryGetValue(name, out var v) ? v : string.Empty;
        var length = request.Content is not null && request.Content.TryComputeLength(out var l) && l > 0
            ? l.ToString(CultureInfo.InvariantCulture)
            : string.Empty;
        var sb = new StringBuilder(512);
        sb.Append(request.Method.Method).Append('\n')
          .Append(H("Content-Encoding")).Append('\n')
          .Append(H("Content-Language")).Append('\n')
          .Append(length).Append('\n')
          .Append(H("Content-MD5")).Append('\n')
          .Append(H("Content-Type")).Append('\n')
          .Append('\n') // Date: x-ms-date is used instead.
          .Append(H("If-Modified-Since")).Append('\n')
          .Append(H("If-Match")).Append('\n')
          .Append(H("If-None-Match")).Append('\n')
          .Append(H("If-Unmodified-Since")).Append('\n')
          .Append(H("Range")).Append('\n');

        var msHeaders = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                msHeaders.Add(new(header.Name.ToLowerInvariant(), header.Value.Trim()));
            }
        }

        msHeaders.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in msHeaders)
        {
            sb.Append(name).Append(':').Append(value).Append('\n');
        }

        sb.Append('/').Append(accountName).Append(request.Uri.Path);
        var query = request.Uri.Query;
        if (query.Length > 1)
        {
            var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                if (!parameters.TryGetValue(name, out var values))
                {
                    parameters[name] = values = [];
                }

                values.Add(value);
            }

            foreach (var (name, values) in parameters)
            {
                values.Sort(StringComparer.Ordinal);
                sb.Append('\n').Append(name).Append(':').Append(string.Join(',', values));
            }
        }

        return sb.ToString();
    }
}
