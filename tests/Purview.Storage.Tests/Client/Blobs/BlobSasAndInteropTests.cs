using System.Net;
using System.Text.Json;
using System.Web;
using Purview.Storage.Client;
using Purview.Storage.Client.Blobs;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Blobs;

/// <summary>Read SAS links and byte-for-byte agreement with the official JavaScript client (@azure/storage-blob).</summary>
public sealed class BlobSasAndInteropTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync()
    {
        _container = new BlobServiceClient(azurite.Account).GetContainerClient(UniqueName.Container("sas"));
        await _container.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    [Fact]
    public async Task A_read_sas_url_downloads_the_blob_with_a_plain_http_client()
    {
        var bytes = GeneratedContent.Bytes(100_000, seed: 21);
        var blob = _container.GetBlobClient("shared/report 1.bin");
        await blob.UploadAsync(new BinaryData(bytes));

        var sas = blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(10));
        using var http = new HttpClient();
        using var response = await http.GetAsync(sas);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        var query = HttpUtility.ParseQueryString(sas.Query);
        Assert.Equal(("b", "r", "https,http", BlobClient.SasVersion), (query["sr"], query["sp"], query["spr"], query["sv"]));
    }

    [Fact]
    public async Task A_read_sas_url_does_not_allow_writing()
    {
        var blob = _container.GetBlobClient("read-only");
        await blob.UploadAsync("keep me");

        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(10))) { Content = new StringContent("overwritten") };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var response = await http.SendAsync(put);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("keep me", (await blob.DownloadContentAsync()).ToString());
    }

    [Fact]
    public async Task An_expired_sas_is_refused_with_403()
    {
        var blob = _container.GetBlobClient("expired");
        await blob.UploadAsync("secret");

        using var http = new HttpClient();
        using var response = await http.GetAsync(blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(-10)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_official_js_client_downloads_through_our_sas_url()
    {
        var blob = _container.GetBlobClient("for-js.bin");
        await blob.UploadAsync(GeneratedContent.NonSeekable(300_000, seed: 5), new BlobUploadOptions { BlockSize = 64 * 1024 });

        var hash = await NodeScript.RunAsync("""
            const { BlobClient } = require('@azure/storage-blob');
            const crypto = require('crypto');
            (async () => {
              const buffer = await new BlobClient(process.env.SAS_URL).downloadToBuffer();
              process.stdout.write(crypto.createHash('sha256').update(buffer).digest('hex'));
            })().catch(e => { console.error(e); process.exit(1); });
            """, new Dictionary<string, string> { ["SAS_URL"] = blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddMinutes(10)).AbsoluteUri });

        Assert.Equal(GeneratedContent.Sha256(300_000, seed: 5), hash.ToUpperInvariant());
    }

    [Fact]
    public async Task Our_signature_equals_the_js_clients_for_the_same_inputs()
    {
        var expires = new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var ours = HttpUtility.ParseQueryString(_container.GetBlobClient("dir/a b+c.txt").GenerateReadSasUri(expires).Query);

        var theirs = await NodeScript.RunAsync("""
            const { generateBlobSASQueryParameters, BlobSASPermissions, StorageSharedKeyCredential, SASProtocol } = require('@azure/storage-blob');
            const q = generateBlobSASQueryParameters({
              containerName: process.env.CONTAINER, blobName: 'dir/a b+c.txt', permissions: BlobSASPermissions.parse('r'),
              expiresOn: new Date('2031-05-06T07:08:09Z'), protocol: SASProtocol.HttpsAndHttp, version: process.env.SV,
            }, new StorageSharedKeyCredential(process.env.ACCOUNT, process.env.KEY));
            process.stdout.write(q.signature);
            """, new Dictionary<string, string>
        {
            ["CONTAINER"] = _container.Name,
            ["SV"] = BlobClient.SasVersion,
            ["ACCOUNT"] = StorageAccount.DevelopmentAccountName,
            ["KEY"] = StorageAccount.DevelopmentAccountKey,
        });

        Assert.Equal(theirs, ours["sig"]);
    }

    [Fact]
    public void An_account_without_a_key_cannot_sign_a_sas()
    {
        var sasOnly = StorageAccount.Parse($"BlobEndpoint=http://127.0.0.1:{azurite.Azurite.BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;SharedAccessSignature=sv=2022-11-02&sig=abc");
        var blob = new BlobServiceClient(sasOnly).GetContainerClient("any").GetBlobClient("x");

        var ex = Assert.Throws<InvalidOperationException>(() => blob.GenerateReadSasUri(DateTimeOffset.UtcNow.AddHours(1)));

        Assert.Contains("account key", ex.Message, StringComparison.Ordinal);
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
        await using var download = await blob.DownloadStreamingAsync();

        Assert.Equal(js.RootElement.GetProperty("sha").GetString(), (await GeneratedContent.Sha256Async(download.Content)).ToLowerInvariant());
        Assert.Equal(js.RootElement.GetProperty("size").GetInt64(), download.Details.Size);
        Assert.Equal(js.RootElement.GetProperty("etag").GetString(), download.Details.ETag.ToString("H"));
        Assert.Equal("application/x-purview", download.Details.ContentType);
        Assert.Equal("js", download.Details.Metadata["origin"]);
        Assert.Equal(new[] { "from-js/data.bin" }, (await _container.ListBlobsAsync("from-js/").ToListAsync()).Select(b => b.Name));
    }

    [Fact]
    public async Task A_blob_uploaded_by_ours_reads_back_identically_with_the_js_client()
    {
        var blob = _container.GetBlobClient("from-dotnet/ünï code.bin");
        var uploaded = await blob.UploadAsync(GeneratedContent.NonSeekable(2_500_000, seed: 13), new BlobUploadOptions
        {
            BlockSize = 1024 * 1024,
            ContentType = "application/x-dotnet",
            Metadata = new Dictionary<string, string> { ["origin"] = "dotnet" },
        });

        var output = await NodeScript.RunAsync("""
            const { BlobServiceClient } = require('@azure/storage-blob');
            const crypto = require('crypto');
            (async () => {
              const blob = BlobServiceClient.fromConnectionString(process.env.CONN).getContainerClient(process.env.CONTAINER).getBlobClient(process.env.BLOB);
              const data = await blob.downloadToBuffer();
              const p = await blob.getProperties();
              process.stdout.write(JSON.stringify({ sha: crypto.createHash('sha256').update(data).digest('hex'), etag: p.etag, type: p.contentType, origin: p.metadata.origin }));
            })().catch(e => { console.error(e); process.exit(1); });
            """, new Dictionary<string, string> { ["CONN"] = azurite.ConnectionString, ["CONTAINER"] = _container.Name, ["BLOB"] = blob.Name });
        using var js = JsonDocument.Parse(output);

        Assert.Equal(GeneratedContent.Sha256(2_500_000, seed: 13).ToLowerInvariant(), js.RootElement.GetProperty("sha").GetString());
        Assert.Equal(uploaded.ETag.ToString("H"), js.RootElement.GetProperty("etag").GetString());
        Assert.Equal("application/x-dotnet", js.RootElement.GetProperty("type").GetString());
        Assert.Equal("dotnet", js.RootElement.GetProperty("origin").GetString());
    }
}
