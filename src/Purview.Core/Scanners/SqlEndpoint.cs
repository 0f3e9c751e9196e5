namespace Purview.Core.Scanners;

public enum SqlEngine
{
    /// <summary>A target this service registers but cannot scan yet (e.g. SQL Server's <c>tcp:server,1433</c>).</summary>
    Other,
    Sqlite,
    PostgreSql,
}

/// <summary>
/// Where a <c>SqlDatabase</c> data source points. Two forms are scanned:
/// <list type="bullet">
/// <item><c>sqlite:{relative/path.db}</c> - a SQLite file under the host's <c>Scanning:SqliteRoot</c> directory (never an
/// absolute path, a drive, a backslash or a <c>..</c> segment, so a registered source cannot reach other files);</item>
/// <item><c>postgresql://host[:port]/database</c> (or <c>postgres://</c>) - the server and database only; the scan's
/// credential (SqlAuth user name and password, or a ConnectionString) says how to sign in.</item>
/// </list>
/// Anything else without a password is registered as before and fails its scans with <c>UnsupportedEndpoint</c>.
/// </summary>
public sealed record SqlEndpoint(SqlEngine Engine, string Target, string? Host, int Port, string? Database)
{
    public const int DefaultPostgresPort = 5432;

    /// <summary>Parses an endpoint; false with a message for a malformed sqlite:/postgresql: endpoint.</summary>
    public static bool TryParse(string? endpoint, out SqlEndpoint? parsed, out string? error)
    {
        parsed = null;
        error = null;
        if (string.IsNullOrEmpty(endpoint))
        {
            error = "properties.endpoint is required.";
            return false;
        }

        if (endpoint.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = endpoint["sqlite:".Length..];
            if (!IsSafeRelativePath(path))
            {
                error = "properties.endpoint of a SQLite source is sqlite:{path}, a relative path under the host's Scanning:SqliteRoot directory: "
                        + "forward slashes, no leading slash, drive, backslash or '..' segment, e.g. sqlite:sales/shop.db.";
                return false;
            }

            parsed = new SqlEndpoint(SqlEngine.Sqlite, path, null, 0, null);
            return true;
        }

        if (endpoint.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || endpoint.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                error = "properties.endpoint of a PostgreSQL source is postgresql://host[:port]/database, without user, password or options (they belong in the scan's credential).";
                return false;
            }

            var database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
            if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
            {
                error = "properties.endpoint of a PostgreSQL source names one database: postgresql://host[:port]/database.";
                return false;
            }

            var port = uri.IsDefaultPort || uri.Port <= 0 ? DefaultPostgresPort : uri.Port;
            parsed = new SqlEndpoint(SqlEngine.PostgreSql, $"postgresql://{uri.Host}:{port}/{database}", uri.Host, port, database);
            return true;
        }

        parsed = new SqlEndpoint(SqlEngine.Other, endpoint, null, 0, null);
        return true;
    }

    private static bool IsSafeRelativePath(string path) =>
        path.Length is > 0 and <= 512
        && !path.StartsWith('/')
        && !path.Contains('\\', StringComparison.Ordinal)
        && !path.Contains(':', StringComparison.Ordinal)
        && !path.Any(char.IsControl)
        && path.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != "..");
}

/// <summary>The entity and relationship type names the SQL scanner writes (Atlas-style, one family per engine).</summary>
public static class SqlRelationshipTypes
{
    /// <summary>A foreign key, from the referencing table to the referenced one (one per pair of tables).</summary>
    public const string ForeignKey = "rdbms_foreign_key";
}
