using System.Collections.Concurrent;
using Purview.Core.Registry;

namespace Purview.Testing;

/// <summary>A scan registry for tests (the registry feature owns the real one): seed data sources, scans, runtimes, settings, triggers.</summary>
public sealed class InMemoryScanRegistry : IScanRegistry
{
    private readonly ConcurrentDictionary<string, DataSource> _dataSources = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Scan> _scans = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ScanFilter> _filters = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, CredentialSecret> _credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IntegrationRuntime> _runtimes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentBag<ScanTriggerDefinition> _triggers = [];

    public AccountScanSettings Settings { get; set; } = AccountScanSettings.Default;

    public InMemoryScanRegistry AddDataSource(string name, string kind, string endpoint, string collection)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _dataSources[name] = new DataSource(name, kind, endpoint, collection, at, at);
        return this;
    }

    public InMemoryScanRegistry AddScan(string dataSource, string name, string? collection = null, string runtime = IntegrationRuntime.DefaultName, string kind = "AzureStorageMsi", string? credential = null, ScanFilter? filter = null)
    {
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _scans[dataSource + "/" + name] = new Scan(dataSource, name, kind, _dataSources[dataSource].Kind, "System", credential, runtime, collection ?? _dataSources[dataSource].CollectionName, at, at);
        if (filter is not null)
        {
            _filters[dataSource + "/" + name] = filter;
        }

        return this;
    }

    /// <summary>Points a scan at a custom scan rule set (stored in the host's rule store).</summary>
    public InMemoryScanRegistry SetRuleset(string dataSource, string scan, string rulesetName)
    {
        var key = dataSource + "/" + scan;
        _scans[key] = _scans[key] with { ScanRulesetName = rulesetName, ScanRulesetType = "Custom" };
        return this;
    }

    public InMemoryScanRegistry AddRuntime(string name, int nodes, int scansPerNode)
    {
        _runtimes[name] = new IntegrationRuntime(name, nodes, scansPerNode, false);
        return this;
    }

    public InMemoryScanRegistry AddCredential(CredentialSecret credential)
    {
        _credentials[credential.Name] = credential;
        return this;
    }

    public InMemoryScanRegistry AddTrigger(ScanTriggerDefinition trigger)
    {
        _triggers.Add(trigger);
        return this;
    }

    public Task<DataSource?> GetDataSourceAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_dataSources.GetValueOrDefault(name));

    public Task<Scan?> GetScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Task.FromResult(_scans.GetValueOrDefault(dataSourceName + "/" + scanName));

    public Task<ScanFilter> GetFilterAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        Task.FromResult(_filters.GetValueOrDefault(dataSourceName + "/" + scanName) ?? ScanFilter.Everything);

    public Task<CredentialSecret?> GetCredentialSecretAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_credentials.GetValueOrDefault(name));

    public Task<IntegrationRuntime?> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_runtimes.GetValueOrDefault(name) ?? (string.Equals(name, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase) ? new IntegrationRuntime(name, 1, 100, true) : null));

    public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => Task.FromResult(Settings);

    public Task<IReadOnlyList<ScanTriggerDefinition>> ListTriggersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ScanTriggerDefinition>>(_triggers.ToList());
}
