using System.Net;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Scanners;

public class ScanTargetRulesTests
{
    [Theory]
    [InlineData("169.254.169.254", AddressRange.Metadata)]
    [InlineData("::ffff:169.254.169.254", AddressRange.Metadata)]
    [InlineData("168.63.129.16", AddressRange.Metadata)]
    [InlineData("fd00:ec2::254", AddressRange.Metadata)]
    [InlineData("169.254.1.1", AddressRange.LinkLocal)]
    [InlineData("fe80::1", AddressRange.LinkLocal)]
    [InlineData("127.0.0.2", AddressRange.Loopback)]
    [InlineData("::1", AddressRange.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressRange.Loopback)]
    [InlineData("10.1.2.3", AddressRange.Private)]
    [InlineData("172.31.255.255", AddressRange.Private)]
    [InlineData("192.168.0.1", AddressRange.Private)]
    [InlineData("100.64.0.1", AddressRange.Private)]
    [InlineData("fd12:3456::1", AddressRange.Private)]
    [InlineData("0.0.0.0", AddressRange.Unspecified)]
    [InlineData("::", AddressRange.Unspecified)]
    [InlineData("224.0.0.1", AddressRange.Multicast)]
    [InlineData("255.255.255.255", AddressRange.Reserved)]
    [InlineData("172.32.0.1", AddressRange.Public)]
    [InlineData("20.60.1.1", AddressRange.Public)]
    [InlineData("2603:1030::1", AddressRange.Public)]
    public void Addresses_are_classified_by_range(string address, AddressRange expected) =>
        Assert.Equal(expected, ScanTargetRules.Classify(IPAddress.Parse(address)));

    [Fact]
    public void The_outbound_policy_follows_the_options_and_the_allowed_hosts()
    {
        var strict = new ScanTargetOptions();
        Assert.NotNull(ScanTargetRules.OutboundRefusal("db.internal", IPAddress.Parse("10.0.0.4"), strict));
        Assert.NotNull(ScanTargetRules.OutboundRefusal("localhost", IPAddress.Loopback, strict));
        Assert.Null(ScanTargetRules.OutboundRefusal("acct.blob.core.windows.net", IPAddress.Parse("20.60.1.1"), strict));

        var configured = new ScanTargetOptions { AllowLoopback = true };
        configured.AllowedHosts.Add("10.0.0.0/24");
        configured.AllowedHosts.Add("pg.internal");
        Assert.Null(ScanTargetRules.OutboundRefusal("db.internal", IPAddress.Parse("10.0.0.4"), configured));
        Assert.Null(ScanTargetRules.OutboundRefusal("pg.internal", IPAddress.Parse("192.168.9.9"), configured));
        Assert.NotNull(ScanTargetRules.OutboundRefusal("db.internal", IPAddress.Parse("10.0.1.4"), configured));
        Assert.Null(ScanTargetRules.OutboundRefusal("localhost", IPAddress.Loopback, configured));
        // Loopback allowed never opens the metadata service, even under a loopback-looking name.
        Assert.NotNull(ScanTargetRules.OutboundRefusal("metadata.google.internal", IPAddress.Parse("169.254.169.254"), configured));
        Assert.NotNull(ScanTargetRules.OutboundRefusal("rebind.example.com", IPAddress.Parse("169.254.169.254"), configured));
    }

    [Fact]
    public void A_credential_without_scope_serves_the_root_only_and_a_scope_names_collections_and_endpoints()
    {
        var blob = ScanTargetAddress.Of(DataSourceKinds.AzureStorage, "https://sales.blob.core.windows.net/")!;
        var pg = ScanTargetAddress.Of(DataSourceKinds.SqlDatabase, "postgresql://pg.contoso.com:5433/shop")!;
        Assert.Null(ScanTargetRules.CredentialRefusal("c", CredentialScope.RootOnly, "root", "root", blob));
        Assert.NotNull(ScanTargetRules.CredentialRefusal("c", CredentialScope.RootOnly, "finance", "root", blob));

        var scoped = new CredentialScope(["sales.blob.core.windows.net", "pg.contoso.com:5433"], ["finance"]);
        Assert.Null(ScanTargetRules.CredentialRefusal("c", scoped, "Finance", "root", blob));
        Assert.Null(ScanTargetRules.CredentialRefusal("c", scoped, "finance", "root", pg));
        Assert.NotNull(ScanTargetRules.CredentialRefusal("c", scoped, "finance", "root", pg with { Port = 5432 }));
        Assert.NotNull(ScanTargetRules.CredentialRefusal("c", scoped, "sales", "root", blob));
        Assert.NotNull(ScanTargetRules.CredentialRefusal("c", scoped, "root", "root", ScanTargetAddress.Of(DataSourceKinds.AzureStorage, "https://evil.blob.core.windows.net/")));

        var azurite = ScanTargetAddress.Of(DataSourceKinds.AzureStorage, "http://127.0.0.1:10000/scandata/")!;
        Assert.True(ScanTargetRules.EndpointMatches("127.0.0.1:10000/scandata", azurite));
        Assert.False(ScanTargetRules.EndpointMatches("127.0.0.1:10000/scan", azurite));
        Assert.False(ScanTargetRules.EndpointMatches("127.0.0.1:10001", azurite));
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/", "account:acct")]
    [InlineData("https://ACCT.privatelink.dfs.core.windows.net/x", "account:acct")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", "path:loopback:10000/devstoreaccount1")]
    [InlineData("http://localhost:10000/DevStoreAccount1/", "path:loopback:10000/devstoreaccount1")]
    [InlineData("http://[::1]:10000/devstoreaccount1", "path:loopback:10000/devstoreaccount1")]
    [InlineData("http://emulator.internal:10000/devstoreaccount1", "path:emulator.internal:10000/devstoreaccount1")]
    public void Storage_account_identity_sees_through_aliases(string endpoint, string expected) =>
        Assert.Equal(expected, ScanTargetRules.AccountIdentity(new Uri(endpoint)));
}
