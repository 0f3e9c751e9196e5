using Microsoft.AspNetCore.DataProtection;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;

namespace Purview.Storage.Registry;

/// <summary>
/// The scan registry in small partitions. Keys are lower-cased names (names compare case-insensitively):
/// <list type="bullet">
/// <item><c>datasources</c>: one partition "ds";</item>
/// <item><c>scans</c>: one partition per data source holding its scans ("scan:x"), their filters ("filter:x") and
/// triggers ("trigger:x"), so that deleting a scan removes all three in one transaction;</item>
/// <item><c>credentials</c>: one partition "cred", the secret encrypted with Data Protection (purpose
/// <see cref="ProtectorPurpose"/>, key ring shared through <see cref="DataProtection.BlobXmlRepository"/>);</item>
/// <item><c>runtimes</c>: one partition "ir" (the managed "default" runtime is not stored: it always exists);</item>
/// <item><c>scansettings</c>: one entity.</item>
/// </list>
/// A scan's collection is its data source's, read from the data source, so moving a source moves its scans.
/// </summary>
public sealed class TableScanRegistry(StorageLayout layout, IDataProtectionProvider dataProtection) : IScanRegistryStore, IStorageUser
{
    public const string ProtectorPurpose = "Purview.Credentials";
    private const string DataSourcePartition = "ds";
    private const string CredentialPartition = "cred";
    private const string RuntimePartition = "ir";
    private const string ScanPrefix = "scan:";
    private const string FilterPrefix = "filter:";
    private const string TriggerPrefix = "trigger:";

    private readonly EntityTable _dataSources = layout.Table("datasources");
    private readonly EntityTable _scans = layout.Table("scans");
    private readonly EntityTable _credentials = layout.Table("credentials");
    private readonly EntityTable _runtimes = layout.Table("runtimes");
    private readonly EntityTable _settings = layout.Table("scansettings");
    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose);

    // ---- Data sources ----

    public async Task<DataSource?> GetDataSourceAsync(string name, CancellationToken cancellationToken) =>
        await _dataSources.GetEntityOrDefaultAsync(DataSourcePartition, Key(name), cancellationToken: cancellationToken) is { } e ? ToDataSource(e) : null;

    public async Task<IReadOnlyList<DataSource>> ListDataSourcesAsync(CancellationToken cancellationToken) =>
        await _dataSources.QueryAsync(TableFilter.PartitionKeyEquals(DataSourcePartition), cancellationToken: cancellationToken).Select(ToDataSource).ToListAsync(cancellationToken);

    public Task PutDataSourceAsync(DataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return _dataSources.UpsertEntityAsync(
            new TableEntity(DataSourcePartition, Key(dataSource.Name))
            {
                ["Name"] = dataSource.Name,
                ["Kind"] = dataSource.Kind,
                ["Endpoint"] = dataSource.Endpoint,
                ["Collection"] = dataSource.CollectionName,
                ["CreatedAt"] = dataSource.CreatedAt,
                ["LastModifiedAt"] = dataSource.LastModifiedAt,
                ["SpecFields"] = dataSource.SpecFields,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public Task DeleteDataSourceAsync(string name, CancellationToken cancellationToken) =>
        _dataSources.DeleteEntityIfExistsAsync(DataSourcePartition, Key(name), cancellationToken: cancellationToken);

    // ---- Scans, filters, triggers ----

    public async Task<Scan?> GetScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var entity = await _scans.GetEntityOrDefaultAsync(Key(dataSourceName), ScanPrefix + Key(scanName), cancellationToken: cancellationToken);
        if (entity is null || await GetDataSourceAsync(dataSourceName, cancellationToken) is not { } dataSource)
        {
            return null;
        }

        return ToScan(entity, dataSource.CollectionName);
    }

    public async Task<IReadOnlyList<Scan>> ListScansAsync(string dataSourceName, CancellationToken cancellationToken)
    {
        var collection = (await GetDataSourceAsync(dataSourceName, cancellationToken))?.CollectionName ?? string.Empty;
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(Key(dataSourceName)), TableFilter.RowKeyRange(ScanPrefix, ScanPrefix[..^1] + ";"));
        return await _scans.QueryAsync(filter, cancellationToken: cancellationToken).Select(e => ToScan(e, collection)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Scan>> ListAllScansAsync(CancellationToken cancellationToken)
    {
        var collections = (await ListDataSourcesAsync(cancellationToken)).ToDictionary(d => Key(d.Name), d => d.CollectionName, StringComparer.Ordinal);
        return await _scans.QueryAsync(TableFilter.RowKeyRange(ScanPrefix, ScanPrefix[..^1] + ";"), cancellationToken: cancellationToken)
            .Select(e => ToScan(e, collections.GetValueOrDefault(e.PartitionKey, string.Empty)))
            .ToListAsync(cancellationToken);
    }

    public Task PutScanAsync(Scan scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return _scans.UpsertEntityAsync(
            new TableEntity(Key(scan.DataSourceName), ScanPrefix + Key(scan.Name))
            {
                ["DataSource"] = scan.DataSourceName,
                ["Name"] = scan.Name,
                ["Kind"] = scan.Kind,
                ["ScanRulesetName"] = scan.ScanRulesetName,
                ["ScanRulesetType"] = scan.ScanRulesetType,
                ["Credential"] = scan.CredentialName,
                ["CredentialType"] = scan.CredentialType,
                ["Runtime"] = scan.IntegrationRuntimeName,
                ["CreatedAt"] = scan.CreatedAt,
                ["LastModifiedAt"] = scan.LastModifiedAt,
                ["SpecFields"] = scan.SpecFields,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public async Task DeleteScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var partition = Key(dataSourceName);
        var rows = new[] { ScanPrefix, FilterPrefix, TriggerPrefix }.Select(p => p + Key(scanName)).ToHashSet(StringComparer.Ordinal);
        var present = _scans.QueryAsync(TableFilter.PartitionKeyEquals(partition), select: TableBatches.KeyColumns, cancellationToken: cancellationToken)
            .Where(e => rows.Contains(e.RowKey));
        // At most three rows of one partition: one transaction, so a scan never outlives its filter or trigger.
        await TableBatches.DeleteAllAsync(_scans, present, cancellationToken);
    }

    public async Task<ScanFilter> GetFilterAsync(string dataSourceName, string scanName, CancellationToken cancellationToken)
    {
        var entity = await _scans.GetEntityOrDefaultAsync(Key(dataSourceName), FilterPrefix + Key(scanName), cancellationToken: cancellationToken);
        if (entity is null)
        {
            return ScanFilter.Everything;
        }

        var stored = JsonSerializer.Deserialize<StoredFilter>(ChunkedJson.Read(entity)) ?? new StoredFilter([], []);
        return new ScanFilter(stored.Include, stored.Exclude);
    }

    public Task PutFilterAsync(string dataSourceName, string scanName, ScanFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var json = JsonSerializer.Serialize(new StoredFilter(filter.IncludeUriPrefixes, filter.ExcludeUriPrefixes));
        return _scans.UpsertEntityAsync(ChunkedJson.Write(new TableEntity(Key(dataSourceName), FilterPrefix + Key(scanName)), json), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<ScanTriggerDefinition?> GetTriggerAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        await _scans.GetEntityOrDefaultAsync(Key(dataSourceName), TriggerPrefix + Key(scanName), cancellationToken: cancellationToken) is { } e ? ToTrigger(e) : null;

    public async Task<IReadOnlyList<ScanTriggerDefinition>> ListTriggersAsync(CancellationToken cancellationToken) =>
        await _scans.QueryAsync(TableFilter.RowKeyRange(TriggerPrefix, TriggerPrefix[..^1] + ";"), cancellationToken: cancellationToken).Select(ToTrigger).ToListAsync(cancellationToken);

    public Task PutTriggerAsync(ScanTriggerDefinition trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return _scans.UpsertEntityAsync(
            new TableEntity(Key(trigger.DataSourceName), TriggerPrefix + Key(trigger.ScanName))
            {
                ["DataSource"] = trigger.DataSourceName,
                ["Scan"] = trigger.ScanName,
                ["Frequency"] = trigger.Frequency,
                ["Interval"] = trigger.Interval,
                ["StartTime"] = trigger.StartTime,
                ["EndTime"] = trigger.EndTime,
                ["ScanLevel"] = trigger.ScanLevel.ToString(),
                ["CreatedAt"] = trigger.CreatedAt,
                ["LastModifiedAt"] = trigger.LastModifiedAt,
                ["TimeZone"] = trigger.TimeZone,
                ["Enabled"] = trigger.Enabled,
                ["SpecFields"] = trigger.SpecFields,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public Task DeleteTriggerAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        _scans.DeleteEntityIfExistsAsync(Key(dataSourceName), TriggerPrefix + Key(scanName), cancellationToken: cancellationToken);

    // ---- Credentials ----

    public async Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken) =>
        (await _credentials.QueryAsync(TableFilter.PartitionKeyEquals(CredentialPartition), select: InfoColumns, cancellationToken: cancellationToken).Select(ToCredentialInfo).ToListAsync(cancellationToken))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public async Task<CredentialInfo?> GetCredentialAsync(string name, CancellationToken cancellationToken) =>
        await _credentials.GetEntityOrDefaultAsync(CredentialPartition, Key(name), select: InfoColumns, cancellationToken: cancellationToken) is { } e ? ToCredentialInfo(e) : null;

    public async Task<CredentialSecret?> GetCredentialSecretAsync(string name, CancellationToken cancellationToken)
    {
        if (await _credentials.GetEntityOrDefaultAsync(CredentialPartition, Key(name), cancellationToken: cancellationToken) is not { } e)
        {
            return null;
        }

        var info = ToCredentialInfo(e);
        return new CredentialSecret(info.Name, info.Type, info.UserName, _protector.Unprotect(e.GetString("ProtectedSecret") ?? string.Empty)) { Scope = info.Scope };
    }

    public Task PutCredentialAsync(CredentialInfo credential, string secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credential);
        return _credentials.UpsertEntityAsync(
            new TableEntity(CredentialPartition, Key(credential.Name))
            {
                ["Name"] = credential.Name,
                ["Type"] = credential.Type.ToString(),
                ["UserName"] = credential.UserName,
                ["ProtectedSecret"] = _protector.Protect(secret),
                ["HasSecret"] = credential.HasSecret,
                ["Description"] = credential.Description,
                ["TypeProperties"] = credential.TypeProperties,
                ["AllowedEndpoints"] = JsonSerializer.Serialize(credential.Scope.Endpoints),
                ["AllowedCollections"] = JsonSerializer.Serialize(credential.Scope.Collections),
                ["CreatedAt"] = credential.CreatedAt,
                ["LastModifiedAt"] = credential.LastModifiedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public Task DeleteCredentialAsync(string name, CancellationToken cancellationToken) =>
        _credentials.DeleteEntityIfExistsAsync(CredentialPartition, Key(name), cancellationToken: cancellationToken);

    // ---- Integration runtimes ----

    public async Task<IntegrationRuntime?> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken)
    {
        if (string.Equals(name, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase))
        {
            return IntegrationRuntime.Default;
        }

        return await _runtimes.GetEntityOrDefaultAsync(RuntimePartition, Key(name), cancellationToken: cancellationToken) is { } e ? ToRuntime(e) : null;
    }

    public async Task<IReadOnlyList<IntegrationRuntime>> ListIntegrationRuntimesAsync(CancellationToken cancellationToken) =>
        [IntegrationRuntime.Default, .. await _runtimes.QueryAsync(TableFilter.PartitionKeyEquals(RuntimePartition), cancellationToken: cancellationToken).Select(ToRuntime).ToListAsync(cancellationToken)];

    public Task PutIntegrationRuntimeAsync(IntegrationRuntime runtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        return _runtimes.UpsertEntityAsync(
            new TableEntity(RuntimePartition, Key(runtime.Name))
            {
                ["Name"] = runtime.Name,
                ["Nodes"] = runtime.Nodes,
                ["ConcurrentScansPerNode"] = runtime.ConcurrentScansPerNode,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    public Task DeleteIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) =>
        _runtimes.DeleteEntityIfExistsAsync(RuntimePartition, Key(name), cancellationToken: cancellationToken);

    // ---- Settings ----

    public async Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) =>
        await _settings.GetEntityOrDefaultAsync("settings", "account", cancellationToken: cancellationToken) is { } e && e.GetInt32("MaxConcurrentScanRuns") is { } max
            ? new AccountScanSettings(max)
            : AccountScanSettings.Default;

    public Task PutSettingsAsync(AccountScanSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _settings.UpsertEntityAsync(
            new TableEntity("settings", "account") { ["MaxConcurrentScanRuns"] = settings.MaxConcurrentScanRuns },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    // ---- Mapping ----

    private static readonly string[] InfoColumns = ["Name", "Type", "UserName", "CreatedAt", "LastModifiedAt", "HasSecret", "Description", "TypeProperties", "AllowedEndpoints", "AllowedCollections"];

    private static string Key(string name) => TableKeys.Escape(name.ToLowerInvariant());

    private static DataSource ToDataSource(TableEntity e) => new(
        e.GetString("Name")!,
        e.GetString("Kind")!,
        e.GetString("Endpoint")!,
        e.GetString("Collection")!,
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("LastModifiedAt") ?? default,
        e.GetString("SpecFields"));

    private static Scan ToScan(TableEntity e, string collection) => new(
        e.GetString("DataSource")!,
        e.GetString("Name")!,
        e.GetString("Kind")!,
        e.GetString("ScanRulesetName")!,
        e.GetString("ScanRulesetType") ?? "System",
        e.GetString("Credential"),
        e.GetString("Runtime") ?? IntegrationRuntime.DefaultName,
        collection,
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("LastModifiedAt") ?? default,
        e.GetString("CredentialType"),
        e.GetString("SpecFields"));

    private static ScanTriggerDefinition ToTrigger(TableEntity e) => new(
        e.GetString("DataSource")!,
        e.GetString("Scan")!,
        e.GetString("Frequency")!,
        e.GetInt32("Interval") ?? 1,
        e.GetDateTimeOffset("StartTime") ?? default,
        e.GetDateTimeOffset("EndTime"),
        Enum.TryParse<ScanLevel>(e.GetString("ScanLevel"), out var level) ? level : ScanLevel.Full,
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("LastModifiedAt") ?? default,
        e.GetString("TimeZone") ?? "UTC",
        e.GetBoolean("Enabled") ?? true,
        e.GetString("SpecFields"));

    private static CredentialInfo ToCredentialInfo(TableEntity e) => new(
        e.GetString("Name")!,
        Enum.Parse<CredentialType>(e.GetString("Type")!),
        e.GetString("UserName"),
        e.GetDateTimeOffset("CreatedAt") ?? default,
        e.GetDateTimeOffset("LastModifiedAt") ?? default,
        e.GetString("Description"),
        e.GetString("TypeProperties"),
        e.GetBoolean("HasSecret") ?? true)
    {
        // Credentials stored before scopes existed have none: root collection only.
        Scope = new CredentialScope(StringList(e.GetString("AllowedEndpoints")), StringList(e.GetString("AllowedCollections"))),
    };

    private static string[] StringList(string? json) => string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static IntegrationRuntime ToRuntime(TableEntity e) => new(
        e.GetString("Name")!, e.GetInt32("Nodes") ?? 1, e.GetInt32("ConcurrentScansPerNode") ?? 1, Managed: false);

    private sealed record StoredFilter(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude);
}
