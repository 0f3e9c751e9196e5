using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Purview.Storage.Client.Blobs;

/// <summary>Service SAS signing for a single blob (the documented string-to-sign for versions 2020-12-06 and later).</summary>
internal static class BlobSas
{
    public const string ReadPermission = "r";
    public const string Protocols = "https,http";

    /// <summary>The query string (without '?') granting read access to one blob.</summary>
    public static string SignReadSas(string accountName, byte[] key, string container, string blobName, DateTimeOffset? startsOn, DateTimeOffset expiresOn)
    {
        var start = startsOn is { } s ? Format(s) : string.Empty;
        var expiry = Format(expiresOn);
        var stringToSign = string.Join('\n',
            ReadPermission,
            start,
            expiry,
            $"/blob/{accountName}/{container}/{blobName}", // canonicalized resource: the unescaped name
            string.Empty, // signed identifier (stored access policy)
            string.Empty, // signed IP
            Protocols,
            BlobClient.SasVersion,
            "b", // signed resource: blob
            string.Empty, // snapshot time
            string.Empty, // encryption scope
            string.Empty, // rscc
            string.Empty, // rscd
            string.Empty, // rsce
            string.Empty, // rscl
            string.Empty); // rsct
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

        var query = new StringBuilder(256);
        query.Append("sv=").Append(BlobClient.SasVersion);
        if (start.Length > 0)
        {
            query.Append("&st=").Append(Uri.EscapeDataString(start));
        }

        query.Append("&se=").Append(Uri.EscapeDataString(expiry))
             .Append("&sr=b&sp=r")
             .Append("&spr=").Append(Uri.EscapeDataString(Protocols))
             .Append("&sig=").Append(Uri.EscapeDataString(signature));
        return query.ToString();
    }

    /// <summary>ISO 8601 UTC to the second, the form the service compares against.</summary>
    private static string Format(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
