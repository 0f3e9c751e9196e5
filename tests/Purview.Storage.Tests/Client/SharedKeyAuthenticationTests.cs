using System.Text;
using Azure.Core;
using Purview.Storage.Client;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client;

public sealed class SharedKeyAuthenticationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Signed_requests_are_accepted_by_each_service()
    {
        var table = StoragePipeline.Create(azurite.Account, StorageService.Table);
        var name = UniqueName.Table();
        using var create = table.CreateMessage(RequestMethod.Post, new Uri(table.Endpoint, "Tables"));
        create.Request.Headers.SetValue("Content-Type", "application/json");
        create.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
        create.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes($"{{\"TableName\":\"{name}\"}}"));
        var created = await table.SendAsync(create, default);
        Assert.Equal(201, created.Status);

        var queue = StoragePipeline.Create(azurite.Account, StorageService.Queue);
        using var q = queue.CreateMessage(RequestMethod.Put, new Uri(queue.Endpoint, UniqueName.Queue()));
        Assert.Equal(201, (await queue.SendAsync(q, default)).Status);

        var blob = StoragePipeline.Create(azurite.Account, StorageService.Blob);
        using var c = blob.CreateMessage(RequestMethod.Put, new Uri(blob.Endpoint, UniqueName.Container() + "?restype=container"));
        Assert.Equal(201, (await blob.SendAsync(c, default)).Status);
    }

    [Fact]
    public async Task A_wrong_key_is_a_403_with_the_storage_error_code()
    {
        var wrong = StorageAccount.Parse(azurite.ConnectionString.Replace(StorageAccount.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal));
        var table = StoragePipeline.Create(wrong, StorageService.Table);
        using var query = table.CreateMessage(RequestMethod.Get, new Uri(table.Endpoint, "Tables"));
        query.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
        var ex = await Assert.ThrowsAsync<StorageException>(async () => await table.SendAsync(query, default));
        Assert.Equal(403, ex.Status);
        Assert.Equal("AuthorizationFailure", ex.ErrorCode);
        Assert.NotNull(ex.RequestId);
    }
}
