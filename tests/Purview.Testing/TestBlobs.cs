using Azure.Storage.Blobs;
using Purview.Storage.Client;

namespace Purview.Testing;

/// <summary>Blob containers of a test account, reached with the app's own client factory (the official SDK).</summary>
public static class TestBlobs
{
    public static BlobContainerClient Container(StorageAccount account, string name) =>
        StorageClients.Blobs(account, new StorageClientOptions()).GetBlobContainerClient(name);
}
