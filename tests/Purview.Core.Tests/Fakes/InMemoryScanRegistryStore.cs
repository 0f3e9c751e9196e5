using Purview.Core.Classification;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using System.Net;

namespace Purview.Core.Tests.Fakes;

/// <summary>The registry in dictionaries (names case-insensitive as in the table store); secrets kept apart, as the store encrypts them.</summary>
public sealed class InMemoryScanRegistryStore : IScanRegistryStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DataSource> _dataSources = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Scan> _scans = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ScanFilter> _filters = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ScanTriggerDefinition> _triggers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (CredentialInfo Info, string Secret)> _credentials = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IntegrationRuntime> _runtimes = new(StringComparer.OrdinalIgnoreCase) { [IntegrationRuntime.DefaultName] = IntegrationRuntime.Default };
    private AccountScanSettings _settings = AccountScanSettings.Default;

    public Task<DataSource?> GetDataSourceAsync(string name, CancellationToken cancellationToken) => Read(() => _dataSources.GetValueOrDefault(name));

    public Task<IReadOnlyList<DataSource>> ListDataSourcesAsync(CancellationToken cancellationToken) => Read<IReadOnlyList<DataSource>>(() => [.. _dataSources.Values]);

    public Task PutDataSourceAsync(DataSource dataSource, CancellationToken cancellationToken) => Write(() => _dataSources[dataSource.Name] = dataSource);

    public Task DeleteDataSourceAsync(string name, CancellationToken cancellationToken) => Write(() => _dataSources.Remove(name));

    public Task<Scan?> GetScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Read(() => _scans.GetValueOrDefault(Key(dataSourceName, scanName)));

    public Task<IReadOnlyList<Scan>> ListScansAsync(string dataSourceName, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<Scan>>(() => _scans.Values.Where(s => string.Equals(s.DataSourceName, dataSourceName, StringComparison.OrdinalIgnoreCase)).ToList());

    public Task<IReadOnlyList<Scan>> ListAllScansAsync(CancellationToken cancellationToken) => Read<IReadOnlyList<Scan>>(() => [.. _scans.Values]);

    public Task PutScanAsync(Scan scan, CancellationToken cancellationToken) => Write(() => _scans[Key(scan.DataSourceName, scan.Name)] = scan);

    public Task DeleteScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Write(() =>
    {
        var key = Key(dataSourceName, scanName);
        _scans.Remove(key);
        _filters.Remove(key);
        _triggers.Remove(key);
    });

    public Task<ScanFilter> GetFilterAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        Read(() => _filters.GetValueOrDefault(Key(dataSourceName, scanName)) ?? ScanFilter.Everything);

    public Task PutFilterAsync(string dataSourceName, string scanName, ScanFilter filter, CancellationToken cancellationToken) => Write(() => _filters[Key(dataSourceName, scanName)] = filter);

    public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken) => Read<IReadOnlyList<CredentialInfo>>(() => _credentials.Values.Select(c => c.Info).ToList());

    public Task<CredentialInfo?> GetCredentialAsync(string name, CancellationToken cancellationToken) => Read(() => _credentials.TryGetValue(name, out var c) ? c.Info : null);

    public Task PutCredentialAsync(CredentialInfo credential, string secret, CancellationToken cancellationToken) => Write(() => _credentials[credential.Name] = (credential, secret));

    public Task DeleteCredentialAsync(string name, CancellationToken cancellationToken) => Write(() => _credentials.Remove(name));

    public Task<CredentialSecret?> GetCredentialSecretAsync(string name, CancellationToken cancellationToken) =>
        Read(() => _credentials.TryGetValue(name, out var c) ? new CredentialSecret(c.Info.Name, c.Info.Type, c.Info.UserName, c.Secret) { Scope = c.Info.Scope } : null);

    public Task<IntegrationRuntime?> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) => Read(() => _runtimes.GetValueOrDefault(name));

    public Task<IReadOnlyList<IntegrationRuntime>> ListIntegrationRuntimesAsync(CancellationToken cancellationToken) => Read<IReadOnlyList<IntegrationRuntime>>(() => [.. _runtimes.Values]);

    public Task PutIntegrationRuntimeAsync(IntegrationRuntime runtime, CancellationToken cancellationToken) => Write(() => _runtimes[runtime.Name] = runtime);

    public Task DeleteIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) => Write(() => _runtimes.Remove(name));

    public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => Read(() => _settings);

    public Task PutSettingsAsync(AccountScanSettings settings, CancellationToken cancellationToken) => Write(() => _settings = settings);

    public Task<ScanTriggerDefinition?> GetTriggerAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Read(() => _triggers.GetValueOrDefault(Key(dataSourceName, scanName)));

    public Task<IReadOnlyList<ScanTriggerDefinition>> ListTriggersAsync(CancellationToken cancellationToken) => Read<IReadOnlyList<ScanTriggerDefinition>>(() => [.. _triggers.Values]);

    public Task PutTriggerAsync(ScanTriggerDefinition trigger, CancellationToken cancellationToken) => Write(() => _triggers[Key(trigger.DataSourceName, trigger.ScanName)] = trigger);

    public Task DeleteTriggerAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Write(() => _triggers.Remove(Key(dataSourceName, scanName)));

    /// <summary>The secret as stored, for tests that check what reached the store.</summary>
    public string? SecretOf(string credentialName)
    {
        lock (_lock)
        {
            return _credentials.TryGetValue(credentialName, out var c) ? c.Secret : null;
        }
    }

    private static string Key(string dataSourceName, string scanName) => dataSourceName + "/" + scanName;

    private Task<T> Read<T>(Func<T> read)
    {
        lock (_lock)
        {
            return Task.FromResult(read());
        }
    }

    private Task Write(Action write)
    {
        lock (_lock)
        {
            write();
        }

        return Task.CompletedTask;
    }
}

/// <summary>Classification rules and scan rule sets in dictionaries.</summary>
public sealed class InMemoryClassificationRuleStore : IClassificationRuleStore
{
    private readonly Dictionary<string, ClassificationRule> _rules = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ScanRuleset> _rulesets = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<ClassificationRule>> ListRulesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ClassificationRule>>([.. _rules.Values]);

    public Task<ClassificationRule?> GetRuleAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_rules.GetValueOrDefault(name));

    public Task PutRuleAsync(ClassificationRule rule, CancellationToken cancellationToken)
    {
        _rules[rule.Name] = rule;
        return Task.CompletedTask;
    }

    public Task DeleteRuleAsync(string name, CancellationToken cancellationToken)
    {
        _rules.Remove(name);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ScanRuleset>> ListRulesetsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ScanRuleset>>([.. _rulesets.Values]);

    public Task<ScanRuleset?> GetRulesetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_rulesets.GetValueOrDefault(name));

    public Task PutRulesetAsync(ScanRuleset ruleset, CancellationToken cancellationToken)
    {
        _rulesets[ruleset.Name] = ruleset;
        return Task.CompletedTask;
    }

    public Task DeleteRulesetAsync(string name, CancellationToken cancellationToken)
    {
        _rulesets.Remove(name);
        return Task.CompletedTask;
    }
}

/// <summary>DNS as a table: names it holds resolve to their addresses, others to nothing.</summary>
public sealed class TableHostResolver : IHostResolver
{
    public Dictionary<string, IPAddress[]> Hosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IPAddress>>(Hosts.TryGetValue(host, out var addresses) ? addresses : []);
}
