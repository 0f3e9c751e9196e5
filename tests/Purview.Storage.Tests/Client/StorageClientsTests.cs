using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Data.Tables;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client;

/// <summary>
/// The one factory of SDK clients (<see cref="StorageClients"/>) with each kind of account credential, reaching Azurite,
/// and every failure surfacing through <see cref="StorageErrors"/> as a <see cref="StorageException"/>.
/// </summary>
public sealed class StorageClientsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly StorageClientOptions Options = new();

    private StorageAccount SasAccount(AccountSasPermissions permissions)
    {
        var sas = new AccountSasBuilder(permissions, DateTimeOffset.UtcNow.AddHours(1), AccountSasServices.All, AccountSasResourceTypes.All)
        {
            Protocol = SasProtocol.HttpsAndHttp,
        }.ToSasQueryParameters(new StorageSharedKeyCredential(StorageAccount.DevelopmentAccountName, StorageAccount.DevelopmentAccountKey));
        var account = azurite.Account;
        return StorageAccount.Parse(
            $"SharedAccessSignature={sas};TableEndpoint={account.TableEndpoint};BlobEndpoint={account.BlobEndpoint};QueueEndpoint={account.QueueEndpoint}");
    }

    private static async Task RoundTripAsync(StorageAccount account)
    {
        var table = new EntityTable(StorageClients.Tables(account, Options), UniqueName.Table());
        Assert.True(await table.CreateIfNotExistsAsync());
        try
        {
            var etag = await table.AddEntityAsync(new TableEntity("p", "r") { ["Auth"] = account.AuthenticationKind });
            var read = await table.GetEntityAsync("p", "r");
            Assert.Equal(account.AuthenticationKind, read.GetString("Auth"));
            Assert.Equal(etag, read.ETag);
        }
        finally
        {
            await table.DeleteIfExistsAsync();
        }

        var container = StorageClients.Blobs(account, Options).GetBlobContainerClient(UniqueName.Container());
        await StorageErrors.Run(ct => container.CreateAsync(cancellationToken: ct), default);
        try
        {
            var blob = container.GetBlobClient("dir/ünï.txt");
            await StorageErrors.Run(ct => blob.UploadAsync(BinaryData.FromString("hello " + account.AuthenticationKind), ct), default);
            var content = (await StorageErrors.Run(ct => blob.DownloadContentAsync(ct), default)).Value;
            Assert.Equal("hello " + account.AuthenticationKind, content.Content.ToString());
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }

        var queue = StorageClients.Queues(account, Options).GetQueueClient(UniqueName.Queue());
        await StorageErrors.Run(ct => queue.CreateAsync(cancellationToken: ct), default);
        try
        {
            await StorageErrors.Run(ct => queue.SendMessageAsync("m-" + account.AuthenticationKind, ct), default);
            var message = Assert.Single((await StorageErrors.Run(ct => queue.ReceiveMessagesAsync(1, cancellationToken: ct), default)).Value);
            Assert.Equal("m-" + account.AuthenticationKind, message.MessageText);
        }
        finally
        {
            await queue.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task A_connection_string_account_reaches_tables_blobs_and_queues_with_its_shared_key()
    {
        var account = StorageAccount.Parse(azurite.ConnectionString);
        Assert.Equal("SharedKey", account.AuthenticationKind);

        await RoundTripAsync(account);
    }

    [Fact]
    public async Task A_sas_token_account_reaches_tables_blobs_and_queues_without_a_key()
    {
        var account = SasAccount(AccountSasPermissions.All);
        Assert.Equal("Sas", account.AuthenticationKind);
        Assert.False(account.HasSharedKey);

        await RoundTripAsync(account);
    }

    [Fact]
    public async Task A_read_only_sas_token_account_reads_but_its_writes_fail_with_403()
    {
        await using var seeded = await Tables.TempTable.CreateAsync(azurite);
        await seeded.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var readOnly = new EntityTable(StorageClients.Tables(SasAccount(AccountSasPermissions.Read | AccountSasPermissions.List), Options), seeded.Name);

        Assert.Equal(1, (await readOnly.GetEntityAsync("p", "r")).GetInt32("V"));
        var ex = await Assert.ThrowsAsync<StorageException>(() => readOnly.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }));

        Assert.Equal(403, ex.Status);
        Assert.False(string.IsNullOrEmpty(ex.ErrorCode));
        Assert.Equal(1, (await seeded.Client.GetEntityAsync("p", "r")).GetInt32("V"));
    }

    [Fact]
    public async Task Table_failures_carry_the_status_the_storage_error_code_the_message_and_the_request_id()
    {
        await using var table = await Tables.TempTable.CreateAsync(azurite);
        await table.Client.AddEntityAsync(new TableEntity("p", "r"));

        var ex = await Assert.ThrowsAsync<StorageException>(() => table.Client.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(ex.ServiceMessage));
        Assert.DoesNotContain('\n', ex.ServiceMessage!);
        Assert.False(string.IsNullOrEmpty(ex.RequestId));
        Assert.Null(ex.FailedOperationIndex);
        Assert.StartsWith("Storage request failed: 409 EntityAlreadyExists: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.RequestId!, ex.Message, StringComparison.Ordinal);
        Assert.Equal(409, Assert.IsType<RequestFailedException>(ex.InnerException).Status);
    }

    [Fact]
    public async Task Blob_and_queue_failures_through_StorageErrors_carry_the_storage_error_code()
    {
        var blobs = StorageClients.Blobs(azurite.Account, Options);
        var container = blobs.GetBlobContainerClient(UniqueName.Container());
        var missingContainer = await Assert.ThrowsAsync<StorageException>(() =>
            StorageErrors.Run(ct => container.GetBlobClient("x").DownloadContentAsync(ct), default));
        Assert.Equal((404, "ContainerNotFound"), (missingContainer.Status, missingContainer.ErrorCode));

        await container.CreateAsync();
        try
        {
            var blob = container.GetBlobClient("a.txt");
            var missing = await Assert.ThrowsAsync<StorageException>(() => StorageErrors.Run(ct => blob.DownloadContentAsync(ct), default));
            Assert.Equal((404, "BlobNotFound"), (missing.Status, missing.ErrorCode));
            Assert.True(missing.IsNotFound);
            Assert.False(string.IsNullOrEmpty(missing.RequestId));

            var first = (await blob.UploadAsync(BinaryData.FromString("one"))).Value.ETag;
            var exists = await Assert.ThrowsAsync<StorageException>(() => StorageErrors.Run(ct => blob.UploadAsync(BinaryData.FromString("two"), ct), default));
            Assert.Equal((409, "BlobAlreadyExists"), (exists.Status, exists.ErrorCode));

            await blob.UploadAsync(BinaryData.FromString("three"), overwrite: true);
            var stale = await Assert.ThrowsAsync<StorageException>(() => StorageErrors.Run(ct => blob.UploadAsync(BinaryData.FromString("four"),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = first } }, ct), default));
            Assert.Equal((412, "ConditionNotMet"), (stale.Status, stale.ErrorCode));
            Assert.True(stale.IsPreconditionFailed);
            Assert.Equal("three", (await blob.DownloadContentAsync()).Value.Content.ToString());
        }
        finally
        {
            await container.DeleteIfExistsAsync();
        }

        var queue = StorageClients.Queues(azurite.Account, Options).GetQueueClient(UniqueName.Queue());
        var noQueue = await Assert.ThrowsAsync<StorageException>(() => StorageErrors.Run(ct => queue.SendMessageAsync("m", ct), default));
        Assert.Equal((404, "QueueNotFound"), (noQueue.Status, noQueue.ErrorCode));
    }

    [Fact]
    public async Task Nothing_listening_is_a_TransportError_with_status_0_after_the_configured_attempts()
    {
        var account = Unreachable();
        var once = new EntityTable(StorageClients.Tables(account, NoRetries()), "anytable");

        var ex = await Assert.ThrowsAsync<StorageException>(() => once.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(0, ex.Status);
        Assert.Equal("TransportError", ex.ErrorCode);
        Assert.Null(ex.RequestId);

        // With retries, Azure.Core gathers every attempt's failure: still one TransportError, saying how many attempts.
        var retrying = new StorageClientOptions();
        retrying.Retry.MaxRetries = 2;
        retrying.Retry.Delay = TimeSpan.FromMilliseconds(10);
        retrying.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
        var blob = StorageClients.Blobs(account, retrying).GetBlobContainerClient("any").GetBlobClient("x");
        var retried = await Assert.ThrowsAsync<StorageException>(() => StorageErrors.Run(ct => blob.DownloadContentAsync(ct), default));
        Assert.Equal((0, "TransportError"), (retried.Status, retried.ErrorCode));
        Assert.Contains("after 3 attempts", retried.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_a_Timeout_but_the_callers_own_cancellation_stays_a_cancellation()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var options = NoRetries();
        options.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(500);
        var table = new EntityTable(StorageClients.Tables(Unreachable(port), options), "anytable");

        var timeout = await Assert.ThrowsAsync<StorageException>(() => table.GetEntityOrDefaultAsync("p", "r"));
        Assert.Equal((0, "Timeout"), (timeout.Status, timeout.ErrorCode));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var patient = NoRetries();
        patient.Retry.NetworkTimeout = TimeSpan.FromMinutes(1);
        var waiting = new EntityTable(StorageClients.Tables(Unreachable(port), patient), "anytable");
        var canceled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.GetEntityOrDefaultAsync("p", "r", cancellationToken: cancel.Token));
        Assert.Equal(cancel.Token, canceled.CancellationToken);
    }

    private static StorageClientOptions NoRetries()
    {
        var options = new StorageClientOptions();
        options.Retry.MaxRetries = 0;
        return options;
    }

    /// <summary>An account at <paramref name="port"/>, or at a loopback port nothing listens on.</summary>
    private static StorageAccount Unreachable(int? port = null)
    {
        if (port is null)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }

        var name = StorageAccount.DevelopmentAccountName;
        return StorageAccount.Parse($"AccountName={name};AccountKey={StorageAccount.DevelopmentAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{port}/{name};QueueEndpoint=http://127.0.0.1:{port}/{name};TableEndpoint=http://127.0.0.1:{port}/{name}");
    }
}
