using System.Globalization;
using System.Xml;
using Azure;

namespace Purview.Storage.Client.Blobs;

/// <summary>
/// Forward-only reader of the List Blobs response (EnumerationResults): one pass, no DOM, so a 5,000-entry page
/// costs only the items it yields.
/// </summary>
internal static class BlobListParser
{
    private static readonly XmlReaderSettings Settings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static async Task<BlobPage> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        var items = new List<BlobItem>();
        string? nextMarker = null;
        using var reader = XmlReader.Create(body, Settings);
        await reader.ReadAsync();
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "Blob":
                        cancellationToken.ThrowIfCancellationRequested();
                        items.Add(await ReadBlobAsync(reader));
                        continue;
                    case "NextMarker":
                        nextMarker = await reader.ReadElementContentAsStringAsync();
                        continue;
                    case "BlobPrefix":
                        // Only present with a delimiter, which we never send; skip rather than misread its Name.
                        await reader.SkipAsync();
                        continue;
                }
            }

            await reader.ReadAsync();
        }

        return new BlobPage(items, string.IsNullOrEmpty(nextMarker) ? null : nextMarker);
    }

    /// <summary>Reads one &lt;Blob&gt; element and leaves the reader on the node after it.</summary>
    private static async Task<BlobItem> ReadBlobAsync(XmlReader reader)
    {
        string? name = null;
        long size = 0;
        DateTimeOffset lastModified = default;
        DateTimeOffset? created = null;
        ETag etag = default;
        string? contentType = null;
        string? md5 = null;

        if (reader.IsEmptyElement)
        {
            await reader.ReadAsync();
            throw new XmlException("A <Blob> element in the listing is empty.");
        }

        var depth = reader.Depth;
        await reader.ReadAsync();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                switch (reader.LocalName)
                {
                    case "Name":
                        // Names with characters XML cannot carry come percent-encoded and flagged.
                        var encoded = string.Equals(reader.GetAttribute("Encoded"), "true", StringComparison.OrdinalIgnoreCase);
                        var raw = await reader.ReadElementContentAsStringAsync();
                        name = encoded ? Uri.UnescapeDataString(raw) : raw;
                        continue;
                    case "Content-Length":
                        size = long.Parse(await reader.ReadElementContentAsStringAsync(), NumberStyles.None, CultureInfo.InvariantCulture);
                        continue;
                    case "Last-Modified":
                        lastModified = ResponseHeaders.ParseDate(await reader.ReadElementContentAsStringAsync()) ?? default;
                        continue;
                    case "Creation-Time":
                        created = ResponseHeaders.ParseDate(await reader.ReadElementContentAsStringAsync());
                        continue;
                    case "Etag":
                        etag = new ETag(await reader.ReadElementContentAsStringAsync());
                        continue;
                    case "Content-Type":
                        contentType = NullIfEmpty(await reader.ReadElementContentAsStringAsync());
                        continue;
                    case "Content-MD5":
                        md5 = NullIfEmpty(await reader.ReadElementContentAsStringAsync());
                        continue;
                    case "Metadata" or "Tags" or "OrMetadata":
                        await reader.SkipAsync();
                        continue;
                }
            }

            await reader.ReadAsync();
        }

        await reader.ReadAsync(); // past </Blob>
        return new BlobItem(name ?? throw new XmlException("A <Blob> element in the listing has no <Name>."), size, lastModified, etag, contentType, md5, created);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
