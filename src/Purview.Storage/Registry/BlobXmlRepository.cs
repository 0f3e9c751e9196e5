using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Purview.Storage.Client;
using Purview.Storage.Client.Blobs;

namespace Purview.Storage.Registry;

/// <summary>
/// The ASP.NET Core Data Protection key ring in blob storage (one blob per key, in the <c>dataprotection</c> container
/// of the layout), so that every instance of the app encrypts and decrypts credentials with the same keys. Written
/// over our own blob client because Azure.Extensions.AspNetCore.DataProtection.Blobs cannot be restored here.
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
            await foreach (var item in _container.ListBlobsAsync("keys/"))
            {
                var content = await _container.GetBlobClient(item.Name).DownloadContentAsync();
                elements.Add(XElement.Parse(content.ToString()));
            }
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
        var options = new BlobUploadOptions { ContentType = "application/xml", Overwrite = false };
        try
        {
            await blob.UploadAsync(element.ToString(SaveOptions.DisableFormatting), options);
        }
        catch (StorageException ex) when (ex.IsNotFound)
        {
            await _container.CreateIfNotExistsAsync();
            await blob.UploadAsync(element.ToString(SaveOptions.DisableFormatting), options);
        }
    }
}
