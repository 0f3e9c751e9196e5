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
}
