using System.Globalization;
using System.Xml.Linq;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace Purview.Storage.Client.Blobs;

/// <summary>
/// Entry point to an account's Blob service. Holds the one pipeline (auth, retries, logging) that every container
/// and blob client made from it shares, so create it once and keep it.
/// </summary>
public sealed class BlobServiceClient
{
    private readonly StoragePipeline _pipeline;

    public BlobServiceClient(StorageAccount account, StorageClientOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        _pipeline = StoragePipeline.Create(account, StorageService.Blob, options, logger);
    }

    public StorageAccount Account => _pipeline.Account;

    public Uri Uri => _pipeline.Endpoint;

    /// <summary>A client for the named container (no request is made; the name is validated).</summary>
    public BlobContainerClient GetContainerClient(string containerName) => new(_pipeline, containerName);

    /// <summary>One page of the account's container names, in name order; a null marker in the result means the last page.</summary>
    public async Task<(IReadOnlyList<string> Names, string? NextMarker)> ListContainersPageAsync(string? marker = null, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        var query = "?comp=list";
        if (!string.IsNullOrEmpty(marker))
        {
            query += "&marker=" + Uri.EscapeDataString(marker);
        }

        if (maxResults is { } max)
        {
            query += "&maxresults=" + max.ToString(CultureInfo.InvariantCulture);
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(Uri.AbsoluteUri.TrimEnd('/') + "/" + query));
        var response = await _pipeline.SendAsync(message, cancellationToken);
        var doc = XDocument.Parse(response.Content.ToString());
        var names = doc.Descendants("Container").Select(c => (string?)c.Element("Name")).OfType<string>().ToList();
        var next = (string?)doc.Root?.Element("NextMarker");
        return (names, string.IsNullOrEmpty(next) ? null : next);
    }

    /// <summary>Every container name of the account.</summary>
    public async Task<IReadOnlyList<string>> ListContainerNamesAsync(CancellationToken cancellationToken = default)
    {
        var all = new List<string>();
        string? marker = null;
        do
        {
            var (names, next) = await ListContainersPageAsync(marker, null, cancellationToken);
            all.AddRange(names);
            marker = next;
        }
        while (marker is not null);

        return all;
    }
}
