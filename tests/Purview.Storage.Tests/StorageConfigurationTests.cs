using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Purview.Storage.Tests;

/// <summary>Which account and which credential the settings select: a connection string locally, Entra ID in Azure.</summary>
public sealed class StorageConfigurationTests
{
    private const string Azurite = "UseDevelopmentStorage=true";

    [Fact]
    public void A_connection_string_alone_is_used_with_its_own_key()
    {
        var settings = StorageConfiguration.Describe(Config(("AzureWebJobsStorage", Azurite)));

        Assert.Equal(StorageCredentialKind.ConnectionString, settings.Credential);
        Assert.Equal("AzureWebJobsStorage", settings.Source);
        Assert.Equal("SharedKey", StorageConfiguration.ResolveAccount(Config(("AzureWebJobsStorage", Azurite))).AuthenticationKind);
    }

    [Fact]
    public void The_functions_identity_settings_select_the_system_assigned_managed_identity_and_win_over_the_default_connection_string()
    {
        var configuration = Config(("AzureWebJobsStorage", Azurite), ("AzureWebJobsStorage:accountName", "pvdata01"), ("AzureWebJobsStorage:credential", "managedidentity"));

        var settings = StorageConfiguration.Describe(configuration);

        Assert.Equal(StorageCredentialKind.SystemAssignedManagedIdentity, settings.Credential);
        Assert.Equal("AzureWebJobsStorage__accountName", settings.Source);
        Assert.Equal("https://pvdata01.table.core.windows.net/", settings.TableEndpoint!.AbsoluteUri);
        Assert.IsType<ManagedIdentityCredential>(StorageConfiguration.CreateCredential(settings));
        var account = StorageConfiguration.ResolveAccount(configuration);
        Assert.Equal("EntraId", account.AuthenticationKind);
        Assert.False(account.HasSharedKey);
    }

    [Fact]
    public void A_client_id_selects_that_user_assigned_managed_identity()
    {
        var settings = StorageConfiguration.Describe(Config(
            ("AzureWebJobsStorage:accountName", "pvdata01"), ("AzureWebJobsStorage:credential", "managedidentity"), ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Equal(StorageCredentialKind.UserAssignedManagedIdentity, settings.Credential);
        Assert.Equal("00000000-0000-0000-0000-000000000001", settings.ClientId);
        Assert.IsType<ManagedIdentityCredential>(StorageConfiguration.CreateCredential(settings));
    }

    [Fact]
    public void An_account_name_without_a_credential_kind_uses_DefaultAzureCredential()
    {
        var settings = StorageConfiguration.Describe(Config(("AzureWebJobsStorage:accountName", "pvdata01")));

        Assert.Equal(StorageCredentialKind.DefaultAzureCredential, settings.Credential);
        Assert.IsType<DefaultAzureCredential>(StorageConfiguration.CreateCredential(settings));
    }

    [Fact]
    public void Storage_AccountName_wins_over_everything_and_uses_the_developers_own_login()
    {
        var settings = StorageConfiguration.Describe(Config(
            ("AzureWebJobsStorage", Azurite), ("AzureWebJobsStorage:accountName", "functionshost"), ("Storage:AccountName", "pvdata02")));

        Assert.Equal("Storage:AccountName", settings.Source);
        Assert.Equal("pvdata02", settings.AccountName);
        Assert.Equal(StorageCredentialKind.DefaultAzureCredential, settings.Credential);
        Assert.Equal("https://pvdata02.queue.core.windows.net/", settings.QueueEndpoint!.AbsoluteUri);
    }

    [Fact]
    public void Storage_ClientId_picks_a_user_assigned_identity_for_Storage_AccountName()
    {
        var settings = StorageConfiguration.Describe(Config(("Storage:AccountName", "pvdata02"), ("Storage:ClientId", "abc")));

        Assert.Equal(StorageCredentialKind.UserAssignedManagedIdentity, settings.Credential);
        Assert.Equal("abc", settings.ClientId);
    }

    [Fact]
    public void Service_uris_alone_name_the_account_and_keep_their_cloud()
    {
        var settings = StorageConfiguration.Describe(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://pvgov.blob.core.usgovcloudapi.net"),
            ("AzureWebJobsStorage:queueServiceUri", "https://pvgov.queue.core.usgovcloudapi.net"),
            ("AzureWebJobsStorage:tableServiceUri", "https://pvgov.table.core.usgovcloudapi.net"),
            ("AzureWebJobsStorage:credential", "managedidentity")));

        Assert.Equal("pvgov", settings.AccountName);
        Assert.Equal("AzureWebJobsStorage__*ServiceUri", settings.Source);
        Assert.Equal(StorageCredentialKind.SystemAssignedManagedIdentity, settings.Credential);
        Assert.Equal("https://pvgov.table.core.usgovcloudapi.net/", settings.TableEndpoint!.AbsoluteUri);
    }

    [Fact]
    public void A_blob_service_uri_alone_gives_the_other_endpoints_of_the_same_account()
    {
        var settings = StorageConfiguration.Describe(Config(("AzureWebJobsStorage:blobServiceUri", "https://pvdata03.blob.core.windows.net")));

        Assert.Equal("https://pvdata03.queue.core.windows.net/", settings.QueueEndpoint!.AbsoluteUri);
        Assert.Equal("https://pvdata03.table.core.windows.net/", settings.TableEndpoint!.AbsoluteUri);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "not a uri", "AzureWebJobsStorage__*ServiceUri: 'not a uri' is not an absolute http(s) URI.")]
    [InlineData("AzureWebJobsStorage:accountName", "Bad_Name", "'Bad_Name' is not a valid storage account name (3-24 lowercase letters and digits).")]
    public void Bad_identity_settings_say_what_is_wrong(string key, string value, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StorageConfiguration.Describe(Config((key, value))));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Environment_variables_with_double_underscores_are_read_as_the_functions_host_reads_them()
    {
        var prefix = "PVTEST" + Guid.NewGuid().ToString("N")[..6] + "_";
        Environment.SetEnvironmentVariable(prefix + "AzureWebJobsStorage__accountName", "pvdata04");
        Environment.SetEnvironmentVariable(prefix + "AzureWebJobsStorage__credential", "managedidentity");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            var settings = StorageConfiguration.Describe(configuration);

            Assert.Equal("pvdata04", settings.AccountName);
            Assert.Equal(StorageCredentialKind.SystemAssignedManagedIdentity, settings.Credential);
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "AzureWebJobsStorage__accountName", null);
            Environment.SetEnvironmentVariable(prefix + "AzureWebJobsStorage__credential", null);
        }
    }

    [Fact]
    public void No_storage_settings_name_every_way_to_configure_it()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => StorageConfiguration.Describe(Config()));

        Assert.Contains("AzureWebJobsStorage__accountName", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Storage:AccountName", ex.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();
}
