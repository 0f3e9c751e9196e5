namespace Purview.Core.Registry;

/// <summary>
/// A registered data source (Purview <c>DataSource</c>): what it is, where it is, which collection holds it.
/// <see cref="SpecFields"/> holds the fields the Scanning API defines that this service stores and returns without
/// acting on them (resourceGroup, subscriptionId, serverEndpoint, ...), as a JSON object; null when there are none.
/// <see cref="Endpoint"/> is empty for kinds registered without one (kinds this service does not scan).
/// </summary>
public sealed record DataSource(
    string Name,
    string Kind,
    string Endpoint,
    string CollectionName,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt,
    string? SpecFields = null);

/// <summary>
/// A scan of a data source (Purview <c>Scan</c>). <see cref="Kind"/> says how it authenticates, e.g.
/// <c>AzureStorageMsi</c> (the app's own identity) or <c>AzureStorageCredential</c> (a stored credential).
/// <see cref="CredentialType"/> is the referenced credential's kind (returned as <c>credential.credentialType</c>);
/// <see cref="SpecFields"/> as on <see cref="DataSource"/>.
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
    DateTimeOffset LastModifiedAt,
    string? CredentialType = null,
    string? SpecFields = null)
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

/// <summary>
/// The kinds of credential: the Scanning API's <c>CredentialType</c> values (AccountKey ... ManagedIdentity) and two of
/// this service's own (ConnectionString, SasToken; the spec's enum is modelled as a string, so clients accept them).
/// The secret itself never leaves the storage layer unencrypted except to the scanner.
/// </summary>
public enum CredentialType
{
    ConnectionString,
    AccountKey,
    SasToken,
    SqlAuth,
    ServicePrincipal,
    BasicAuth,
    AmazonARN,
    ConsumerKeyAuth,
    DelegatedAuth,
    ManagedIdentity,
}

/// <summary>
/// A credential's description (never its secret): what GET returns. <see cref="TypeProperties"/> is the spec's
/// <c>properties.typeProperties</c> as sent (Key Vault secret references, user names, ids; JSON), <see cref="HasSecret"/>
/// whether a secret was given inline (only such credentials can be used by a scan: this service reads no Key Vault).
/// </summary>
public sealed record CredentialInfo(
    string Name,
    CredentialType Type,
    string? UserName,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt,
    string? Description = null,
    string? TypeProperties = null,
    bool HasSecret = true)
{
    public CredentialScope Scope { get; init; } = CredentialScope.RootOnly;
}

/// <summary>A credential with its secret in clear, for the scanner only (empty when only a Key Vault reference was given).</summary>
public sealed record CredentialSecret(string Name, CredentialType Type, string? UserName, string Secret)
{
    public CredentialScope Scope { get; init; } = CredentialScope.RootOnly;

    /// <summary>A scanner's first check: a credential that only points at a Key Vault secret cannot sign in here.</summary>
    public void EnsureSecret()
    {
        if (Secret.Length == 0)
        {
            throw new Scanners.ScanFailedException("CredentialSecretUnavailable",
                $"The credential '{Name}' references a Key Vault secret only, and this service reads no Key Vault: give the secret inline (docs/REGISTRY.md).");
        }
    }
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
/// <see cref="TriggerSchedule"/> computes the due times; a trigger whose state is Disabled has none.
/// <see cref="TimeZone"/> is the spelling of UTC the client sent; <see cref="SpecFields"/> holds the spec's fields stored
/// and returned as sent (recurrence.schedule, recurrenceInterval, incrementalScanStartTime).
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
    DateTimeOffset LastModifiedAt,
    string TimeZone = "UTC",
    bool Enabled = true,
    string? SpecFields = null);

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

/// <summary>
/// Data source and scan kinds. Every <c>DataSourceType</c> and <c>ScanAuthorizationType</c> of the Scanning API
/// 2023-09-01 can be registered; <see cref="Scanned"/> are the kinds a scanner here reads (AzureStorage and AdlsGen2
/// through the blob scanner, and <see cref="SqlDatabase"/>, this service's own kind for SQLite files and PostgreSQL,
/// which the spec's enums - modelled as strings - have no name for). A run of another kind fails with
/// UnsupportedSourceKind (docs/CONFORMANCE.md).
/// </summary>
public static class DataSourceKinds
{
    public const string AzureStorage = "AzureStorage";
    public const string AdlsGen2 = "AdlsGen2";
    public const string SqlDatabase = "SqlDatabase";

    public static IReadOnlyList<string> Scanned { get; } = [AzureStorage, AdlsGen2, SqlDatabase];

    /// <summary>The spec's DataSourceType values but "None" (not a kind of source).</summary>
    public static IReadOnlyList<string> Spec { get; } =
    [
        "Fabric", "AzureSubscription", "AzureResourceGroup", "AzureSynapseWorkspace", "AzureSynapse", "AdlsGen1", AdlsGen2,
        "AmazonAccount", "AmazonS3", "AmazonSql", "AzureCosmosDb", "AzureDataExplorer", "AzureFileService", "AzureSqlDatabase",
        "ArcEnabledSqlServer", "AmazonPostgreSql", "AzurePostgreSql", "Databricks", "SqlServerDatabase", "AzureSqlDatabaseManagedInstance",
        "AzureSqlDataWarehouse", "AzureMySql", "Hdfs", "TableauServer", AzureStorage, "Teradata", "Oracle", "PostgreSql", "AmazonRedShift",
        "DatabricksHms", "SapS4Hana", "SapEcc", "Snowflake", "PowerBI", "Trident", "Dataverse", "DatabricksUnityCatalog",
    ];

    /// <summary>The spec's ScanAuthorizationType values (scan kinds).</summary>
    public static IReadOnlyList<string> SpecScanKinds { get; } =
    [
        "AzureSubscriptionCredential", "AzureSubscriptionMsi", "AzureResourceGroupCredential", "AzureResourceGroupMsi",
        "AzureSynapseWorkspaceCredential", "AzureSynapseWorkspaceMsi", "AzureSynapseCredential", "AzureSynapseMsi", "AdlsGen1Credential",
        "AdlsGen1Msi", "AdlsGen2Credential", "AdlsGen2Msi", "AmazonAccountCredential", "AmazonS3Credential", "AmazonS3RoleARN",
        "AmazonSqlCredential", "AzureCosmosDbCredential", "AzureDataExplorerCredential", "AzureDataExplorerMsi", "AzureFileServiceCredential",
        "AzureSqlDatabaseCredential", "AzureSqlDatabaseMsi", "AzureSqlDatabaseNativeAuth", "ArcEnabledSqlServerCredential",
        "ArcEnabledSqlServerNativeAuth", "AmazonPostgreSqlCredential", "AzurePostgreSqlCredential", "DatabricksCredential",
        "SqlServerDatabaseCredential", "AzureSqlDatabaseManagedInstanceCredential", "AzureSqlDatabaseManagedInstanceMsi",
        "AzureSqlDatabaseManagedInstanceNativeAuth", "AzureSqlDataWarehouseCredential", "AzureSqlDataWarehouseMsi", "AzureMySqlCredential",
        "HdfsCredential", "AzureStorageCredential", "AzureStorageMsi", "TeradataTeradataCredential", "TeradataTeradataUserPass",
        "TeradataUserPass", "OracleOracleCredential", "OracleOracleUserPass", "DatabricksHmsCredential", "SapS4HanaSapS4HanaCredential",
        "SapS4HanaSapS4HanaUserPass", "SapEccSapEccCredential", "SapEccSapEccUserPass", "SnowflakeCredential", "PowerBICredential",
        "PowerBIDelegated", "PowerBIFpa", "PowerBIMsi", "FabricCredential", "FabricDelegated", "FabricFpa", "FabricMsi", "TridentCredential",
        "TridentDelegated", "TridentMsi", "DataverseCredential", "DataverseMsi",
    ];

    public static IReadOnlyList<string> All { get; } = [.. Spec, SqlDatabase];

    /// <summary>The canonical spelling of a kind (case-insensitive), or null when neither the spec nor this service names it.</summary>
    public static string? Normalize(string? kind) => All.FirstOrDefault(k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase));

    public static bool IsScanned(string kind) => Scanned.Contains(kind, StringComparer.Ordinal);

    /// <summary>Whether the endpoint is a URL (blob and ADLS Gen2) rather than a connection target (SQL).</summary>
    public static bool HasUrlEndpoint(string kind) => kind is AzureStorage or AdlsGen2;

    /// <summary>
    /// The scan kinds of a data source kind: the spec's that start with it (but not with a longer kind that starts with
    /// it too: AzureSqlDatabaseMsi is not an AzureSqlDatabaseManagedInstance kind), and for SqlDatabase its Msi and Credential kinds.
    /// Scan kinds ending in "Msi" use the app's managed identity; every other kind names a stored credential.
    /// </summary>
    public static IReadOnlyList<string> ScanKindsOf(string kind)
    {
        if (kind == SqlDatabase)
        {
            return [kind + "Msi", kind + "Credential"];
        }

        var longer = Spec.Where(k => k.Length > kind.Length && k.StartsWith(kind, StringComparison.Ordinal)).ToList();
        return SpecScanKinds
            .Where(s => s.StartsWith(kind, StringComparison.Ordinal) && !longer.Any(l => s.StartsWith(l, StringComparison.Ordinal)))
            .ToList();
    }

    /// <summary>The credential types a scan of the kind may use: what its scanner reads; for kinds not scanned here, any.</summary>
    public static IReadOnlyList<CredentialType> CredentialTypesOf(string kind) => kind switch
    {
        SqlDatabase => [CredentialType.SqlAuth, CredentialType.ConnectionString],
        AzureStorage or AdlsGen2 => [CredentialType.AccountKey, CredentialType.SasToken, CredentialType.ConnectionString],
        _ => Enum.GetValues<CredentialType>(),
    };
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
