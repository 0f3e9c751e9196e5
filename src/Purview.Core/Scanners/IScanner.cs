using Purview.Core.Registry;

namespace Purview.Core.Scanners;

/// <summary>
/// One asset found by a scanner: a blob, a file, a table... identified by its qualified name.
/// <see cref="Sample"/> is what the scanner read for classification; it lives only during the scan phase (never staged
/// or stored). <see cref="Columns"/> and <see cref="Classifications"/> are what the scan phase found and what ingestion
/// stores on the asset.
/// </summary>
public sealed record DiscoveredAsset(string QualifiedName, string Name, string Type, long Size, DateTimeOffset? LastModified, string Path)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public AssetSample? Sample { get; init; }

    /// <summary>Why the scanner could not read the sample it was asked for (the source failed, not the file gone): logged, never staged.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? SampleError { get; init; }

    public IReadOnlyList<AssetColumn> Columns { get; init; } = [];

    public IReadOnlyList<string> Classifications { get; init; } = [];

    /// <summary>For a file in a resource set: the set's qualified name (see <see cref="ResourceSetPattern"/>); null otherwise.</summary>
    public string? ResourceSet { get; init; }
}

/// <summary>A bounded sample of an asset's data, column by column (a file's fields, a table's columns).</summary>
public sealed record AssetSample(IReadOnlyList<SampledColumn> Columns, long BytesRead);

/// <summary>One column's sampled values (null for SQL NULL / a missing field), in row order.</summary>
public sealed record SampledColumn(string Name, string? DataType, IReadOnlyList<string?> Values);

/// <summary>A column of an asset's schema as stored in the data map, with the classifications found on it.</summary>
public sealed record AssetColumn(string Name, string? DataType, IReadOnlyList<string> Classifications);

/// <summary>
/// A relationship a scanner found between two assets of the same scan (e.g. a SQL foreign key), by qualified names.
/// The ends' entity types are needed for their GUIDs: when not given, ingestion takes them from the page's assets.
/// </summary>
public sealed record DiscoveredRelationship(string TypeName, string FromQualifiedName, string ToQualifiedName)
{
    public string? FromTypeName { get; init; }

    public string? ToTypeName { get; init; }
}

/// <summary>
/// Asks a scanner for the next page of assets. <paramref name="ContinuationToken"/> is what the previous page returned
/// (null for the first page); the scanner owns its format. <see cref="Sampling"/> says which assets to sample and how
/// (scanners of files ask it once per listed asset, in listing order); without it a scanner samples nothing.
/// </summary>
public sealed record ScanPageRequest(
    DataSource DataSource,
    Scan Scan,
    ScanFilter Filter,
    CredentialSecret? Credential,
    string? ContinuationToken,
    int PageSize)
{
    public SamplingPlan? Sampling { get; init; }
}

/// <summary>A page of assets and the token of the next page; a null token means the scope is exhausted.</summary>
public sealed record ScanPageResult(IReadOnlyList<DiscoveredAsset> Assets, string? ContinuationToken)
{
    /// <summary>Relationships between assets of this scan found on this page (ingested after the page's assets).</summary>
    public IReadOnlyList<DiscoveredRelationship> Relationships { get; init; } = [];
}

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
