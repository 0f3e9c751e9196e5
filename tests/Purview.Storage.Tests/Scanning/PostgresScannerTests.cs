using Npgsql;
using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Storage.Scanning;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Scanning;

/// <summary>Scans a throwaway PostgreSQL server (skipped, with the reason, where the binaries are not installed).</summary>
public sealed class PostgresScannerTests
{
    [PostgresFact]
    public async Task A_PostgreSQL_database_of_5_tables_and_4_foreign_keys_yields_its_tables_view_columns_samples_and_relationships()
    {
        await using var server = await PostgresServer.StartAsync();
        await using (var admin = new NpgsqlConnection(server.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE shop", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using (var shop = new NpgsqlConnection(server.ConnectionString("shop")))
        {
            await shop.OpenAsync();
            await using var ddl = new NpgsqlCommand("""
                CREATE SCHEMA sales;
                CREATE TABLE sales.customers (id int PRIMARY KEY, email text);
                CREATE TABLE sales.products (id int PRIMARY KEY, title text);
                CREATE TABLE sales.orders (id int PRIMARY KEY, customer_id int REFERENCES sales.customers(id));
                CREATE TABLE sales.order_items (order_id int REFERENCES sales.orders(id), product_id int REFERENCES sales.products(id), PRIMARY KEY (order_id, product_id));
                CREATE TABLE public.reviews (id int PRIMARY KEY, product_id int REFERENCES sales.products(id), stars int);
                CREATE VIEW sales.emails AS SELECT email FROM sales.customers;
                INSERT INTO sales.customers SELECT g, 'person' || g || '@example.com' FROM generate_series(1, 200) g;
                CREATE ROLE scanner LOGIN PASSWORD 'scan-pw';
                GRANT USAGE ON SCHEMA sales TO scanner;
                GRANT SELECT ON ALL TABLES IN SCHEMA sales, public TO scanner;
                """, shop);
            await ddl.ExecuteNonQueryAsync();
        }

        var now = DateTimeOffset.UnixEpoch;
        var endpoint = $"postgresql://127.0.0.1:{server.Port}/shop";
        Assert.True(SqlEndpoint.TryParse(endpoint, out var parsed, out _));
        var credential = new CredentialSecret("pg", CredentialType.SqlAuth, "scanner", "scan-pw");
        var request = new ScanPageRequest(
            new DataSource("pg", DataSourceKinds.SqlDatabase, parsed!.Target, "root", now, now),
            new Scan("pg", "full", "SqlDatabaseCredential", DataSourceKinds.SqlDatabase, "System", "pg", IntegrationRuntime.DefaultName, "root", now, now),
            ScanFilter.Everything, credential, null, 4);
        var scanner = new SqlDatabaseScanner(new SqlScanningOptions(), TestScanTargets.Development());
        var assets = new List<DiscoveredAsset>();
        var relationships = new List<DiscoveredRelationship>();
        string? token = null;
        do
        {
            var page = await scanner.ScanAsync(request with { ContinuationToken = token }, CancellationToken.None);
            assets.AddRange(page.Assets);
            relationships.AddRange(page.Relationships);
            token = page.ContinuationToken;
        }
        while (token is not null);

        var prefix = $"postgresql://127.0.0.1:{server.Port}/shop/";
        Assert.Equal(5, assets.Count(a => a.Type == "postgresql_table"));
        Assert.Equal(prefix + "sales/emails", assets.Single(a => a.Type == "postgresql_view").QualifiedName);
        Assert.Equal(["id", "customer_id"], assets.Single(a => a.Name == "orders").Columns.Select(c => c.Name).ToList());
        Assert.Equal(SqlDatabaseScanner.SampleRows, assets.Single(a => a.Name == "customers").Sample!.Columns.Single(c => c.Name == "email").Values.Count);
        Assert.Equal(
            new[] { ("sales/orders", "sales/customers"), ("sales/order_items", "sales/orders"), ("sales/order_items", "sales/products"), ("public/reviews", "sales/products") }
                .Select(k => (prefix + k.Item1, prefix + k.Item2)).Order().ToList(),
            relationships.Select(r => (r.FromQualifiedName, r.ToQualifiedName)).Order().ToList());

        var wrong = await Assert.ThrowsAsync<ScanFailedException>(() => scanner.ScanAsync(request with { Credential = credential with { Secret = "nope" } }, CancellationToken.None));
        Assert.Equal("SourceAccessDenied", wrong.Code);
    }
}
