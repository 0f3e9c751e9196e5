using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Purview.Storage.Client;
using Purview.Storage.Client.Blobs;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Blobs;

public sealed class BlobClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync()
    {
        _container = new BlobServiceClient(azurite.Account).GetContainerClient(UniqueName.Container("blob"));
        Assert.True(await _container.CreateIfNotExistsAsync());
    }

    public async Task DisposeAsync() => await _container.DeleteIfExistsAsync();

    [Fact]
    public async Task A_small_text_blob_round_trips_with_its_content_type()
    {
        var blob = _container.GetBlobClient("notes/hello world é.txt");
        var uploaded = await blob.UploadAsync("Hello, <blob> & ünïcode ✓");

        var content = await blob.DownloadContentAsync();
        var properties = await blob.GetPropertiesAsync();

        Assert.Equal("Hello, <blob> & ünïcode ✓", content.ToString());
        Assert.Equal("text/plain; charset=utf-8", properties.ContentType);
        Assert.Equal(uploaded.ETag, properties.ETag);
        Assert.Equal(Encoding.UTF8.GetByteCount("Hello, <blob> & ünïcode ✓"), properties.Size);
    }

    [Fact]
    public async Task A_20_MiB_non_seekable_stream_goes_up_in_1_MiB_blocks_and_streams_back_identical()
    {
        var blob = _container.GetBlobClient("big/non-seekable.bin");
        await using (var source = GeneratedContent.NonSeekable(20 * MiB, seed: 7))
        {
            await blob.UploadAsync(source, new BlobUploadOptions { BlockSize = MiB, ContentType = "application/octet-stream" });
        }

        await using var download = await blob.DownloadStreamingAsync();
        Assert.False(download.Content.CanSeek);
        Assert.Equal(20 * MiB, download.Details.Size);
        Assert.Equal(GeneratedContent.Sha256(20 * MiB, seed: 7), await GeneratedContent.Sha256Async(download.Content));
        Assert.Equal(20, (await CommittedBlockSizesAsync(blob)).Count);
    }

    [Fact]
    public async Task A_seekable_stream_above_the_threshold_is_sent_in_blocks_from_its_current_position()
    {
        var bytes = GeneratedContent.Bytes(3 * MiB + 123, seed: 11);
        using var source = new MemoryStream(bytes);
        source.Position = 123;
        var blob = _container.GetBlobClient("seekable.bin");

        await blob.UploadAsync(source, new BlobUploadOptions { BlockSize = MiB, SingleShotThreshold = 2 * MiB });

        Assert.Equal(bytes[123..], (await blob.DownloadContentAsync()).ToArray());
        Assert.Equal(new long[] { MiB, MiB, MiB }, await CommittedBlockSizesAsync(blob));
    }

    [Fact]
    public async Task A_seekable_stream_under_the_threshold_is_one_put_blob_and_the_callers_stream_stays_open()
    {
        var bytes = GeneratedContent.Bytes(MiB, seed: 3);
        using var source = new MemoryStream(bytes);
        var blob = _container.GetBlobClient("single.bin");

        await blob.UploadAsync(source);

        Assert.True(source.CanRead);
        Assert.Equal(bytes, (await blob.DownloadContentAsync()).ToArray());
        Assert.Empty(await CommittedBlockSizesAsync(blob));
    }

    [Fact]
    public async Task An_empty_stream_makes_an_empty_blob()
    {
        var blob = _container.GetBlobClient("empty");
        await blob.UploadAsync(GeneratedContent.NonSeekable(0, seed: 1));

        Assert.Equal(0, (await blob.GetPropertiesAsync()).Size);
        Assert.Empty((await blob.DownloadContentAsync()).ToArray());
    }

    [Theory]
    [InlineData(100)]
    [InlineData(3 * MiB)]
    public async Task Uploading_without_overwrite_to_an_existing_blob_is_a_409_BlobAlreadyExists_and_keeps_the_old_content(int size)
    {
        var blob = _container.GetBlobClient("once");
        await blob.UploadAsync("original");

        var ex = await Assert.ThrowsAsync<StorageException>(() =>
            blob.UploadAsync(GeneratedContent.NonSeekable(size, seed: 5), new BlobUploadOptions { Overwrite = false, BlockSize = MiB }));

        Assert.Equal(409, ex.Status);
        Assert.Equal("BlobAlreadyExists", ex.ErrorCode);
        Assert.Equal("original", (await blob.DownloadContentAsync()).ToString());
    }

    [Fact]
    public async Task Uploading_without_overwrite_to_a_new_blob_succeeds()
    {
        var blob = _container.GetBlobClient("fresh");
        await blob.UploadAsync("first", new BlobUploadOptions { Overwrite = false });
        Assert.Equal("first", (await blob.DownloadContentAsync()).ToString());
    }

    [Fact]
    public async Task Uploading_with_a_stale_if_match_is_a_412()
    {
        var blob = _container.GetBlobClient("guarded");
        var first = await blob.UploadAsync("v1");
        await blob.UploadAsync("v2", new BlobUploadOptions { IfMatch = first.ETag });

        var ex = await Assert.ThrowsAsync<StorageException>(() => blob.UploadAsync("v3", new BlobUploadOptions { IfMatch = first.ETag }));

        Assert.Equal(412, ex.Status);
        Assert.Equal("ConditionNotMet", ex.ErrorCode);
        Assert.Equal("v2", (await blob.DownloadContentAsync()).ToString());
    }

    [Fact]
    public async Task Reading_a_missing_blob_is_a_404_BlobNotFound()
    {
        var blob = _container.GetBlobClient("missing");

        var download = await Assert.ThrowsAsync<StorageException>(() => blob.DownloadStreamingAsync());
        var properties = await Assert.ThrowsAsync<StorageException>(() => blob.GetPropertiesAsync());

        Assert.Equal((404, "BlobNotFound"), (download.Status, download.ErrorCode));
        Assert.Equal((404, "BlobNotFound"), (properties.Status, properties.ErrorCode));
        Assert.False(await blob.ExistsAsync());
        Assert.False(await blob.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task Operations_on_a_missing_container_are_404_ContainerNotFound()
    {
        var missing = new BlobServiceClient(azurite.Account).GetContainerClient(UniqueName.Container("gone"));

        var upload = await Assert.ThrowsAsync<StorageException>(() => missing.GetBlobClient("x").UploadAsync("x"));
        var list = await Assert.ThrowsAsync<StorageException>(() => missing.ListBlobsPageAsync());
        var delete = await Assert.ThrowsAsync<StorageException>(() => missing.DeleteAsync());

        Assert.Equal((404, "ContainerNotFound"), (upload.Status, upload.ErrorCode));
        Assert.Equal((404, "ContainerNotFound"), (list.Status, list.ErrorCode));
        Assert.Equal((404, "ContainerNotFound"), (delete.Status, delete.ErrorCode));
        Assert.False(await missing.ExistsAsync());
        Assert.False(await missing.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task Container_lifecycle_reports_whether_each_call_changed_anything()
    {
        var container = new BlobServiceClient(azurite.Account).GetContainerClient(UniqueName.Container("life"));

        Assert.False(await container.ExistsAsync());
        Assert.True(await container.CreateIfNotExistsAsync());
        Assert.False(await container.CreateIfNotExistsAsync());
        Assert.True(await container.ExistsAsync());
        Assert.Equal("ContainerAlreadyExists", (await Assert.ThrowsAsync<StorageException>(() => container.CreateAsync())).ErrorCode);
        Assert.True(await container.DeleteIfExistsAsync());
        Assert.False(await container.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task Listing_by_prefix_follows_markers_across_2500_blobs_and_returns_each_exactly_once()
    {
        var expected = Enumerable.Range(0, 2500).Select(i => $"run/{i:D5}.json").ToList();
        var others = Enumerable.Range(0, 30).Select(i => $"runs-other/{i}.json").Append("ru").ToList();
        await Parallel.ForEachAsync(expected.Concat(others), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, ct) =>
            await _container.GetBlobClient(name).UploadAsync(name, new BlobUploadOptions { ContentType = "application/json" }, ct));

        var pageSizes = new List<int>();
        var paged = new List<BlobItem>();
        string? marker = null;
        do
        {
            var page = await _container.ListBlobsPageAsync("run/", marker, maxResults: 1000);
            pageSizes.Add(page.Items.Count);
            paged.AddRange(page.Items);
            marker = page.NextMarker;
        }
        while (marker is not null);

        var streamed = await _container.ListBlobsAsync("run/").ToListAsync();

        Assert.Equal(new[] { 1000, 1000, 500 }, pageSizes);
        Assert.Equal(expected, paged.Select(b => b.Name));
        Assert.Equal(expected, streamed.Select(b => b.Name));
        var item = streamed.Single(b => b.Name == "run/00042.json");
        Assert.Equal("run/00042.json".Length, item.Size);
        Assert.Equal("application/json", item.ContentType);
        Assert.NotEqual(default, item.ETag);
        Assert.True(item.LastModified > DateTimeOffset.UtcNow.AddHours(-1));
        Assert.Equal(2500 + others.Count, await _container.ListBlobsAsync().CountAsync());
    }

    [Fact]
    public async Task Properties_carry_size_content_type_metadata_and_times()
    {
        var blob = _container.GetBlobClient("with-metadata.json");
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        var uploaded = await blob.UploadAsync(BinaryData.FromString("{\"a\":1}"), new BlobUploadOptions
        {
            ContentType = "application/json",
            Metadata = new Dictionary<string, string> { ["source"] = "purview", ["runId"] = "42" },
        });

        var properties = await blob.GetPropertiesAsync();

        Assert.Equal(7, properties.Size);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(uploaded.ETag, properties.ETag);
        Assert.Equal(uploaded.LastModified, properties.LastModified);
        Assert.NotNull(properties.CreatedOn);
        Assert.True(properties.CreatedOn > before);
        Assert.Equal("purview", properties.Metadata["source"]);
        Assert.Equal("42", properties.Metadata["RUNID"]);
        Assert.Equal(2, properties.Metadata.Count);
    }

    [Fact]
    public async Task A_range_download_returns_just_those_bytes()
    {
        var bytes = GeneratedContent.Bytes(10_000, seed: 9);
        var blob = _container.GetBlobClient("ranged");
        await blob.UploadAsync(new BinaryData(bytes));

        var range = await blob.DownloadRangeAsync(1000, 500);

        Assert.Equal(bytes[1000..1500], range.ToArray());
    }

    [Fact]
    public async Task Delete_removes_the_blob_and_a_stale_etag_protects_a_newer_version()
    {
        var blob = _container.GetBlobClient("doomed");
        var first = await blob.UploadAsync("v1");
        await blob.UploadAsync("v2");

        var stale = await Assert.ThrowsAsync<StorageException>(() => blob.DeleteAsync(first.ETag));
        Assert.Equal(412, stale.Status);
        Assert.True(await blob.ExistsAsync());

        await blob.DeleteAsync();
        Assert.False(await blob.ExistsAsync());
        Assert.Equal("BlobNotFound", (await Assert.ThrowsAsync<StorageException>(() => blob.DeleteAsync())).ErrorCode);
    }

    [Fact]
    public async Task Open_read_streams_the_body_and_disposing_early_releases_it()
    {
        var blob = _container.GetBlobClient("partial-read");
        await blob.UploadAsync(GeneratedContent.NonSeekable(5 * MiB, seed: 2), new BlobUploadOptions { BlockSize = MiB });

        var head = new byte[1024];
        await using (var stream = await blob.OpenReadAsync())
        {
            await stream.ReadExactlyAsync(head);
        }

        Assert.Equal(GeneratedContent.Bytes(1024, seed: 2), head);
        // The connection went back to the pool in a usable state: the next request on the client works.
        Assert.Equal(5 * MiB, (await blob.GetPropertiesAsync()).Size);
    }

    [Fact]
    public async Task A_short_non_seekable_stream_is_sent_in_one_put_blob()
    {
        var blob = _container.GetBlobClient("short-pipe.bin");
        await blob.UploadAsync(GeneratedContent.NonSeekable(300_000, seed: 4), new BlobUploadOptions { BlockSize = MiB });

        Assert.Equal(GeneratedContent.Bytes(300_000, seed: 4), (await blob.DownloadContentAsync()).ToArray());
        Assert.Empty(await CommittedBlockSizesAsync(blob));
    }

    [Fact]
    public async Task A_source_stream_failing_midway_fails_the_upload_and_commits_nothing()
    {
        var blob = _container.GetBlobClient("broken-source.bin");
        await using var source = new FailingStream(GeneratedContent.NonSeekable(10 * MiB, seed: 6), failAfter: 5 * MiB / 2);

        var ex = await Assert.ThrowsAsync<IOException>(() => blob.UploadAsync(source, new BlobUploadOptions { BlockSize = MiB }));

        Assert.Equal("source broke", ex.Message);
        Assert.False(await blob.ExistsAsync());
    }

    [Fact]
    public async Task A_cancelled_upload_stops_with_OperationCanceledException_and_commits_nothing()
    {
        var blob = _container.GetBlobClient("cancelled.bin");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            blob.UploadAsync(GeneratedContent.NonSeekable(3 * MiB, seed: 6), new BlobUploadOptions { BlockSize = MiB }, cts.Token));

        Assert.False(await blob.ExistsAsync());
    }

    [Theory]
    [InlineData("ab", "3 to 63")]
    [InlineData("Upper", "lowercase")]
    [InlineData("has_underscore", "lowercase")]
    [InlineData("-leading", "start and end")]
    [InlineData("double--dash", "consecutive dashes")]
    public void Invalid_container_names_are_refused_naming_the_rule(string name, string rule)
    {
        var ex = Assert.Throws<ArgumentException>(() => new BlobServiceClient(azurite.Account).GetContainerClient(name));
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Get Block List through the raw pipeline: proves which upload path was taken.</summary>
    private async Task<List<long>> CommittedBlockSizesAsync(BlobClient blob)
    {
        var pipeline = StoragePipeline.Create(azurite.Account, StorageService.Blob);
        using var message = pipeline.CreateMessage(RequestMethod.Get, new Uri(blob.Uri.AbsoluteUri + "?comp=blocklist&blocklisttype=committed"));
        var response = await pipeline.SendAsync(message, default);
        return XDocument.Parse(response.Content.ToString()).Descendants("Block").Select(b => long.Parse(b.Element("Size")!.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Passes reads through until <c>failAfter</c> bytes, then throws, like a dropped upstream connection.</summary>
    private sealed class FailingStream(Stream inner, long failAfter) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("source broke");
            }

            var n = inner.Read(buffer, offset, (int)Math.Min(count, failAfter - _read));
            _read += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
