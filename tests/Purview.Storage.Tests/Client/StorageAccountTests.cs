using Azure.Core;
using Microsoft.Extensions.Configuration;
using Purview.Storage.Client;
using Xunit;

namespace Purview.Storage.Tests.Client;

public sealed class StorageAccountTests
{
    [Fact]
    public void Development_storage_points_at_the_emulator_ports_path_style()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/", account.BlobEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1/", account.QueueEndpoint.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1/", account.TableEndpoint.AbsoluteUri);
        Assert.True(account.IsPathStyle);
        Assert.Equal("SharedKey", account.AuthenticationKind);
    }

    [Fact]
    public void Account_name_and_key_give_the_public_cloud_endpoints_with_the_suffix()
    {
        var account = StorageAccount.Parse($"DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey={Convert.ToBase64String(new byte[64])};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal("https://contoso.table.core.chinacloudapi.cn/", account.TableEndpoint.AbsoluteUri);
        Assert.Equal("https://contoso.blob.core.chinacloudapi.cn/", account.BlobEndpoint.AbsoluteUri);
        Assert.False(account.IsPathStyle);
    }

    [Fact]
    public void Explicit_endpoints_win_and_name_the_account_from_the_path_for_emulators()
    {
        var account = StorageAccount.Parse($"AccountKey={StorageAccount.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:5/devstoreaccount1;QueueEndpoint=http://127.0.0.1:6/devstoreaccount1;TableEndpoint=http://127.0.0.1:7/devstoreaccount1");

        Assert.Equal("devstoreaccount1", account.Name);
        Assert.Equal(7, account.TableEndpoint.Port);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountName=contoso", "AccountKey or SharedAccessSignature")]
    [InlineData("AccountName=contoso;AccountKey=not base64!", "base64")]
    [InlineData("AccountName=Bad_Name;AccountKey=AAAA", "not a valid storage account name")]
    [InlineData("garbage", "malformed setting")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=contoso;AccountKey=AAAA", "http or https")]
    [InlineData("AccountKey=AAAA;BlobEndpoint=not-a-uri;QueueEndpoint=x;TableEndpoint=y", "not an absolute")]
    public void Bad_connection_strings_say_what_is_wrong(string connectionString, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => StorageAccount.Parse(connectionString));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_based_settings_need_no_key_and_use_a_token_credential()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage:accountName"] = "contoso",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        }).Build();

        var account = StorageConfiguration.ResolveAccount(configuration, new StaticToken());

        Assert.Equal("EntraId", account.AuthenticationKind);
        Assert.False(account.HasSharedKey);
        Assert.Equal("https://contoso.queue.core.windows.net/", account.QueueEndpoint.AbsoluteUri);
    }

    [Fact]
    public void Missing_storage_settings_name_both_ways_to_configure_it()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => StorageConfiguration.ResolveAccount(new ConfigurationBuilder().Build()));

        Assert.Contains("AzureWebJobsStorage", ex.Message, StringComparison.Ordinal);
        Assert.Contains("accountName", ex.Message, StringComparison.Ordinal);
    }

    private sealed class StaticToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new("token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
