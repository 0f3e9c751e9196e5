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
public sealed record CredentialInfo(string Name, CredentialType Type, string? UserName, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt)
{
    public CredentialScope Scope { get; init; } = CredentialScope.RootOnly;
}

/// <summary>A credential with its secret in clear, for the scanner only.</summary>
public sealed record CredentialSecret(string Name, CredentialType Type, string? UserName, string Secret)
{
    public CredentialScope Scope { get; init; } = CredentialScope.RootOnly;
}

/// <summary>
/// Where a credential's secret may be sent and which collections' sources may use it (extension properties
/// <c>allowedEndpoints</c> and <c>allowedCollections</c> of a credential). Credentials are created by root admins; without
/// a scope a credential serves only sources in the root collection, whose admins could have created it anyway. Serving
/// other collections needs both lists, so a collection admin can never point a root secret at a host of their choosing.
/// See <see cref="Scanners.ScanTargetRules.CredentialRefusal"/>.
/// </summary>
public sealed record CredentialScope(IReadOnlyList<string> Endpoints, IReadOnlyList<string> Collections)
{
    public static CredentialScope RootOnly { get; } = new([], []);
}

/// <summary>Where scans run: a number of nodes, each running a limited number of scans at once. "default" is managed and always exists.</summary>
public sealed record IntegrationRuntime(string Name, int Nodes, int ConcurrentScansPerNode, bool Managed)
{
    public const string DefaultName = "default";
    public const int MaxNodes = 16;
    public const int MaxConcurrentScansPerNode = 16;

    /// <summary>The managed runtime every account has: 2 nodes x 5 scans = 10, the account's largest concurrency limit, so it never queues below it.</summary>
    public static IntegrationRuntime Default { get; } = new(DefaultName, 2, 5, Managed: true);

    public int Capacity => Nodes * ConcurrentScansPerNode;
}

/// <summary>Account-wide scan settings. At most 10 concurrent runs, default 5 (Purview's quota).</summary>
public sealed record AccountScanSettings(int MaxConcurrentScanRuns)
{
    public const int DefaultMaxConcurrentScanRuns = 5;
    public const int MaxMaxConcurrentScanRuns = 10;

    public static AccountScanSettings Default { get; } = new(DefaultMaxConcurrentScanRuns);
}

/// <summary>
/// A scan's schedule (Purview trigger "default"): every <see cref="Interval"/> <see cref="Frequency"/> (one of
/// <see cref="TriggerFrequencies"/>) from <see cref="StartTime"/>, up to <see cref="EndTime"/>, in UTC, at the given scan level.
/// <see cref="TriggerSchedule"/> computes the due times.
/// </summary>
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

/// <summary>The writes of the scan registry, and the listings its endpoints need. Implemented by the storage layer.</summary>
public interface IScanRegistryStore : IScanRegistry
{
    Task<IReadOnlyList<DataSource>> ListDataSourcesAsync(CancellationToken cancellationToken);

    Task PutDataSourceAsync(DataSource dataSource, CancellationToken cancellationToken);

    Task DeleteDataSourceAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<Scan>> ListScansAsync(string dataSourceName, CancellationToken cancellationToken);

    /// <summary>Every scan of every data source (the registry is small: used to refuse deleting what a scan references).</summary>
    Task<IReadOnlyList<Scan>> ListAllScansAsync(CancellationToken cancellationToken);

    Task PutScanAsync(Scan scan, CancellationToken cancellationToken);

    /// <summary>Deletes the scan with its filter and trigger, in one transaction.</summary>
    Task DeleteScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken);

    Task PutFilterAsync(string dataSourceName, string scanName, ScanFilter filter, CancellationToken cancellationToken);

    Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken);

    Task<CredentialInfo?> GetCredentialAsync(string name, CancellationToken cancellationToken);

    /// <summary>Stores the credential; the store encrypts <paramref name="secret"/> before it is written.</summary>
    Task PutCredentialAsync(CredentialInfo credential, string secret, CancellationToken cancellationToken);

    Task DeleteCredentialAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every runtime, the managed "default" one included.</summary>
    Task<IReadOnlyList<IntegrationRuntime>> ListIntegrationRuntimesAsync(CancellationToken cancellationToken);

    Task PutIntegrationRuntimeAsync(IntegrationRuntime runtime, CancellationToken cancellationToken);

    Task DeleteIntegrationRuntimeAsync(string name, CancellationToken cancellationToken);

    Task PutSettingsAsync(AccountScanSettings settings, CancellationToken cancellationToken);

    Task<ScanTriggerDefinition?> GetTriggerAsync(string dataSourceName, string scanName, CancellationToken cancellationToken);

    Task PutTriggerAsync(ScanTriggerDefinition trigger, CancellationToken cancellationToken);

    Task DeleteTriggerAsync(string dataSourceName, string scanName, CancellationToken cancellationToken);
}

/// <summary>The data source kinds this service can scan, and what each accepts.</summary>
public static class DataSourceKinds
{
    public const string AzureStorage = "AzureStorage";
    public const string AdlsGen2 = "AdlsGen2";
    public const string SqlDatabase = "SqlDatabase";

    public static IReadOnlyList<string> All { get; } = [AzureStorage, AdlsGen2, SqlDatabase];

    /// <summary>The canonical spelling of a kind (case-insensitive), or null when unsupported.</summary>
    public static string? Normalize(string? kind) => All.FirstOrDefault(k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the endpoint is a URL (blob and ADLS Gen2) rather than a connection target (SQL).</summary>
    public static bool HasUrlEndpoint(string kind) => kind is AzureStorage or AdlsGen2;

    /// <summary>Scan kinds: the data source kind + "Msi" (the app's managed identity) or + "Credential" (a stored credential).</summary>
    public static IReadOnlyList<string> ScanKindsOf(string kind) => [kind + "Msi", kind + "Credential"];

    public static IReadOnlyList<CredentialType> CredentialTypesOf(string kind) => kind == SqlDatabase
        ? [CredentialType.SqlAuth, CredentialType.ConnectionString]
        : [CredentialType.AccountKey, CredentialType.SasToken, CredentialType.ConnectionString];
}

/// <summary>The recurrence frequencies of a trigger. Minute is an extension of Purview's set, for tests and demos.</summary>
public static class TriggerFrequencies
{
    public const string Minute = "Minute";
    public const string Hour = "Hour";
    public const string Day = "Day";
    public const string Week = "Week";
    public const string Month = "Month";

    public static IReadOnlyList<string> All { get; } = [Minute, Hour, Day, Week, Month];

    public static string? Normalize(string? frequency) => All.FirstOrDefault(k => string.Equals(k, frequency, StringComparison.OrdinalIgnoreCase));
}
