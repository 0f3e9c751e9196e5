using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>Integration runtimes are account-level: any Data source admin reads them, only a Data source admin of the root collection changes them.</summary>
public sealed class IntegrationRuntimeService(IScanRegistryStore store, AccessService access)
{
    public Task<IReadOnlyList<IntegrationRuntime>> ListIntegrationRuntimesAsync(CancellationToken cancellationToken) => store.ListIntegrationRuntimesAsync(cancellationToken);

    public async Task<Result<IntegrationRuntime>> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) =>
        Names.IsValidDataSourceName(name) && await store.GetIntegrationRuntimeAsync(name, cancellationToken) is { } runtime ? runtime : Error.NotFound($"Integration runtime '{name}' was not found.");

    public async Task<Result<(IntegrationRuntime Runtime, bool Created)>> PutIntegrationRuntimeAsync(Principal caller, string name, IntegrationRuntimeInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (RegistryValidation.ValidateAccountLevelName(name, "integrationRuntimeName") is { } nameError)
        {
            return nameError;
        }

        if (!string.Equals(input.Kind, "SelfHosted", StringComparison.OrdinalIgnoreCase))
        {
            return Error.Validation("kind", $"'{input.Kind}' is not a kind that can be created: use SelfHosted (the only Managed runtime is '{IntegrationRuntime.DefaultName}').");
        }

        if (input.Nodes is < 1 or > IntegrationRuntime.MaxNodes)
        {
            return Error.Validation("properties.nodes", $"properties.nodes is between 1 and {IntegrationRuntime.MaxNodes}.");
        }

        if (input.ConcurrentScansPerNode is < 1 or > IntegrationRuntime.MaxConcurrentScansPerNode)
        {
            return Error.Validation("properties.concurrentScansPerNode", $"properties.concurrentScansPerNode is between 1 and {IntegrationRuntime.MaxConcurrentScansPerNode}.");
        }

        if (string.Equals(name, IntegrationRuntime.DefaultName, StringComparison.OrdinalIgnoreCase))
        {
            return Error.Conflict("ManagedRuntime", $"'{IntegrationRuntime.DefaultName}' is the managed runtime: it cannot be changed.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (RegistryAccess.RootAdminRequired(snapshot, caller, "Integration runtimes are account-level: changing them") is { } denied)
        {
            return denied;
        }

        var existing = await store.GetIntegrationRuntimeAsync(name, cancellationToken);
        var runtime = new IntegrationRuntime(existing?.Name ?? name, input.Nodes, input.ConcurrentScansPerNode, Managed: false);
        await store.PutIntegrationRuntimeAsync(runtime, cancellationToken);
        await access.AuditAsync(caller, "integrationruntime.put", runtime.Name, snapshot.RootName, $"{runtime.Nodes}x{runtime.ConcurrentScansPerNode}", cancellationToken);
        return (runtime, existing is null);
    }

    public async Task<Result<IntegrationRuntime>> DeleteIntegrationRuntimeAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        var found = await GetIntegrationRuntimeAsync(name, cancellationToken);
        if (found.Value is not { } existing)
        {
            return found;
        }

        if (existing.Managed)
        {
            return Error.Conflict("ManagedRuntime", $"'{existing.Name}' is the managed runtime: it cannot be deleted.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (await RegistryAccess.DeleteDeniedAsync(store, snapshot, caller, "Integration runtime", existing.Name, s => s.IntegrationRuntimeName, "IntegrationRuntimeInUse", cancellationToken) is { } denied)
        {
            return denied;
        }

        await store.DeleteIntegrationRuntimeAsync(existing.Name, cancellationToken);
        await access.AuditAsync(caller, "integrationruntime.delete", existing.Name, snapshot.RootName, null, cancellationToken);
        return existing;
    }
}
