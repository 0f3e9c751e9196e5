using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Storage.Scanning;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Scanning;

public sealed class SqlDatabaseScannerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "purview-sqlite", Guid.NewGuid().ToString("N"));

    public SqlDatabaseScannerTests() => ShopDatabase.Create(Path.Combine(_root, "shop", "shop.db"), customers: 300);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ScanPageRequest Request(string endpoint, string? token, int pageSize, ScanFilter? filter = null, CredentialSecret? credential = null)
    {
        var now = DateTimeOffset.UnixEpoch;
        return new ScanPageRequest(
            new DataSource("shop-db", DataSourceKinds.SqlDatabase, endpoint, "root", now, now),
            new Scan("shop-db", "full", credential is null ? "SqlDatabaseMsi" : "SqlDatabaseCredential", DataSourceKinds.SqlDatabase, "System", credential?.Name, IntegrationRuntime.DefaultName, "root", now, now),
            filter ?? ScanFilter.Everything, credential, token, pageSize);
    }

    private static async Task<(List<DiscoveredAsset> Assets, List<DiscoveredRelationship> Relationships, int Pages)> ScanAllAsync(SqlDatabaseScanner scanner, Func<string?, ScanPageRequest> request)
    {
        var assets = new List<DiscoveredAsset>();
        var relationships = new List<DiscoveredRelationship>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await scanner.ScanAsync(request(token), CancellationToken.None);
            assets.AddRange(page.Assets);
            relationships.AddRange(page.Relationships);
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 100);

        return (assets, relationships, pages);
    }

    [Fact]
    public async Task Pages_of_two_list_every_table_and_view_once_with_columns_and_every_foreign_key_once()
    {
        var scanner = new SqlDatabaseScanner(new SqlScanningOptions { SqliteRoot = _root }, TestScanTargets.Development());
        var (assets, relationships, pages) = await ScanAllAsync(scanner, t => Request("sqlite:shop/shop.db", t, 2));

        Assert.Equal(3, pages);
        Assert.Equal(ShopDatabase.Tables.Append("big_orders").Order().ToList(), assets.Select(a => a.Name).Order().ToList());
        Assert.Equal(5, assets.Count(a => a.Type == "sqlite_table"));
        Assert.Equal("sqlite_view", assets.Single(a => a.Name == "big_orders").Type);
        var customers = assets.Single(a => a.Name == "customers");
        Assert.Equal("sqlite://shop/shop.db/customers", customers.QualifiedName);
        Assert.Equal([("id", "INTEGER"), ("name", "TEXT"), ("email", "TEXT"), ("photo", "BLOB")], customers.Columns.Select(c => (c.Name, c.DataType!)).ToList());
        Assert.All(customers.Columns, c => Assert.Empty(c.Classifications));
        Assert.Equal(
            ShopDatabase.ForeignKeys.Select(k => ("sqlite://shop/shop.db/" + k.From, "sqlite://shop/shop.db/" + k.To)).Order().ToList(),
            relationships.Select(r => (r.FromQualifiedName, r.ToQualifiedName)).Order().ToList());
        Assert.All(relationships, r =>
        {
            Assert.Equal(SqlRelationshipTypes.ForeignKey, r.TypeName);
            Assert.Equal("sqlite_table", r.FromTypeName);
            Assert.Equal("sqlite_table", r.ToTypeName);
        });
    }

    [Fact]
    public async Task Samples_stop_at_128_rows_and_leave_binary_values_out()
    {
        var scanner = new SqlDatabaseScanner(new SqlScanningOptions { SqliteRoot = _root }, TestScanTargets.Development());
        var (assets, _, _) = await ScanAllAsync(scanner, t => Request("sqlite:shop/shop.db", t, 1000));
        var sample = assets.Single(a => a.Name == "customers").Sample!;
        var email = sample.Columns.Single(c => c.Name == "email");
        Assert.Equal(SqlDatabaseScanner.SampleRows, email.Values.Count);
        Assert.Equal("person1@example.com", email.Values[0]);
        Assert.All(sample.Columns.Single(c => c.Name == "photo").Values, Assert.Null);
        Assert.True(sample.BytesRead > 0);
        Assert.Equal(["5"], assets.Single(a => a.Name == "reviews").Sample!.Columns.Single(c => c.Name == "stars").Values);
    }

    [Fact]
    public async Task A_foreign_key_to_a_table_outside_the_filter_is_not_reported()
    {
        var scanner = new SqlDatabaseScanner(new SqlScanningOptions { SqliteRoot = _root }, TestScanTargets.Development());
        var filter = new ScanFilter([], ["sqlite://shop/shop.db/customers"]);
        var (assets, relationships, _) = await ScanAllAsync(scanner, t => Request("sqlite:shop/shop.db", t, 1000, filter));
        Assert.DoesNotContain(assets, a => a.Name == "customers");
        Assert.Equal(3, relationships.Count);
        Assert.DoesNotContain(relationships, r => r.ToQualifiedName.EndsWith("/customers", StringComparison.Ordinal));
    }

    public static TheoryData<string, string?, string> Failures() => new()
    {
        { "sqlite:shop/missing.db", "root", "SourceNotFound" },
        { "sqlite:shop/shop.db", null, "SqliteRootNotConfigured" },
        { "sqlite:../shop.db", "root", "EndpointInvalid" },
        { "tcp:sql.example.net,1433", "root", "UnsupportedEndpoint" },
        { "postgresql://127.0.0.1:1/shop", "root", "CredentialRequired" },
        { "sqlite:shop/not-a-database.db", "root", "SourceUnreadable" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Sources_that_cannot_be_scanned_fail_the_scan_with_a_code(string endpoint, string? root, string code)
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "shop", "not-a-database.db"), "this is not SQLite, it is plain text of some length to fill a header page");
        var scanner = new SqlDatabaseScanner(new SqlScanningOptions { SqliteRoot = root is null ? null : _root }, TestScanTargets.Development());
        var ex = await Assert.ThrowsAsync<ScanFailedException>(() => scanner.ScanAsync(Request(endpoint, null, 10), CancellationToken.None));
        Assert.Equal(code, ex.Code);
    }

    [Fact]
    public async Task A_symbolic_link_out_of_the_root_is_refused()
    {
        var outside = Path.Combine(Path.GetTempPath(), "purview-sqlite", "outside-" + Guid.NewGuid().ToString("N"));
        ShopDatabase.Create(Path.Combine(outside, "secret.db"), customers: 1);
        try
        {
            Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), outside);
            var scanner = new SqlDatabaseScanner(new SqlScanningOptions { SqliteRoot = _root }, TestScanTargets.Development());
            var ex = await Assert.ThrowsAsync<ScanFailedException>(() => scanner.ScanAsync(Request("sqlite:escape/secret.db", null, 10), CancellationToken.None));
            Assert.Equal("EndpointInvalid", ex.Code);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
