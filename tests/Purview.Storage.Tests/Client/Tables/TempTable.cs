using Azure.Data.Tables;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>An <see cref="EntityTable"/> over a freshly created table with a unique name, deleted when the test ends.</summary>
internal sealed class TempTable : IAsyncDisposable
{
    private TempTable(TableServiceClient service, EntityTable client)
    {
        Service = service;
        Client = client;
    }

    /// <summary>The SDK service client, made the way the app makes it.</summary>
    public TableServiceClient Service { get; }

    public EntityTable Client { get; }

    public string Name => Client.Name;

    /// <summary>The service client for <paramref name="azurite"/>'s account, as <see cref="StorageLayout"/> makes it.</summary>
    public static TableServiceClient ServiceFor(AzuriteFixture azurite) => StorageClients.Tables(azurite.Account, new StorageClientOptions());

    /// <summary>An adapter over a table that was never created: a request sent would fail with 404.</summary>
    public static EntityTable Missing(AzuriteFixture azurite) => new(ServiceFor(azurite), UniqueName.Table());

    public static async Task<TempTable> CreateAsync(AzuriteFixture azurite)
    {
        var service = ServiceFor(azurite);
        var client = new EntityTable(service, UniqueName.Table());
        await client.CreateIfNotExistsAsync();
        return new TempTable(service, client);
    }

    public async ValueTask DisposeAsync() => await Client.DeleteIfExistsAsync();
}
