using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Registry;
using Purview.Core.Tests.Fakes;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Registry;

public sealed class CredentialServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();
    private readonly Principal _alice = AccessWorld.Caller("alice");

    public CredentialServiceTests() => _world.Access.Grant("finance", Role.DataSourceAdmin, "alice");

    private CredentialService Credentials => _world.Credentials;

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task The_secret_reaches_the_store_but_neither_the_answer_nor_the_audit()
    {
        var (credential, created) = Ok(await Credentials.PutAsync(AccessWorld.Admin, "root-key", RegistryWorld.AccountKey("c2VjcmV0LWtleQ=="), default));

        Assert.True(created);
        Assert.Equal((CredentialType.AccountKey, true), (credential.Type, credential.HasSecret));
        Assert.Equal("c2VjcmV0LWtleQ==", _world.Store.SecretOf("root-key"));
        Assert.DoesNotContain("c2VjcmV0LWtleQ==", _world.Access.Audit.Entries[^1].Details ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("credential.put", _world.Access.Audit.Entries[^1].Action);
    }

    [Fact]
    public async Task Only_a_data_source_admin_of_the_root_changes_credentials_but_any_reads_them()
    {
        var error = Fails(await Credentials.PutAsync(_alice, "root-key", RegistryWorld.AccountKey(), default), ErrorKind.Forbidden, "Forbidden");

        Assert.Equal("Credentials are account-level: changing them needs the Data source admin role on the root collection ('root').", error.Message);
        Assert.Null(_world.Store.SecretOf("root-key"));
        Ok(await Credentials.PutAsync(AccessWorld.Admin, "root-key", RegistryWorld.AccountKey(), default));
        Assert.Equal("root-key", Ok(await Credentials.GetAsync("root-key", default)).Name);
        Fails(await Credentials.DeleteAsync(_alice, "root-key", default), ErrorKind.Forbidden, "Forbidden");
    }

    [Theory]
    [InlineData("AccountKey", "SasToken", "properties.type")]
    [InlineData("Password", null, "kind")]
    [InlineData(null, null, "kind")]
    public async Task Kind_and_type_must_name_one_known_credential_type(string? kind, string? type, string field)
    {
        Invalid(await Credentials.PutAsync(AccessWorld.Admin, "root-key", new CredentialInput(type, null, "a2V5", null, null, null, Kind: kind), default), field);
    }

    [Fact]
    public async Task A_type_refuses_the_secret_fields_of_other_types_and_needs_its_own()
    {
        Invalid(await Credentials.PutAsync(AccessWorld.Admin, "key1", new CredentialInput(null, null, "a2V5", "sv=1", null, null, Kind: "AccountKey"), default), "properties.sasToken");
        Invalid(await Credentials.PutAsync(AccessWorld.Admin, "key1", new CredentialInput(null, null, null, null, null, "pw", Kind: "SqlAuth"), default), "properties.userName");
        Invalid(await Credentials.PutAsync(AccessWorld.Admin, "key1", new CredentialInput(null, null, null, null, null, null, Kind: "SasToken"), default), "properties.sasToken");
    }

    [Fact]
    public async Task A_credential_serving_other_collections_than_the_root_must_list_its_endpoints()
    {
        Invalid(await Credentials.PutAsync(AccessWorld.Admin, "key1", RegistryWorld.AccountKey() with { AllowedCollections = ["finance"] }, default), "properties.allowedEndpoints");
        Invalid(await Credentials.PutAsync(AccessWorld.Admin, "key1", RegistryWorld.AccountKey() with { AllowedCollections = ["nowhere"], AllowedEndpoints = ["contoso.blob.core.windows.net"] }, default), "properties.allowedCollections[0]");

        var (credential, _) = Ok(await Credentials.PutAsync(AccessWorld.Admin, "key1", RegistryWorld.AccountKey() with
        {
            AllowedCollections = ["FINANCE", "finance"],
            AllowedEndpoints = ["contoso.blob.core.windows.net"],
        }, default));
        Assert.Equal(["finance"], credential.Scope.Collections);
    }

    [Fact]
    public async Task A_credential_used_by_a_scan_cannot_be_deleted()
    {
        Ok(await Credentials.PutAsync(AccessWorld.Admin, "root-key", RegistryWorld.AccountKey(), default));
        Ok(await _world.DataSources.PutDataSourceAsync(AccessWorld.Admin, "lake", new DataSourceInput("AzureStorage", RegistryWorld.Endpoint, "root"), default));
        Ok(await _world.Scans.PutScanAsync(AccessWorld.Admin, "lake", "nightly", RegistryWorld.WithCredential("root-key"), default));

        Fails(await Credentials.DeleteAsync(AccessWorld.Admin, "root-key", default), ErrorKind.Conflict, "CredentialInUse");
        Fails(await Credentials.DeleteAsync(AccessWorld.Admin, "no-such-key", default), ErrorKind.NotFound, "NotFound");
        Fails(await Credentials.DeleteAsync(AccessWorld.Admin, "../bad", default), ErrorKind.NotFound, "NotFound");
        Assert.NotNull(await _world.Store.GetCredentialAsync("root-key", default));
    }

    [Fact]
    public async Task A_deleted_credential_is_gone_and_its_deletion_audited_against_the_root_under_its_stored_name()
    {
        Ok(await Credentials.PutAsync(AccessWorld.Admin, "Root-Key", RegistryWorld.AccountKey(), default));

        var deleted = Ok(await Credentials.DeleteAsync(AccessWorld.Admin, "root-key", default));

        Assert.Equal("Root-Key", deleted.Name);
        Assert.Null(await _world.Store.GetCredentialAsync("root-key", default));
        Fails(await Credentials.GetAsync("root-key", default), ErrorKind.NotFound, "NotFound");
        var entry = _world.Access.Audit.Entries[^1];
        Assert.Equal(("credential.delete", "Root-Key", "root"), (entry.Action, entry.Target, entry.Collection));
    }
}

public sealed class IntegrationRuntimeServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task A_self_hosted_runtime_is_created_then_replaced()
    {
        var (created, isNew) = Ok(await _world.Runtimes.PutAsync(AccessWorld.Admin, "shir", new IntegrationRuntimeInput("SelfHosted", 2, 3), default));
        var (replaced, isNewAgain) = Ok(await _world.Runtimes.PutAsync(AccessWorld.Admin, "SHIR", new IntegrationRuntimeInput("selfhosted", 4, 1), default));

        Assert.True(isNew);
        Assert.False(isNewAgain);
        Assert.Equal((6, "shir", 4), (created.Capacity, replaced.Name, replaced.Capacity));
        Assert.Equal("4x1", _world.Access.Audit.Entries[^1].Details);
    }

    [Fact]
    public async Task The_managed_runtime_can_be_neither_changed_nor_deleted()
    {
        Fails(await _world.Runtimes.PutAsync(AccessWorld.Admin, "default", new IntegrationRuntimeInput("SelfHosted", 1, 1), default), ErrorKind.Conflict, "ManagedRuntime");
        Fails(await _world.Runtimes.DeleteAsync(AccessWorld.Admin, "default", default), ErrorKind.Conflict, "ManagedRuntime");
        // The managed runtime refuses whoever asks: the refusal comes before the access check.
        _world.Access.Grant("finance", Role.DataSourceAdmin, "alice");
        Fails(await _world.Runtimes.DeleteAsync(AccessWorld.Caller("alice"), "default", default), ErrorKind.Conflict, "ManagedRuntime");
        Assert.Equal(IntegrationRuntime.Default, Ok(await _world.Runtimes.GetAsync("default", default)));
    }

    [Theory]
    [InlineData("Managed", 1, 1, "kind")]
    [InlineData("SelfHosted", 0, 1, "properties.nodes")]
    [InlineData("SelfHosted", 1, IntegrationRuntime.MaxConcurrentScansPerNode + 1, "properties.concurrentScansPerNode")]
    public async Task Invalid_runtimes_name_their_field(string kind, int nodes, int perNode, string field)
    {
        Invalid(await _world.Runtimes.PutAsync(AccessWorld.Admin, "shir", new IntegrationRuntimeInput(kind, nodes, perNode), default), field);
    }

    [Fact]
    public async Task A_runtime_used_by_a_scan_cannot_be_deleted_and_only_root_admins_change_runtimes()
    {
        _world.Access.Grant("finance", Role.DataSourceAdmin, "alice");
        Fails(await _world.Runtimes.PutAsync(AccessWorld.Caller("alice"), "shir", new IntegrationRuntimeInput("SelfHosted", 1, 1), default), ErrorKind.Forbidden, "Forbidden");
        Ok(await _world.Runtimes.PutAsync(AccessWorld.Admin, "shir", new IntegrationRuntimeInput("SelfHosted", 1, 1), default));
        Ok(await _world.DataSources.PutDataSourceAsync(AccessWorld.Admin, "lake", new DataSourceInput("AzureStorage", RegistryWorld.Endpoint, "finance"), default));
        Ok(await _world.Scans.PutScanAsync(AccessWorld.Admin, "lake", "nightly", RegistryWorld.Msi() with { ConnectedVia = "shir" }, default));

        Fails(await _world.Runtimes.DeleteAsync(AccessWorld.Admin, "shir", default), ErrorKind.Conflict, "IntegrationRuntimeInUse");
        Fails(await _world.Runtimes.DeleteAsync(AccessWorld.Caller("alice"), "shir", default), ErrorKind.Forbidden, "Forbidden");
    }

    [Fact]
    public async Task A_deleted_runtime_is_gone_and_its_deletion_audited_against_the_root()
    {
        Ok(await _world.Runtimes.PutAsync(AccessWorld.Admin, "shir", new IntegrationRuntimeInput("SelfHosted", 1, 1), default));

        Ok(await _world.Runtimes.DeleteAsync(AccessWorld.Admin, "SHIR", default));

        Fails(await _world.Runtimes.GetAsync("shir", default), ErrorKind.NotFound, "NotFound");
        Assert.DoesNotContain(await _world.Runtimes.ListAsync(default), r => r.Name == "shir");
        var entry = _world.Access.Audit.Entries[^1];
        Assert.Equal(("integrationruntime.delete", "shir", "root"), (entry.Action, entry.Target, entry.Collection));
    }
}

public sealed class ScanSettingsServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(AccountScanSettings.MaxMaxConcurrentScanRuns + 1)]
    public async Task The_concurrency_limit_is_bounded(int limit)
    {
        Invalid(await _world.Settings.PutSettingsAsync(AccessWorld.Admin, limit, default), "maxConcurrentScanRuns");
        Assert.Equal(AccountScanSettings.Default, await _world.Settings.GetSettingsAsync(default));
    }

    [Fact]
    public async Task Only_a_root_data_source_admin_changes_the_settings()
    {
        _world.Access.Grant("finance", Role.DataSourceAdmin, "alice");

        Fails(await _world.Settings.PutSettingsAsync(AccessWorld.Caller("alice"), 3, default), ErrorKind.Forbidden, "Forbidden");
        Assert.Equal(3, Ok(await _world.Settings.PutSettingsAsync(AccessWorld.Admin, 3, default)).MaxConcurrentScanRuns);
        Assert.Equal(3, (await _world.Settings.GetSettingsAsync(default)).MaxConcurrentScanRuns);
    }
}

public sealed class RegistryAccessTests : IDisposable
{
    private readonly AccessWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task The_root_role_guard_admits_only_data_source_admins_of_the_root()
    {
        _world.Grant("root", Role.CollectionAdmin, "carol").Grant("finance", Role.DataSourceAdmin, "alice").Grant("root", Role.DataSourceAdmin, "dave");
        var snapshot = await _world.Access.GetSnapshotAsync(default);

        Assert.Null(RegistryAccess.RootAdminRequired(snapshot, AccessWorld.Caller("dave"), "Things are account-level: changing them"));
        Assert.Null(RegistryAccess.RootAdminRequired(snapshot, AccessWorld.Admin, "Things are account-level: changing them"));
        foreach (var refused in new[] { "carol", "alice" })
        {
            var error = RegistryAccess.RootAdminRequired(snapshot, AccessWorld.Caller(refused), "Things are account-level: changing them");
            Assert.Equal((ErrorKind.Forbidden, "Things are account-level: changing them needs the Data source admin role on the root collection ('root')."), (error!.Kind, error.Message));
        }
    }

    [Fact]
    public async Task An_object_is_hidden_from_callers_without_a_role_and_refused_to_other_roles()
    {
        _world.Grant("finance", Role.DataReader, "bob");
        var snapshot = await _world.Access.GetSnapshotAsync(default);

        Assert.Equal(ErrorKind.NotFound, RegistryAccess.Deny(snapshot, AccessWorld.Caller("carol"), "finance-eu", "Data source 'x'")!.Kind);
        Assert.Equal(ErrorKind.Forbidden, RegistryAccess.Deny(snapshot, AccessWorld.Caller("bob"), "finance-eu", "Data source 'x'")!.Kind);
        Assert.Null(RegistryAccess.Deny(snapshot, AccessWorld.Admin, "finance-eu", "Data source 'x'"));
    }
}
