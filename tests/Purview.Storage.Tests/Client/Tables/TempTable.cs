using Purview.Storage.Client.Tables;
using Purview.Testing;

namespace Purview.Storage.Tests.Client.Tables;

/// <summary>A freshly created table with a unique name, deleted when the test ends.</summary>
internal sealed class TempTable : IAsyncDisposable
{
    private TempTable(TableServiceClient service, TableClient client)
    {
        Service = service;
        Client = client;
    }

    public TableServiceClient Service { get; }

    public TableClient Client { get; }

    public string Name => Client.Name;

    public static async Task<TempTable> CreateAsync(AzuriteFixture azurite)
    {
        var service = new TableServiceClient(azurite.Account);
        var client = service.GetTableClient(UniqueName.Table());
        await client.CreateAsync();
        return new TempTable(service, client);
    }

    public async ValueTask DisposeAsync() => await Client.DeleteIfExistsAsync();
}
