namespace Purview.Core.Registry;

/// <summary>A registered data source (Purview <c>DataSource</c>): what it is, where it is, which collection holds it.</summary>
public sealed record DataSource(
    string Name,
    string Kind,
    string Endpoint,
    string CollectionName,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt);

/// <summary>
/// A scan of a data source (Purview <c>Scan</c>). <see cref="Kind"/> says how it authenticates, e.g.
/// <c>AzureStorageMsi</c> (the app's own identity) or <c>AzureStorageCredential</c> (a stored credential).
/// </summary>
public sealed record Scan(
    string DataSourceName,
    string Name,
    string Kind,
    string ScanRulesetName,
    string ScanRulesetType,
    string? CredentialName,
    string IntegrationRuntimeName,
    string CollectionName,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt)
{
    /// <summary>Scan kinds ending in "Msi" use the app's managed identity instead of a stored credential.</summary>
    public bool UsesManagedIdentity => Kind.EndsWith("Msi", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The scope of a scan (Purview custom filter): URIs under an include prefix and not under an exclude prefix.</summary>
public sealed record ScanFilter(IReadOnlyList<string> IncludeUriPrefixes, IReadOnlyList<string> ExcludeUriPrefixes)
{
    public static ScanFilter Everything { get; } = new([], []);

    public bool Includes(string uri) =>
        (IncludeUriPrefixes.Count == 0 || IncludeUriPrefixes.Any(p => uri.StartsWith(p, StringComparison.Ordinal))) &&
        !ExcludeUriPrefixes.Any(p => uri.StartsWith(p, StringComparison.Ordinal));
}

/// <summary>The kinds of credential a scanner can use; the secret itself never leaves the storage layer unencrypted except to the scanner.</summary>
public enum CredentialType
{
    ConnectionString,
    AccountKey,
    SasToken,
    SqlAuth,
}

/// <summary>A credential's description (never its secret): what GET returns.</summary>
public sealed record CredentialInfo(string Name, CredentialType Type, string? UserName, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt);

/// <summary>A credential with its secret in clear, for the scanner only.</summary>
public sealed record CredentialSecret(string Name, CredentialType Type, string? UserName, string Secret);

/// <summary>Where scans run: a number of nodes, each running a limited number of scans at once. "default" is managed and always exists.</summary>
public sealed record IntegrationRuntime(string Name, int Nodes, int ConcurrentScansPerNode, bool Managed)
{
    public const string DefaultName = "default";

    public int Capacity => Nodes * ConcurrentScansPerNode;
}

/// <summary>Account-wide scan settings. At most 10 concurrent runs, default 5 (Purview's quota).</summary>
public sealed record AccountScanSettings(int MaxConcurrentScanRuns)
{
    public const int DefaultMaxConcurrentScanRuns = 5;

    public static AccountScanSettings Default { get; } = new(DefaultMaxConcurrentScanRuns);
}

/// <summary>A scan's schedule: every <see cref="Interval"/> <see cref="Frequency"/> from <see cref="StartTime"/>, at the given scan level.</summary>
public sealed record ScanTriggerDefinition(
    string DataSourceName,
    string ScanName,
    string Frequency,
    int Interval,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    ScanRuns.ScanLevel ScanLevel,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt);

/// <summary>Reads and writes of the scan registry (data sources, scans, filters, credentials, runtimes, settings, triggers).</summary>
public interface IScanRegistry
{
    Task<DataSource?> GetDataSourceAsync(string name, CancellationToken cancellationToken);

    Task<Scan?> GetScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken);

    Task<ScanFilter> GetFilterAsync(string dataSourceName, string scanName, CancellationToken cancellationToken);

    /// <summary>The secret of a credential, for the scanner; null when it does not exist.</summary>
    Task<CredentialSecret?> GetCredentialSecretAsync(string name, CancellationToken cancellationToken);

    Task<IntegrationRuntime?> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken);

    Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<ScanTriggerDefinition>> ListTriggersAsync(CancellationToken cancellationToken);
}
