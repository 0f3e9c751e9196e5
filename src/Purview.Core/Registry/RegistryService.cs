using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>
/// The scan registry's use cases under one name, for the endpoints and functions that take it: each call goes to
/// the service of its resource (<see cref="DataSourceService"/>, <see cref="ScanService"/>, <see cref="ScanFilterService"/>,
/// <see cref="ScanTriggerService"/>, <see cref="CredentialService"/>, <see cref="IntegrationRuntimeService"/>,
/// <see cref="ScanSettingsService"/>), which holds the rules; <see cref="RegistryAccess"/> is their one access guard.
/// </summary>
public sealed class RegistryService(
    DataSourceService dataSources,
    ScanService scans,
    ScanFilterService filters,
    ScanTriggerService triggers,
    CredentialService credentials,
    IntegrationRuntimeService runtimes,
    ScanSettingsService settings)
{
    public Task<IReadOnlyList<DataSource>> ListDataSourcesAsync(Principal caller, CancellationToken cancellationToken) =>
        dataSources.ListDataSourcesAsync(caller, cancellationToken);

    public Task<Result<DataSource>> GetDataSourceAsync(Principal caller, string name, CancellationToken cancellationToken) =>
        dataSources.GetDataSourceAsync(caller, name, cancellationToken);

    public Task<Result<(DataSource DataSource, bool Created)>> PutDataSourceAsync(Principal caller, string name, DataSourceInput input, CancellationToken cancellationToken) =>
        dataSources.PutDataSourceAsync(caller, name, input, cancellationToken);

    public Task<Result<DataSource>> DeleteDataSourceAsync(Principal caller, string name, CancellationToken cancellationToken) =>
        dataSources.DeleteDataSourceAsync(caller, name, cancellationToken);

    public Task<Result<IReadOnlyList<Scan>>> ListScansAsync(Principal caller, string dataSourceName, CancellationToken cancellationToken) =>
        scans.ListScansAsync(caller, dataSourceName, cancellationToken);

    public Task<Result<Scan>> GetScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        scans.GetScanAsync(caller, dataSourceName, scanName, cancellationToken);

    public Task<Result<(Scan Scan, bool Created)>> PutScanAsync(Principal caller, string dataSourceName, string scanName, ScanInput input, CancellationToken cancellationToken) =>
        scans.PutScanAsync(caller, dataSourceName, scanName, input, cancellationToken);

    public Task<Result<Scan>> DeleteScanAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        scans.DeleteScanAsync(caller, dataSourceName, scanName, cancellationToken);

    public Task<Result<ScanFilter>> GetFilterAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        filters.GetFilterAsync(caller, dataSourceName, scanName, cancellationToken);

    public Task<Result<ScanFilter>> PutFilterAsync(
        Principal caller, string dataSourceName, string scanName, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude, CancellationToken cancellationToken) =>
        filters.PutFilterAsync(caller, dataSourceName, scanName, include, exclude, cancellationToken);

    public Task<Result<ScanTriggerDefinition>> GetTriggerAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        triggers.GetTriggerAsync(caller, dataSourceName, scanName, cancellationToken);

    public Task<Result<(ScanTriggerDefinition Trigger, bool Created)>> PutTriggerAsync(
        Principal caller, string dataSourceName, string scanName, TriggerInput input, CancellationToken cancellationToken) =>
        triggers.PutTriggerAsync(caller, dataSourceName, scanName, input, cancellationToken);

    public Task<Result<ScanTriggerDefinition>> DeleteTriggerAsync(Principal caller, string dataSourceName, string scanName, CancellationToken cancellationToken) =>
        triggers.DeleteTriggerAsync(caller, dataSourceName, scanName, cancellationToken);

    public Task<IReadOnlyList<CredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken) => credentials.ListCredentialsAsync(cancellationToken);

    public Task<Result<CredentialInfo>> GetCredentialAsync(string name, CancellationToken cancellationToken) => credentials.GetCredentialAsync(name, cancellationToken);

    public Task<Result<(CredentialInfo Credential, bool Created)>> PutCredentialAsync(Principal caller, string name, CredentialInput input, CancellationToken cancellationToken) =>
        credentials.PutCredentialAsync(caller, name, input, cancellationToken);

    public Task<Result<CredentialInfo>> DeleteCredentialAsync(Principal caller, string name, CancellationToken cancellationToken) =>
        credentials.DeleteCredentialAsync(caller, name, cancellationToken);

    public Task<IReadOnlyList<IntegrationRuntime>> ListIntegrationRuntimesAsync(CancellationToken cancellationToken) => runtimes.ListIntegrationRuntimesAsync(cancellationToken);

    public Task<Result<IntegrationRuntime>> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) => runtimes.GetIntegrationRuntimeAsync(name, cancellationToken);

    public Task<Result<(IntegrationRuntime Runtime, bool Created)>> PutIntegrationRuntimeAsync(Principal caller, string name, IntegrationRuntimeInput input, CancellationToken cancellationToken) =>
        runtimes.PutIntegrationRuntimeAsync(caller, name, input, cancellationToken);

    public Task<Result<IntegrationRuntime>> DeleteIntegrationRuntimeAsync(Principal caller, string name, CancellationToken cancellationToken) =>
        runtimes.DeleteIntegrationRuntimeAsync(caller, name, cancellationToken);

    public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => settings.GetSettingsAsync(cancellationToken);

    public Task<Result<AccountScanSettings>> PutSettingsAsync(Principal caller, int maxConcurrentScanRuns, CancellationToken cancellationToken) =>
        settings.PutSettingsAsync(caller, maxConcurrentScanRuns, cancellationToken);
}
