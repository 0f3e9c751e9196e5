using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>Integration runtimes are account-level (<see cref="AccountLevelService{T}"/>); the managed one is built in and never changes.</summary>
public sealed class IntegrationRuntimeService(IScanRegistryStore store, AccessService access)
    : AccountLevelService<IntegrationRuntime>(store, access, new AccountLevelKind<IntegrationRuntime>(
        "Integration runtime", "integrationruntime", "IntegrationRuntimeInUse", r => r.Name, s => s.IntegrationRuntimeName,
        store.ListIntegrationRuntimesAsync, store.GetIntegrationRuntimeAsync, store.DeleteIntegrationRuntimeAsync))
{
    public async Task<Result<(IntegrationRuntime Runtime, bool Created)>> PutAsync(Principal caller, string name, IntegrationRuntimeInput input, CancellationToken cancellationToken)
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

        var (snapshot, denied) = await AuthorizeChangeAsync(caller, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var existing = await Store.GetIntegrationRuntimeAsync(name, cancellationToken);
        var runtime = new IntegrationRuntime(existing?.Name ?? name, input.Nodes, input.ConcurrentScansPerNode, Managed: false);
        await Store.PutIntegrationRuntimeAsync(runtime, cancellationToken);
        await Access.AuditAsync(caller, "integrationruntime.put", runtime.Name, snapshot.RootName, $"{runtime.Nodes}x{runtime.ConcurrentScansPerNode}", cancellationToken);
        return (runtime, existing is null);
    }

    protected override Error? RefuseDelete(IntegrationRuntime existing) =>
        existing.Managed ? Error.Conflict("ManagedRuntime", $"'{existing.Name}' is the managed runtime: it cannot be deleted.") : null;
}
