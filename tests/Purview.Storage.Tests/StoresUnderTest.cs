using Microsoft.Extensions.Logging.Abstractions;
using Purview.Storage.Client;
using Purview.Testing;

namespace Purview.Storage.Tests;

/// <summary>Stores built over Azurite the way a host builds them, with the tables and containers they asked for created.</summary>
internal static class StoresUnderTest
{
    /// <summary>
    /// A store over the storage of <paramref name="prefix"/>, and its layout. Each call is another process as far as the
    /// store knows (no shared memory), so two calls on one prefix are two hosts on the same storage.
    /// </summary>
    public static async Task<(T Store, StorageLayout Layout)> CreateAsync<T>(AzuriteFixture azurite, string prefix, Func<StorageLayout, T> create)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        ArgumentNullException.ThrowIfNull(create);
        var layout = new StorageLayout(azurite.Account, new StorageClientOptions(), NullLoggerFactory.Instance, prefix);
        var store = create(layout);
        foreach (var table in layout.TableNames)
        {
            await layout.Tables.CreateTableIfNotExistsAsync(table);
        }

        foreach (var container in layout.ContainerNames)
        {
            await layout.Blobs.GetBlobContainerClient(container).CreateIfNotExistsAsync();
        }

        return (store, layout);
    }
}
