using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Web;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Purview.Storage.Client;
using Purview.Storage.Connectors;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Blobs;

/// <summary>
/// Admin-log read links as <see cref="BlobAdminLogStore"/> makes them (the SDK's SAS over the layout's shared key),
/// and byte-for-byte agreement between blobs written through the SDK clients <see cref="StorageClients"/> makes and
/// the official JavaScript client (@azure/storage-blob).
/// </summary>
public sealed class BlobSasAndInteropTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 22);
    private StorageLayout _layout = null!;
    private BlobAdminLogStore _store = null!;
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync()
    {
        _layout = new StorageLayout(azurite.Account, new StorageClientOptions(), NullLoggerFactory.Instance, "s" + Guid.NewGuid().ToString("N")[..8]);
        _store = new BlobAdminLogStore(_layout, TimeProvider.System);
        _container = _layout.Container("admin-logs");
        await _container.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    private async Task<byte[]> WriteLogAsync(string connectorId, int length, uint seed)
    {
        var bytes = GeneratedContent.Bytes(length, seed);
        await _store.WriteAsync(connectorId, Day, GeneratedContent.NonSeekable(length, seed), DateTimeOffset.UtcNow, 0, default);
        return bytes;
    }

    [Fact]
    public async Task An_admin_log_read_link_downloads_the_log_with_a_plain_http_client()
    {
        var bytes = await WriteLogAsync("Connector-One", 100_000, seed: 21);
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);

        var link = await _store.GetReadUrlAsync("Connector-One", Day, expires, default);

        Assert.NotNull(link);
        using var http = new HttpClient();
        using var response = await http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal($"/{StorageAccount.DevelopmentAccountName}/{_container.Name}/connector-one/2026-11-22.csv", link.AbsolutePath);
        var query = HttpUtility.ParseQueryString(link.Query);
        // Read only, one blob, no start time (valid at once even with clock skew), the expiry to the second.
        Assert.Equal(("b", "r", null), (query["sr"], query["sp"], query["st"]));
        Assert.Equal(expires.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), query["se"]);
    }

    [Fact]
    public async Task An_admin_log_read_link_does_not_allow_writing_or_reading_another_log()
    {
        await WriteLogAsync("keep", 1_000, seed: 3);
        await WriteLogAsync("other", 1_000, seed: 4);
        var link = (await _store.GetReadUrlAsync("keep", Day, DateTimeOffset.UtcNow.AddMinutes(10), default))!;

        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, link) { Content = new StringContent("overwritten") };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var write = await http.SendAsync(put);
        using var other = await http.GetAsync(new Uri(link.AbsoluteUri.Replace("/keep/", "/other/", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        var (content, length) = (await _store.OpenAsync("keep", Day, default))!.Value;
        await using (content)
        {
            Assert.Equal(1_000, length);
            Assert.Equal(GeneratedContent.Sha256(1_000, seed: 3), await GeneratedContent.Sha256Async(content));
        }
    }

    [Fact]
    public async Task An_expired_read_link_is_refused_with_403()
    {
        await WriteLogAsync("expired", 1_000, seed: 9);

        var link = await _store.GetReadUrlAsync("expired", Day, DateTimeOffset.UtcNow.AddMinutes(-5), default);

        using var http = new HttpClient();
        using var response = await http.GetAsync(link);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_account_with_neither_a_key_nor_an_identity_gives_no_read_link()
    {
        // A SAS-token account can read and write but not sign; without Entra ID there is no user delegation either.
        var sas = _layout.Blobs.GenerateAccountSasUri(Azure.Storage.Sas.AccountSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1),
            Azure.Storage.Sas.AccountSasResourceTypes.All);
        var account = StorageAccount.Parse(
            $"SharedAccessSignature={sas.Query.TrimStart('?')};BlobEndpoint={azurite.Account.BlobEndpoint};" +
            $"QueueEndpoint={azurite.Account.QueueEndpoint};TableEndpoint={azurite.Account.TableEndpoint}");
        var layout = new StorageLayout(account, new StorageClientOptions(), NullLoggerFactory.Instance, _layout.Prefix);
        var store = new BlobAdminLogStore(layout, TimeProvider.System);
        await WriteLogAsync("sasonly", 500, seed: 2);

        Assert.True(await store.ExistsAsync("sasonly", Day, default));
        Assert.Null(await store.GetReadUrlAsync("sasonly", Day, DateTimeOffset.UtcNow.AddMinutes(10), default));
    }

    [Fact]
    public async Task The_official_js_client_downloads_an_admin_log_through_its_read_link()
    {
        await WriteLogAsync("for-js", 300_000, seed: 5);
        var link = (await _store.GetReadUrlAsync("for-js", Day, DateTimeOffset.UtcNow.AddMinutes(10), default))!;

        var hash = await NodeScript.RunAsync("""
            const { BlobClient } = require('@azure/storage-blob');
            const crypto = require('crypto');
            (async () => {
              const buffer = await new BlobClient(process.env.SAS_URL).downloadToBuffer();
              process.stdout.write(crypto.createHash('sha256').update(buffer).digest('hex'));
            })().catch(e => { console.error(e); process.exit(1); });
            """, new Dictionary<string, string> { ["SAS_URL"] = link.AbsoluteUri });

        Assert.Equal(GeneratedContent.Sha256(300_000, seed: 5), hash.ToUpperInvariant());
    }

    [Fact]
    public async Task A_blob_uploaded_by_the_js_client_reads_back_identically_with_ours()
    {
        var output = await NodeScript.RunAsync("""
            const { BlobServiceClient } = require('@azure/storage-blob');
            const crypto = require('crypto');
            (async () => {
              const container = BlobServiceClient.fromConnectionString(process.env.CONN).getContainerClient(process.env.CONTAINER);
              const data = Buffer.alloc(1500000);
              for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) % 251;
              const blob = container.getBlockBlobClient('from-js/data.bin');
              await blob.uploadData(data, { blockSize: 512 * 1024, maxSingleShotSize: 512 * 1024,
                blobHTTPHeaders: { blobContentType: 'application/x-purview' }, metadata: { origin: 'js' } });
              const p = await blob.getProperties();
              process.stdout.write(JSON.stringify({ sha: crypto.createHash('sha256').update(data).digest('hex'), etag: p.etag, size: p.contentLength }));
            })().catch(e => { console.error(e); process.exit(1); });
            """, new Dictionary<string, string> { ["CONN"] = azurite.ConnectionString, ["CONTAINER"] = _container.Name });
        using var js = JsonDocument.Parse(output);

        var blob = _container.GetBlobClient("from-js/data.bin");
        var download = (await StorageErrors.Run(ct => blob.DownloadStreamingAsync(cancellationToken: ct), default)).Value;
        await using var content = download.Content;

        Assert.Equal(js.RootElement.GetProperty("sha").GetString(), (await GeneratedContent.Sha256Async(content)).ToLowerInvariant());
        Assert.Equal(js.RootElement.GetProperty("size").GetInt64(), download.Details.ContentLength);
        Assert.Equal(js.RootElement.GetProperty("etag").GetString(), download.Details.ETag.ToString("H"));
        Assert.Equal("application/x-purview", download.Details.ContentType);
        Assert.Equal("js", download.Details.Metadata["origin"]);
        var listed = new List<string>();
        await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "from-js/", default))
        {
            listed.Add(item.Name);
        }

        Assert.Equal(["from-js/data.bin"], listed);
    }

    [Fact]
    public async Task A_blob_uploaded_by_ours_in_blocks_reads_back_identically_with_the_js_client()
    {
        var blob = _container.GetBlobClient("from-dotnet/ünï code.bin");
        var uploaded = (await blob.UploadAsync(GeneratedContent.NonSeekable(2_500_000, seed: 13), new BlobUploadOptions
        {
            TransferOptions = new StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024 },
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-dotnet" },
            Metadata = new Dictionary<string, string> { ["origin"] = "dotnet" },
        })).Value;

        var output = await NodeScript.RunAsync("""
            const { BlobServiceClient } = require('@azure/storage-blob');
            const crypto = require('crypto');
            (async () => {
              const blob = BlobServiceClient.fromConnectionString(process.env.CONN).getContainerClient(process.env.CONTAINER).getBlobClient(process.env.BLOB);
              const data = await blob.downloadToBuffer();
              const p = await blob.getProperties();
              const blocks = await blob.getBlockBlobClient().getBlockList('committed');
              process.stdout.write(JSON.stringify({ sha: crypto.createHash('sha256').update(data).digest('hex'), etag: p.etag, type: p.contentType,
                origin: p.metadata.origin, blocks: blocks.committedBlocks.length }));
            })().catch(e => { console.error(e); process.exit(1); });
            """, new Dictionary<string, string> { ["CONN"] = azurite.ConnectionString, ["CONTAINER"] = _container.Name, ["BLOB"] = blob.Name });
        using var js = JsonDocument.Parse(output);

        Assert.Equal(GeneratedContent.Sha256(2_500_000, seed: 13).ToLowerInvariant(), js.RootElement.GetProperty("sha").GetString());
        Assert.Equal(uploaded.ETag.ToString("H"), js.RootElement.GetProperty("etag").GetString());
        Assert.Equal("application/x-dotnet", js.RootElement.GetProperty("type").GetString());
        Assert.Equal("dotnet", js.RootElement.GetProperty("origin").GetString());
        Assert.Equal(3, js.RootElement.GetProperty("blocks").GetInt32());
    }
}
