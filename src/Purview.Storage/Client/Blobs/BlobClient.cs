using System.Buffers;
using System.Globalization;
using System.Text;
using Azure;
using Azure.Core;

namespace Purview.Storage.Client.Blobs;

/// <summary>A block blob: streamed upload and download, properties, delete and read-only SAS links.</summary>
public sealed class BlobClient
{
    /// <summary>The service's limit on committed blocks per blob.</summary>
    private const int MaxBlocks = 50_000;

    /// <summary>The SAS version we sign: new enough for the documented 16-field string-to-sign, old enough for every Azurite we pin.</summary>
    internal const string SasVersion = "2022-11-02";

    private readonly StoragePipeline _pipeline;

    internal BlobClient(StoragePipeline pipeline, BlobContainerClient container, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 1024)
        {
            throw new ArgumentException($"A blob name must be 1 to 1024 characters long; it has {name.Length}.", nameof(name));
        }

        _pipeline = pipeline;
        ContainerName = container.Name;
        Name = name;
        Uri = new Uri(container.Uri.AbsoluteUri + "/" + ResourceNames.EscapeBlobName(name));
    }

    public string ContainerName { get; }

    public string Name { get; }

    public Uri Uri { get; }

    /// <summary>
    /// Uploads <paramref name="content"/> from its current position to its end. Seekable content up to
    /// <see cref="BlobUploadOptions.SingleShotThreshold"/> goes in one Put Blob straight from the stream; anything else
    /// (bigger, or non-seekable of unknown length) is read one block at a time and staged with Put Block, at most
    /// <see cref="BlobUploadOptions.MaxConcurrency"/> blocks buffered at once, then committed with Put Block List (if the
    /// first block turns out to hold all of it, that block goes in one Put Blob instead).
    /// With <c>Overwrite = false</c> a block upload learns of an existing blob only at the commit (Put Block has no conditions).
    /// </summary>
    public async Task<BlobUploadResult> UploadAsync(Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobUploadOptions();
        ValidateOptions(options);

        if (content.CanSeek)
        {
            var remaining = Math.Max(0, content.Length - content.Position);
            if (remaining <= options.SingleShotThreshold)
            {
                return await PutBlobAsync(RequestContent.Create(new StreamWindow(content, content.Position, remaining)), options, cancellationToken);
            }
        }

        return await UploadInBlocksAsync(content, options, cancellationToken);
    }

    public Task<BlobUploadResult> UploadAsync(BinaryData content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return UploadAsync(content.ToStream(), options, cancellationToken);
    }

    /// <summary>Uploads <paramref name="content"/> as UTF-8 (content type text/plain; charset=utf-8 unless the options say otherwise).</summary>
    public Task<BlobUploadResult> UploadAsync(string content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= new BlobUploadOptions();
        if (options.ContentType is null)
        {
            options = options with { ContentType = "text/plain; charset=utf-8" };
        }

        return UploadAsync(BinaryData.FromString(content), options, cancellationToken);
    }

    /// <summary>Starts a download; the returned stream reads the body off the network (nothing is buffered whole).</summary>
    public async Task<BlobDownloadResult> DownloadStreamingAsync(CancellationToken cancellationToken = default)
    {
        var message = _pipeline.CreateMessage(RequestMethod.Get, Uri);
        message.BufferResponse = false;
        try
        {
            var response = await _pipeline.SendAsync(message, cancellationToken);
            var details = ReadProperties(response);
            return new BlobDownloadResult(new MessageOwningStream(message, response.ContentStream ?? Stream.Null), details);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>The blob's content as a stream read off the network; dispose it to release the connection.</summary>
    public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken = default) =>
        (await DownloadStreamingAsync(cancellationToken)).Content;

    /// <summary>Downloads the whole blob into memory: for small blobs only.</summary>
    public async Task<BinaryData> DownloadContentAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, Uri);
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return response.Content;
    }

    /// <summary>Downloads <paramref name="length"/> bytes from <paramref name="offset"/> (fewer if the blob ends first).</summary>
    public async Task<BinaryData> DownloadRangeAsync(long offset, long length, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        using var message = _pipeline.CreateMessage(RequestMethod.Get, Uri);
        message.Request.Headers.SetValue("x-ms-range", string.Create(CultureInfo.InvariantCulture, $"bytes={offset}-{offset + length - 1}"));
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return response.Content;
    }

    public async Task<BlobProperties> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Head, Uri);
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return ReadProperties(response);
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await GetPropertiesAsync(cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Deletes the blob with its snapshots; throws 404 BlobNotFound if missing, 412 if <paramref name="ifMatch"/> is stale.</summary>
    public async Task DeleteAsync(ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, Uri);
        message.Request.Headers.SetValue("x-ms-delete-snapshots", "include");
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString("H"));
        }

        await _pipeline.SendAsync(message, cancellationToken);
    }

    /// <summary>Deletes the blob if it (and its container) exists; true when this call deleted it.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteAsync(null, cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// A URL that lets anyone holding it read this blob until <paramref name="expiresOn"/>: a service SAS (sr=b, sp=r,
    /// either protocol) signed with the account key. Accounts reached with Entra ID or a SAS have no key; a
    /// user-delegation SAS would serve them but is not supported yet, so they get an <see cref="InvalidOperationException"/>.
    /// </summary>
    public Uri GenerateReadSasUri(DateTimeOffset expiresOn, DateTimeOffset? startsOn = null)
    {
        var key = _pipeline.Account.SharedKey ?? throw new InvalidOperationException(
            $"Cannot sign a SAS for blob '{Name}': the storage account '{_pipeline.Account.Name}' is configured with {_pipeline.Account.AuthenticationKind}, " +
            "not an account key. User-delegation SAS (for Entra ID) is not supported yet.");
        var query = BlobSas.SignReadSas(_pipeline.Account.Name, key, ContainerName, Name, startsOn, expiresOn);
        return new Uri(Uri.AbsoluteUri + "?" + query);
    }

    private async Task<BlobUploadResult> PutBlobAsync(RequestContent content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-blob-type", "BlockBlob");
        ApplyBlobHeaders(headers, options);
        message.Request.Content = content;
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return new BlobUploadResult(response.GetETag(), response.RequiredDate("Last-Modified"));
    }

    private async Task<BlobUploadResult> UploadInBlocksAsync(Stream content, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        // Block ids must all have the same length; a per-upload prefix keeps a concurrent upload's staged blocks apart.
        var uploadId = Guid.NewGuid().ToString("N")[..12];
        var blockIds = new List<string>();
        var inFlight = new List<Task>();
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(options.BlockSize);
                int filled;
                try
                {
                    filled = await ReadBlockAsync(content, buffer.AsMemory(0, options.BlockSize), failFast.Token);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (blockIds.Count == 0 && filled < options.BlockSize)
                {
                    // The whole (short, non-seekable) content fits in one block: one request instead of two.
                    try
                    {
                        return await PutBlobAsync(RequestContent.Create(buffer.AsMemory(0, filled)), options, failFast.Token);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                if (blockIds.Count == MaxBlocks)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw new InvalidOperationException(
                        $"The content needs more than {MaxBlocks} blocks of {options.BlockSize} bytes; use a larger BlockSize.");
                }

                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{uploadId}-{blockIds.Count:D6}")));
                blockIds.Add(blockId);
                inFlight.Add(StageBlockAsync(blockId, buffer, filled, failFast.Token));
                if (inFlight.Count >= options.MaxConcurrency)
                {
                    var finished = await Task.WhenAny(inFlight);
                    inFlight.Remove(finished);
                    await finished;
                }

                if (filled < options.BlockSize)
                {
                    break;
                }
            }

            await Task.WhenAll(inFlight);
        }
        catch
        {
            // Stop the other blocks and let them return their buffers before surfacing the first failure.
            await failFast.CancelAsync();
            await Task.WhenAll(inFlight).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        return await CommitBlockListAsync(blockIds, options, cancellationToken);
    }

    private async Task StageBlockAsync(string blockId, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        try
        {
            using var message = _pipeline.CreateMessage(RequestMethod.Put, new Uri(Uri.AbsoluteUri + "?comp=block&blockid=" + Uri.EscapeDataString(blockId)));
            message.Request.Content = RequestContent.Create(buffer.AsMemory(0, length));
            await _pipeline.SendAsync(message, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<BlobUploadResult> CommitBlockListAsync(List<string> blockIds, BlobUploadOptions options, CancellationToken cancellationToken)
    {
        var xml = new StringBuilder(64 + (blockIds.Count * 40));
        xml.Append("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in blockIds)
        {
            // Base64 needs no XML escaping.
            xml.Append("<Latest>").Append(id).Append("</Latest>");
        }

        xml.Append("</BlockList>");
        using var message = _pipeline.CreateMessage(RequestMethod.Put, new Uri(Uri.AbsoluteUri + "?comp=blocklist"));
        message.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        ApplyBlobHeaders(message.Request.Headers, options);
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(xml.ToString()));
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return new BlobUploadResult(response.GetETag(), response.RequiredDate("Last-Modified"));
    }

    private static async Task<int> ReadBlockAsync(Stream content, Memory<byte> block, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < block.Length)
        {
            var read = await content.ReadAsync(block[filled..], cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static void ApplyBlobHeaders(RequestHeaders headers, BlobUploadOptions options)
    {
        headers.SetOptional("x-ms-blob-content-type", options.ContentType);
        if (!options.Overwrite)
        {
            headers.SetValue("If-None-Match", "*");
        }

        if (options.IfMatch is { } etag)
        {
            headers.SetValue("If-Match", etag.ToString("H"));
        }

        if (options.Metadata is { } metadata)
        {
            foreach (var (name, value) in metadata)
            {
                headers.SetValue("x-ms-meta-" + name, value);
            }
        }
    }

    private static void ValidateOptions(BlobUploadOptions options)
    {
        if (options.BlockSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BlockSize, "BlockSize must be positive.");
        }

        if (options.SingleShotThreshold is < 0 or > 5000L * 1024 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SingleShotThreshold, "SingleShotThreshold must be between 0 and 5000 MiB (the Put Blob limit).");
        }

        if (options.MaxConcurrency <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, "MaxConcurrency must be positive.");
        }

        foreach (var (name, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"Metadata name '{name}' must be an identifier (ASCII letters, digits and '_', not starting with a digit).", nameof(options));
            }

            if (value is null || !value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"Metadata value of '{name}' must be printable ASCII (it travels as an HTTP header).", nameof(options));
            }
        }
    }

    internal static BlobProperties ReadProperties(Response response)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }

        // A ranged GET reports the range's length in Content-Length; Content-Range's "/total" is the blob's size.
        var size = response.Get("Content-Range") is { } range && range.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
            ? total
            : long.TryParse(response.Get("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : 0;
        return new BlobProperties(
            size,
            response.Get("Content-Type"),
            response.GetETag(),
            response.GetDate("Last-Modified") ?? default,
            response.GetDate("x-ms-creation-time"),
            response.Get("Content-MD5"),
            metadata);
    }
}
