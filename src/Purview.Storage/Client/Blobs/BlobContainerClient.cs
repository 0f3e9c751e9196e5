using System.Globalization;
using System.Runtime.CompilerServices;
using Azure.Core;

namespace Purview.Storage.Client.Blobs;

/// <summary>A blob container: create, delete, existence and listing; <see cref="GetBlobClient"/> for its blobs.</summary>
public sealed class BlobContainerClient
{
    private readonly StoragePipeline _pipeline;

    internal BlobContainerClient(StoragePipeline pipeline, string name)
    {
        ResourceNames.ValidateContainerOrQueue(name, "container", nameof(name));
        _pipeline = pipeline;
        Name = name;
        Uri = new Uri(pipeline.Endpoint, name);
    }

    public string Name { get; }

    public Uri Uri { get; }

    public BlobClient GetBlobClient(string blobName) => new(_pipeline, this, blobName);

    /// <summary>Creates the container (private access); throws 409 ContainerAlreadyExists if it exists.</summary>
    public async Task CreateAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, ContainerUri());
        await _pipeline.SendAsync(message, cancellationToken);
    }

    /// <summary>Creates the container unless it exists; true when this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await CreateAsync(cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 409 && ex.ErrorCode == "ContainerAlreadyExists")
        {
            return false;
        }
    }

    /// <summary>Deletes the container and its blobs; throws 404 ContainerNotFound if missing.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, ContainerUri());
        await _pipeline.SendAsync(message, cancellationToken);
    }

    /// <summary>Deletes the container if it exists; true when this call deleted it.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteAsync(cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Head, ContainerUri());
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Every blob whose name starts with <paramref name="prefix"/>, in name order, fetching pages as the caller enumerates.</summary>
    public async IAsyncEnumerable<BlobItem> ListBlobsAsync(string? prefix = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var page = await ListBlobsPageAsync(prefix, marker, null, cancellationToken);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            marker = page.NextMarker;
        }
        while (marker is not null);
    }

    /// <summary>
    /// One page of the listing, starting at <paramref name="marker"/> (null for the first page). The service returns at most
    /// <paramref name="maxResults"/> (default and cap 5,000) and may return fewer even when more remain: only a null
    /// <see cref="BlobPage.NextMarker"/> means the end.
    /// </summary>
    public async Task<BlobPage> ListBlobsPageAsync(string? prefix = null, string? marker = null, int? maxResults = null, CancellationToken cancellationToken = default)
    {
        if (maxResults is < 1 or > 5000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "maxResults must be between 1 and 5000.");
        }

        var query = "?restype=container&comp=list";
        if (!string.IsNullOrEmpty(prefix))
        {
            query += "&prefix=" + Uri.EscapeDataString(prefix);
        }

        if (!string.IsNullOrEmpty(marker))
        {
            query += "&marker=" + Uri.EscapeDataString(marker);
        }

        if (maxResults is { } max)
        {
            query += "&maxresults=" + max.ToString(CultureInfo.InvariantCulture);
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(Uri.AbsoluteUri + query));
        // A page can be thousands of entries: parse it off the wire instead of buffering the body first.
        message.BufferResponse = false;
        var response = await _pipeline.SendAsync(message, cancellationToken);
        await using var body = response.ContentStream ?? Stream.Null;
        return await BlobListParser.ParseAsync(body, cancellationToken);
    }

    private Uri ContainerUri() => new(Uri.AbsoluteUri + "?restype=container");
}
