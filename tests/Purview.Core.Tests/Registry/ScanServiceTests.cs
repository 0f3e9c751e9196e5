using Purview.Core.Access;
using Purview.Core.Classification;
using Purview.Core.Common;
using Purview.Core.Registry;
using Purview.Core.Tests.Fakes;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Registry;

public sealed class ScanServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();
    private readonly Principal _alice = AccessWorld.Caller("alice");

    public ScanServiceTests()
    {
        _world.Access.Grant("finance", Role.DataSourceAdmin, "alice");
        Ok(_world.DataSources.PutDataSourceAsync(AccessWorld.Admin, "lake", new DataSourceInput("AzureStorage", RegistryWorld.Endpoint, "finance"), default).Result);
        Ok(_world.DataSources.PutDataSourceAsync(AccessWorld.Admin, "root-lake", new DataSourceInput("AzureStorage", RegistryWorld.Endpoint, "root"), default).Result);
    }

    private ScanService Scans => _world.Scans;

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task A_managed_identity_scan_takes_the_defaults_and_its_sources_collection()
    {
        var (scan, created) = Ok(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi(), default));

        Assert.True(created);
        Assert.Equal(("AzureStorageMsi", "AzureStorage", "System"), (scan.Kind, scan.ScanRulesetName, scan.ScanRulesetType));
        Assert.Equal((IntegrationRuntime.DefaultName, "finance", (string?)null), (scan.IntegrationRuntimeName, scan.CollectionName, scan.CredentialName));
        Assert.Equal("scan.put", _world.Access.Audit.Entries[^1].Action);
        Assert.Equal("lake/nightly", _world.Access.Audit.Entries[^1].Target);
    }

    [Theory]
    [InlineData("AdlsGen2Msi", "kind")]
    [InlineData("azurestoragemsi", null)]
    public async Task The_scan_kind_must_be_one_of_the_sources_kinds(string kind, string? field)
    {
        var result = await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi(kind), default);

        if (field is null)
        {
            Assert.Equal("AzureStorageMsi", Ok(result).Scan.Kind);
        }
        else
        {
            Invalid(result, field);
        }
    }

    [Fact]
    public async Task A_managed_identity_scan_may_not_name_a_credential()
    {
        Invalid(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi() with { HasCredential = true, CredentialName = "key" }, default), "properties.credential");
    }

    [Fact]
    public async Task A_credential_scan_needs_an_existing_credential_of_a_type_its_source_accepts()
    {
        Invalid(await Scans.PutScanAsync(AccessWorld.Admin, "root-lake", "nightly", RegistryWorld.WithCredential("missing"), default), "properties.credential.referenceName");

        Ok(await _world.Credentials.PutAsync(AccessWorld.Admin, "sql-login", new CredentialInput(null, null, null, null, "reader", "pw", Kind: "SqlAuth"), default));
        Invalid(await Scans.PutScanAsync(AccessWorld.Admin, "root-lake", "nightly", RegistryWorld.WithCredential("sql-login"), default), "properties.credential.referenceName");

        Ok(await _world.Credentials.PutAsync(AccessWorld.Admin, "root-key", RegistryWorld.AccountKey(), default));
        Invalid(await Scans.PutScanAsync(AccessWorld.Admin, "root-lake", "nightly", RegistryWorld.WithCredential("root-key") with { CredentialType = "SasToken" }, default), "properties.credential.credentialType");
        var (scan, _) = Ok(await Scans.PutScanAsync(AccessWorld.Admin, "root-lake", "nightly", RegistryWorld.WithCredential("root-key"), default));
        Assert.Equal(("root-key", "AccountKey"), (scan.CredentialName, scan.CredentialType));
    }

    [Fact]
    public async Task A_credential_scoped_to_the_root_does_not_serve_a_source_in_another_collection()
    {
        Ok(await _world.Credentials.PutAsync(AccessWorld.Admin, "root-key", RegistryWorld.AccountKey(), default));

        Fails(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.WithCredential("root-key"), default), ErrorKind.Forbidden, "CredentialNotAllowed");
        Assert.Empty(await _world.Store.ListScansAsync("lake", default));
    }

    [Fact]
    public async Task The_runtime_and_rule_set_must_exist_and_the_collection_must_be_the_sources()
    {
        Invalid(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi() with { ConnectedVia = "shir" }, default), "properties.connectedVia.referenceName");
        Invalid(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi() with { ScanRulesetName = "strict", ScanRulesetType = "Custom" }, default), "properties.scanRulesetName");
        Invalid(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi() with { CollectionName = "finance-eu" }, default), "properties.collection.referenceName");

        await _world.Rules.PutRulesetAsync(new ScanRuleset("strict", "AzureStorage", false, null, [], [], [], [], 1, AccessWorld.T0, AccessWorld.T0), default);
        var (scan, _) = Ok(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi() with { ScanRulesetName = "strict", ScanRulesetType = "Custom" }, default));
        Assert.Equal(("strict", "Custom"), (scan.ScanRulesetName, scan.ScanRulesetType));
    }

    [Fact]
    public async Task Scans_of_a_hidden_source_are_not_found_and_a_missing_scan_is_not_found()
    {
        Ok(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi(), default));

        Fails(await Scans.GetScanAsync(AccessWorld.Caller("carol"), "lake", "nightly", default), ErrorKind.NotFound, "NotFound");
        Fails(await Scans.GetScanAsync(_alice, "lake", "weekly", default), ErrorKind.NotFound, "NotFound");
        Assert.Equal(["nightly"], Ok(await Scans.ListScansAsync(_alice, "lake", default)).Select(s => s.Name));
    }

    [Fact]
    public async Task Replacing_a_scan_keeps_its_creation_time_and_stored_name()
    {
        Ok(await Scans.PutScanAsync(_alice, "lake", "Nightly", RegistryWorld.Msi(), default));
        _world.Access.Clock.Advance(TimeSpan.FromDays(1));

        var (scan, created) = Ok(await Scans.PutScanAsync(_alice, "lake", "nightly", RegistryWorld.Msi(), default));

        Assert.False(created);
        Assert.Equal(("Nightly", AccessWorld.T0), (scan.Name, scan.CreatedAt));
        Assert.Equal(AccessWorld.T0.AddDays(1), scan.LastModifiedAt);
    }
}
