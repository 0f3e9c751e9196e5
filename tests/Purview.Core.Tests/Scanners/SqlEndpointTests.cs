using Purview.Core.Scanners;
using Xunit;

namespace Purview.Core.Tests.Scanners;

public sealed class SqlEndpointTests
{
    public static TheoryData<string, SqlEngine, string> Valid() => new()
    {
        { "sqlite:shop.db", SqlEngine.Sqlite, "shop.db" },
        { "sqlite:sales/2026/shop.db", SqlEngine.Sqlite, "sales/2026/shop.db" },
        { "SQLite:a..b.db", SqlEngine.Sqlite, "a..b.db" },
        { "postgresql://db.example.net/sales", SqlEngine.PostgreSql, "postgresql://db.example.net:5432/sales" },
        { "postgres://127.0.0.1:6543/shop", SqlEngine.PostgreSql, "postgresql://127.0.0.1:6543/shop" },
        { "tcp:sql.example.net,1433", SqlEngine.Other, "tcp:sql.example.net,1433" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Scanned_endpoints_parse_to_their_engine_and_target(string endpoint, SqlEngine engine, string target)
    {
        Assert.True(SqlEndpoint.TryParse(endpoint, out var parsed, out var error), error);
        Assert.Equal(engine, parsed!.Engine);
        Assert.Equal(target, parsed.Target);
    }

    [Theory]
    [InlineData("sqlite:")]
    [InlineData("sqlite:/etc/passwd")]
    [InlineData("sqlite:../outside.db")]
    [InlineData("sqlite:data/../../outside.db")]
    [InlineData("sqlite:data/./shop.db")]
    [InlineData("sqlite:data//shop.db")]
    [InlineData("sqlite:data\\shop.db")]
    [InlineData("sqlite:C:/shop.db")]
    [InlineData("postgresql://user:secret@db.example.net/sales")]
    [InlineData("postgresql://db.example.net/")]
    [InlineData("postgresql://db.example.net/a/b")]
    [InlineData("postgresql://db.example.net/sales?sslmode=disable")]
    [InlineData("")]
    public void Endpoints_that_leave_the_root_or_carry_secrets_are_refused(string endpoint)
    {
        Assert.False(SqlEndpoint.TryParse(endpoint, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
