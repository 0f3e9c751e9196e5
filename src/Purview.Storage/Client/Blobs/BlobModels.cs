using Azure;

namespace Purview.Storage.Client.Blobs;

/// <summary>One entry of a container listing.</summary>
/// <param name="ContentMD5">Base64 MD5 the service stored for the blob, when it has one (single-shot uploads get one; block lists only when the client sets it).</param>
public sealed record BlobItem(
    string Name,
    long Size,
    DateTimeOffset LastModified,
    ETag ETag,
    string? ContentType,
    string? ContentMD5,
    DateTimeOffset? CreatedOn);

/// <summary>One page of a listing; <paramref name="NextMarker"/> is null on the last page.</summary>
public sealed record BlobPage(IReadOnlyList<BlobItem> Items, string? NextMarker);

/// <summary>System properties and user metadata of a blob (metadata keys compare case-insensitively, like the service's).</summary>
public sealed record BlobProperties(
    long Size,
    string? ContentType,
    ETag ETag,
    DateTimeOffset LastModified,
    DateTimeOffset? CreatedOn,
    string? ContentMD5,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>The outcome of an upload: the new ETag (for later conditional requests) and last-modified time.</summary>
public sealed record BlobUploadResult(ETag ETag, DateTimeOffset LastModified);

/// <summary>How <see cref="BlobClient.UploadAsync(Stream, BlobUploadOptions?, CancellationToken)"/> writes a blob.</summary>
public sealed record BlobUploadOptions
{
    public const int DefaultBlockSize = 4 * 1024 * 1024;
    public const long DefaultSingleShotThreshold = 8 * 1024 * 1024;

    /// <summary>Content type stored with the blob; the service default (application/octet-stream) when null.</summary>
    public string? ContentType { get; init; }

    /// <summary>When false the upload fails with 409 BlobAlreadyExists if the blob exists (If-None-Match: *).</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>Only replace the blob if its current ETag matches (optimistic concurrency). Ignored when null.</summary>
    public ETag? IfMatch { get; init; }

    /// <summary>User metadata (x-ms-meta-*): names must be valid C# identifiers, values ASCII.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Size of each staged block when the content is uploaded in blocks.</summary>
    public int BlockSize { get; init; } = DefaultBlockSize;

    /// <summary>Seekable content of at most this many bytes goes up in a single Put Blob.</summary>
    public long SingleShotThreshold { get; init; } = DefaultSingleShotThreshold;

    /// <summary>How many blocks may be in flight at once; each holds one <see cref="BlockSize"/> buffer.</summary>
    public int MaxConcurrency { get; init; } = 4;
}
