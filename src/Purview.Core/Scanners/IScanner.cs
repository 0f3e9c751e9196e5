using Purview.Core.Registry;

namespace Purview.Core.Scanners;

/// <summary>One asset found by a scanner: a blob, a file, a table... identified by its qualified name.</summary>
public sealed record DiscoveredAsset(string QualifiedName, string Name, string Type, long Size, DateTimeOffset? LastModified, string Path);

/// <summary>
/// Asks a scanner for the next page of assets. <paramref name="ContinuationToken"/> is what the previous page returned
/// (null for the first page); the scanner owns its format. Classification, resource sets and incremental scans
/// will add fields here (e.g. the previous run's high-water mark).
/// </summary>
public sealed record ScanPageRequest(
    DataSource DataSource,
    Scan Scan,
    ScanFilter Filter,
    CredentialSecret? Credential,
    string? ContinuationToken,
    int PageSize);

/// <summary>A page of assets and the token of the next page; a null token means the scope is exhausted.</summary>
public sealed record ScanPageResult(IReadOnlyList<DiscoveredAsset> Assets, string? ContinuationToken);

/// <summary>Enumerates the assets of one kind of data source, a page at a time, resumable from a token.</summary>
public interface IScanner
{
    bool CanScan(string dataSourceKind);

    Task<ScanPageResult> ScanAsync(ScanPageRequest request, CancellationToken cancellationToken);
}

/// <summary>A scan cannot go on (bad credentials, source gone): the run's scan phase fails with this code and message.</summary>
public sealed class ScanFailedException : Exception
{
    public ScanFailedException()
        : this("ScanFailed", "The scan failed.")
    {
    }

    public ScanFailedException(string message)
        : this("ScanFailed", message)
    {
    }

    public ScanFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "ScanFailed";
    }

    public ScanFailedException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public string Code { get; }
}
