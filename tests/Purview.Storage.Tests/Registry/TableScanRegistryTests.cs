using Microsoft.AspNetCore.DataProtection;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Storage.Registry;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Registry;

public sealed class TableScanRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private Task<(TableScanRegistry Store, StorageLayout Layout)> CreateAsync() =>
        StoresUnderTest.CreateAsync(azurite, "r" + Guid.NewGuid().ToString("N")[..10], layout => new TableScanRegistry(layout, new EphemeralDataProtectionProvider()));

    [Fact]
    public async Task Deleting_a_scan_removes_its_filter_and_trigger_and_leaves_its_siblings()
    {
        var (registry, _) = await CreateAsync();
        await registry.PutDataSourceAsync(new DataSource("Blob-1", "AzureStorage", "https://a.blob.core.windows.net/", "finance", Now, Now), default);
        foreach (var name in new[] { "one", "two" })
        {
            await registry.PutScanAsync(new Scan("Blob-1", name, "AzureStorageMsi", "AzureStorage", "System", null, "default", "ignored", Now, Now), default);
            await registry.PutFilterAsync("blob-1", name, new ScanFilter(["https://a.blob.core.windows.net/x/"], []), default);
            await registry.PutTriggerAsync(new ScanTriggerDefinition("Blob-1", name, "Hour", 2, Now, null, ScanLevel.Incremental, Now, Now), default);
        }

        await registry.DeleteScanAsync("blob-1", "ONE", default);

        Assert.Null(await registry.GetScanAsync("blob-1", "one", default));
        Assert.Equal(ScanFilter.Everything.IncludeUriPrefixes, (await registry.GetFilterAsync("blob-1", "one", default)).IncludeUriPrefixes);
        var trigger = Assert.Single(await registry.ListTriggersAsync(default));
        Assert.Equal(("two", "Hour", 2, ScanLevel.Incremental), (trigger.ScanName, trigger.Frequency, trigger.Interval, trigger.ScanLevel));
        var scan = Assert.Single(await registry.ListAllScansAsync(default));
        Assert.Equal(("Blob-1", "two", "finance"), (scan.DataSourceName, scan.Name, scan.CollectionName));
    }

    [Fact]
    public async Task A_filter_larger_than_one_table_property_round_trips()
    {
        var (registry, _) = await CreateAsync();
        var includes = Enumerable.Range(0, 1000).Select(i => $"https://a.blob.core.windows.net/container-{i:D4}/{new string('p', 150)}/").ToList();
        await registry.PutFilterAsync("blob-1", "big", new ScanFilter(includes, ["https://a.blob.core.windows.net/container-0001/tmp/"]), default);

        var filter = await registry.GetFilterAsync("blob-1", "big", default);
        Assert.Equal(includes, filter.IncludeUriPrefixes);
        Assert.Equal(["https://a.blob.core.windows.net/container-0001/tmp/"], filter.ExcludeUriPrefixes);
    }

    [Fact]
    public async Task The_default_runtime_always_exists_and_settings_default_to_five()
    {
        var (registry, _) = await CreateAsync();
        Assert.Equal(IntegrationRuntime.Default, await registry.GetIntegrationRuntimeAsync("Default", default));
        Assert.Equal([IntegrationRuntime.Default], await registry.ListIntegrationRuntimesAsync(default));
        Assert.Equal(5, (await registry.GetSettingsAsync(default)).MaxConcurrentScanRuns);
        await registry.PutSettingsAsync(new AccountScanSettings(9), default);
        Assert.Equal(9, (await registry.GetSettingsAsync(default)).MaxConcurrentScanRuns);
    }

    [Fact]
    public async Task Credential_secrets_are_protected_at_rest()
    {
        var (registry, layout) = await CreateAsync();
        await registry.PutCredentialAsync(new CredentialInfo("Key-1", CredentialType.SasToken, null, Now, Now), "sv=2026&sig=very-secret", default);

        var raw = await layout.Table("credentials").GetEntityAsync("cred", "key-1");
        Assert.DoesNotContain(raw.Select(p => p.Value), v => v is string s && s.Contains("very-secret", StringComparison.Ordinal));
        Assert.Equal("sv=2026&sig=very-secret", (await registry.GetCredentialSecretAsync("key-1", default))!.Secret);
        Assert.Equal(CredentialType.SasToken, (await registry.GetCredentialAsync("KEY-1", default))!.Type);
    }
}
