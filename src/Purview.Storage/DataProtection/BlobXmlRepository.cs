using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Purview.Storage.DataProtection;

/// <summary>
/// The ASP.NET Core Data Protection key ring in blob storage (one blob per key, in the <c>dataprotection</c> container
/// of the layout), so that every instance of the app encrypts and decrypts credentials with the same keys. Written
/// over the Blob SDK here because Azure.Extensions.AspNetCore.DataProtection.Blobs is not on the NuGet feed we restore from.
/// <see cref="IXmlRepository"/> is synchronous; Data Protection calls it rarely (start-up, key rotation, unknown key)
/// and caches the ring, so blocking on the async client here is acceptable.
/// </summary>
public sealed class BlobXmlRepository(StorageLayout layout) : IXmlRepository, IStorageUser
{
    private readonly BlobContainerClient _container = layout.Container("dataprotection");

    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(GetAllElementsAsync).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        Task.Run(() => StoreElementAsync(element, friendlyName)).GetAwaiter().GetResult();
    }

    private async Task<IReadOnlyCollection<XElement>> GetAllElementsAsync()
    {
        var elements = new List<XElement>();
        try
        {
            await StorageErrors.Run(async ct =>
            {
                await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "keys/", ct))
                {
                    var content = (await _container.GetBlobClient(item.Name).DownloadContentAsync(ct)).Value.Content;
                    elements.Add(XElement.Parse(content.ToString()));
                }
            }, CancellationToken.None);
        }
        catch (StorageException ex) when (ex.IsNotFound)
        {
            // No container yet: no keys yet.
        }

        return elements;
    }

    private async Task StoreElementAsync(XElement element, string friendlyName)
    {
        var name = "keys/" + (string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName) + ".xml";
        var blob = _container.GetBlobClient(name);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/xml" },
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
        };
        var content = BinaryData.FromString(element.ToString(SaveOptions.DisableFormatting));
        try
        {
            await StorageErrors.Run(ct => blob.UploadAsync(content, options, ct), CancellationToken.None);
        }
        catch (StorageException ex) when (ex.IsNotFound)
        {
            await StorageErrors.Run(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct), CancellationToken.None);
            await StorageErrors.Run(ct => blob.UploadAsync(content, options, ct), CancellationToken.None);
        }
    }
}
