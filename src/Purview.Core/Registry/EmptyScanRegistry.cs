namespace Purview.Core.Registry;

/// <summary>
/// Stands in until the registry's storage is registered (it replaces this one): no data sources, no scans, no
/// triggers, the managed default runtime and the default account settings.
/// </summary>
public sealed class EmptyScanRegistry : IScanRegistry
{
    public Task<DataSource?> GetDataSourceAsync(string name, CancellationToken cancellationToken) => Task.FromResult<DataSource?>(null);

    public Task<Scan?> GetScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Task.FromResult<Scan?>(null);

    public Task<ScanFilter> GetFilterAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Task.FromResult(ScanFilter.Everything);

    public Task<CredentialSecret?> GetCredentialSecretAsync(string name, CancellationToken cancellationToken) => Task.FromResult<CredentialSecret?>(null);

    public Task<IntegrationRuntime?> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult<IntegrationRuntime?>(string.Equals(name, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase) ? new IntegrationRuntime(IntegrationRuntime.DefaultName, 1, 10, true) : null);

    public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => Task.FromResult(AccountScanSettings.Default);

    public Task<IReadOnlyList<ScanTriggerDefinition>> ListTriggersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ScanTriggerDefinition>>([]);
}
