using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Purview.Core.Registry;
using Purview.Core.Scanners;

namespace Purview.Storage.Scanning;

/// <summary>Where the SQL scanner may read: SQLite sources name files relative to <see cref="SqliteRoot"/> (<c>Scanning:SqliteRoot</c>).</summary>
public sealed class SqlScanningOptions
{
    /// <summary>The directory holding the SQLite files that <c>sqlite:</c> endpoints name; unset: SQLite scans fail.</summary>
    public string? SqliteRoot { get; set; }

    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Scans a <c>SqlDatabase</c> source (see <see cref="SqlEndpoint"/>): every table and view becomes an asset with its
/// columns as schema, up to <see cref="SampleRows"/> rows are sampled for classification, and each foreign key becomes a
/// relationship from the referencing table to the referenced one. Objects are listed in ordinal order of
/// <c>schema.name</c> and the continuation token is the last object listed, so a page is resumable and repeatable.
/// Qualified names: <c>sqlite://{path}/{table}</c> and <c>postgresql://{host}:{port}/{database}/{schema}/{table}</c>.
/// </summary>
public sealed class SqlDatabaseScanner(SqlScanningOptions options, ScanTargetGuard guard) : IScanner
{
    public const int SampleRows = 128;

    /// <summary>Longer sampled values are cut: a classifier needs the pattern, not the whole document.</summary>
    public const int MaxSampledValueLength = 1024;

    public bool CanScan(string dataSourceKind) => string.Equals(dataSourceKind, DataSourceKinds.SqlDatabase, StringComparison.OrdinalIgnoreCase);

    public async Task<ScanPageResult> ScanAsync(ScanPageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!SqlEndpoint.TryParse(request.DataSource.Endpoint, out var endpoint, out var error))
        {
            throw new ScanFailedException("EndpointInvalid", error!);
        }

        if (endpoint!.Engine == SqlEngine.PostgreSql)
        {
            // Before a password leaves: the server must be allowed, and the credential's scope must cover it.
            await guard.CheckRunAsync(request, cancellationToken);
        }

        SqlDialect dialect = endpoint.Engine switch
        {
            SqlEngine.Sqlite => Sqlite(endpoint),
            SqlEngine.PostgreSql => Postgres(endpoint, request.Credential),
            _ => throw new ScanFailedException("UnsupportedEndpoint",
                $"The endpoint '{endpoint.Target}' is registered but cannot be scanned: scanned SQL endpoints are sqlite:{{path}} and postgresql://host[:port]/database."),
        };

        try
        {
            await using var connection = dialect.Open();
            await connection.OpenAsync(cancellationToken);
            var objects = (await dialect.ListObjectsAsync(connection, cancellationToken))
                .Select(o => o with { QualifiedName = dialect.QualifiedName(o) })
                .Where(o => request.Filter.Includes(o.QualifiedName))
                .OrderBy(o => o.Key, StringComparer.Ordinal)
                .ToList();
            var included = objects.ToDictionary(o => o.Key, StringComparer.Ordinal);
            var page = objects.Where(o => request.ContinuationToken is null || string.CompareOrdinal(o.Key, request.ContinuationToken) > 0)
                .Take(Math.Clamp(request.PageSize, 1, 1000))
                .ToList();
            var assets = new List<DiscoveredAsset>(page.Count);
            var relationships = new List<DiscoveredRelationship>();
            foreach (var o in page)
            {
                var columns = await dialect.ListColumnsAsync(connection, o, cancellationToken);
                var sample = await SampleAsync(connection, dialect, o, columns, cancellationToken);
                assets.Add(new DiscoveredAsset(o.QualifiedName, o.Name, dialect.TypeName(o), 0, null, dialect.Path(o))
                {
                    Columns = columns.Select(c => new AssetColumn(c.Name, c.DataType, [])).ToList(),
                    Sample = sample,
                });
                if (o.IsView)
                {
                    continue;
                }

                foreach (var target in (await dialect.ListReferencedTablesAsync(connection, o, cancellationToken)).Distinct())
                {
                    // Both ends must be in scope, or the relationship would point at an entity this scan never writes.
                    if (included.TryGetValue(target.Key, out var referenced) && !referenced.IsView)
                    {
                        relationships.Add(new DiscoveredRelationship(SqlRelationshipTypes.ForeignKey, o.QualifiedName, referenced.QualifiedName)
                        {
                            FromTypeName = dialect.TypeName(o),
                            ToTypeName = dialect.TypeName(referenced),
                        });
                    }
                }
            }

            var more = page.Count > 0 && !ReferenceEquals(page[^1], objects[^1]);
            return new ScanPageResult(assets, more ? page[^1].Key : null) { Relationships = relationships };
        }
        catch (SqliteException ex)
        {
            throw new ScanFailedException("SourceUnreadable", $"The SQLite file '{endpoint.Target}' cannot be read: {ex.Message}", ex);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("28", StringComparison.Ordinal))
        {
            throw new ScanFailedException("SourceAccessDenied", $"The PostgreSQL server refused the scan's credential for {endpoint.Target}: {ex.MessageText}", ex);
        }
        catch (PostgresException ex) when (ex.SqlState == "3D000")
        {
            throw new ScanFailedException("SourceNotFound", $"The database of {endpoint.Target} does not exist: {ex.MessageText}", ex);
        }
        catch (NpgsqlException ex) when (ex is not PostgresException)
        {
            throw new ScanFailedException("SourceUnreachable", $"The PostgreSQL server of {endpoint.Target} cannot be reached, or refused TLS.", ex);
        }
    }

    private static async Task<AssetSample> SampleAsync(DbConnection connection, SqlDialect dialect, SqlObject o, IReadOnlyList<SqlColumn> columns, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {dialect.Quote(o)} LIMIT {SampleRows}";
        var values = columns.Select(_ => new List<string?>()).ToList();
        long bytes = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var width = Math.Min(reader.FieldCount, columns.Count);
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < width; i++)
            {
                var text = Text(reader.IsDBNull(i) ? null : reader.GetValue(i));
                bytes += text?.Length ?? 0;
                values[i].Add(text);
            }
        }

        return new AssetSample(columns.Select((c, i) => new SampledColumn(c.Name, c.DataType, values[i])).ToList(), bytes);
    }

    /// <summary>Text for a classifier; binary values are not sampled (null), long values are cut.</summary>
    private static string? Text(object? value)
    {
        var text = value switch
        {
            null or byte[] => null,
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return text is { Length: > MaxSampledValueLength } ? text[..MaxSampledValueLength] : text;
    }

    private SqliteDialect Sqlite(SqlEndpoint endpoint)
    {
        if (string.IsNullOrEmpty(options.SqliteRoot))
        {
            throw new ScanFailedException("SqliteRootNotConfigured", "This host has no Scanning:SqliteRoot directory, so it scans no SQLite files.");
        }

        var root = Path.GetFullPath(options.SqliteRoot);
        var full = Path.GetFullPath(Path.Combine(root, endpoint.Target));
        // The endpoint was checked for '..' at registration; resolving again guards against links and odd spellings.
        if (!full.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ScanFailedException("EndpointInvalid", $"The SQLite path '{endpoint.Target}' leaves the scanning root.");
        }

        // Path.GetFullPath does not resolve links: a link below the root could lead anywhere, so none is followed.
        var walked = Path.TrimEndingDirectorySeparator(root);
        foreach (var segment in endpoint.Target.Split('/'))
        {
            walked = Path.Combine(walked, segment);
            FileSystemInfo info = Directory.Exists(walked) ? new DirectoryInfo(walked) : new FileInfo(walked);
            if (info.Exists && info.LinkTarget is not null)
            {
                throw new ScanFailedException("EndpointInvalid", $"The SQLite path '{endpoint.Target}' goes through a symbolic link; links under the scanning root are not followed.");
            }
        }

        if (!File.Exists(full))
        {
            throw new ScanFailedException("SourceNotFound", $"There is no SQLite file '{endpoint.Target}' under the scanning root.");
        }

        return new SqliteDialect(endpoint.Target, full, options.CommandTimeout);
    }

    private PostgresDialect Postgres(SqlEndpoint endpoint, CredentialSecret? credential)
    {
        NpgsqlConnectionStringBuilder builder;
        credential?.EnsureSecret();
        switch (credential?.Type)
        {
            case CredentialType.SqlAuth:
                builder = new NpgsqlConnectionStringBuilder { Username = credential.UserName, Password = credential.Secret };
                break;
            case CredentialType.ConnectionString:
                try
                {
                    builder = new NpgsqlConnectionStringBuilder(credential.Secret);
                }
                catch (ArgumentException ex)
                {
                    throw new ScanFailedException("CredentialInvalid", $"The credential '{credential.Name}' is not a PostgreSQL connection string: {ex.Message}", ex);
                }

                break;
            default:
                throw new ScanFailedException("CredentialRequired", "A PostgreSQL source is scanned with a SqlAuth or ConnectionString credential (scan kind SqlDatabaseCredential).");
        }

        // The registered endpoint decides where the scan goes; a credential cannot point it elsewhere.
        builder.Host = endpoint.Host;
        builder.Port = endpoint.Port;
        builder.Database = endpoint.Database;
        builder.Timeout = 15;
        builder.CommandTimeout = (int)options.CommandTimeout.TotalSeconds;
        builder.ApplicationName = "purview-monitor-scanner";
        if (guard.Options.RequireTls && builder.SslMode is SslMode.Disable or SslMode.Allow or SslMode.Prefer)
        {
            // The password must never travel in clear text: a server (or a listener) that does not speak TLS is refused,
            // and its certificate must be valid for the registered host name.
            builder.SslMode = SslMode.VerifyFull;
        }

        return new PostgresDialect(endpoint, builder.ConnectionString);
    }

    private sealed record SqlObject(string Schema, string Name, bool IsView)
    {
        public string Key => Schema + "\u001f" + Name;

        public string QualifiedName { get; init; } = string.Empty;
    }

    private sealed record SqlColumn(string Name, string? DataType);

    private abstract class SqlDialect
    {
        public abstract DbConnection Open();

        public abstract Task<IReadOnlyList<SqlObject>> ListObjectsAsync(DbConnection connection, CancellationToken cancellationToken);

        public abstract Task<IReadOnlyList<SqlColumn>> ListColumnsAsync(DbConnection connection, SqlObject o, CancellationToken cancellationToken);

        /// <summary>The tables this table's foreign keys reference, as keys of <see cref="SqlObject"/> (one per key).</summary>
        public abstract Task<IReadOnlyList<SqlObject>> ListReferencedTablesAsync(DbConnection connection, SqlObject o, CancellationToken cancellationToken);

        public abstract string QualifiedName(SqlObject o);

        public abstract string Path(SqlObject o);

        public abstract string TypeName(SqlObject o);

        public abstract string Quote(SqlObject o);

        protected static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        protected static async Task<List<T>> ReadAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        {
            var list = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                list.Add(map(reader));
            }

            return list;
        }

        protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                command.Parameters.Add(p);
            }

            return command;
        }
    }

    private sealed class SqliteDialect(string relativePath, string fullPath, TimeSpan timeout) : SqlDialect
    {
        public override DbConnection Open() => new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = (int)timeout.TotalSeconds,
        }.ConnectionString);

        public override async Task<IReadOnlyList<SqlObject>> ListObjectsAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, "SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
            return await ReadAsync(command, r => new SqlObject("main", r.GetString(0), r.GetString(1) == "view"), cancellationToken);
        }

        public override async Task<IReadOnlyList<SqlColumn>> ListColumnsAsync(DbConnection connection, SqlObject o, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, "SELECT name, type FROM pragma_table_info($t) ORDER BY cid", ("$t", o.Name));
            return await ReadAsync(command, r => new SqlColumn(r.GetString(0), r.IsDBNull(1) || r.GetString(1).Length == 0 ? null : r.GetString(1)), cancellationToken);
        }

        public override async Task<IReadOnlyList<SqlObject>> ListReferencedTablesAsync(DbConnection connection, SqlObject o, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($t)", ("$t", o.Name));
            return await ReadAsync(command, r => new SqlObject("main", r.GetString(0), false), cancellationToken);
        }

        public override string QualifiedName(SqlObject o) => "sqlite://" + relativePath + "/" + Uri.EscapeDataString(o.Name);

        public override string Path(SqlObject o) => relativePath + "/" + o.Name;

        public override string TypeName(SqlObject o) => o.IsView ? "sqlite_view" : "sqlite_table";

        public override string Quote(SqlObject o) => QuoteIdentifier(o.Name);
    }

    private sealed class PostgresDialect(SqlEndpoint endpoint, string connectionString) : SqlDialect
    {
        public override DbConnection Open() => new NpgsqlConnection(connectionString);

        public override async Task<IReadOnlyList<SqlObject>> ListObjectsAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, """
                SELECT table_schema, table_name, table_type = 'VIEW'
                FROM information_schema.tables
                WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_schema NOT LIKE 'pg\_%'
                  AND table_type IN ('BASE TABLE', 'VIEW')
                """);
            return await ReadAsync(command, r => new SqlObject(r.GetString(0), r.GetString(1), r.GetBoolean(2)), cancellationToken);
        }

        public override async Task<IReadOnlyList<SqlColumn>> ListColumnsAsync(DbConnection connection, SqlObject o, CancellationToken cancellationToken)
        {
            await using var command = Command(connection,
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = @s AND table_name = @t ORDER BY ordinal_position",
                ("s", o.Schema), ("t", o.Name));
            return await ReadAsync(command, r => new SqlColumn(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken);
        }

        public override async Task<IReadOnlyList<SqlObject>> ListReferencedTablesAsync(DbConnection connection, SqlObject o, CancellationToken cancellationToken)
        {
            await using var command = Command(connection, """
                SELECT DISTINCT tn.nspname, t.relname
                FROM pg_constraint c
                JOIN pg_class f ON f.oid = c.conrelid JOIN pg_namespace fn ON fn.oid = f.relnamespace
                JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
                WHERE c.contype = 'f' AND fn.nspname = @s AND f.relname = @t
                """, ("s", o.Schema), ("t", o.Name));
            return await ReadAsync(command, r => new SqlObject(r.GetString(0), r.GetString(1), false), cancellationToken);
        }

        public override string QualifiedName(SqlObject o) => endpoint.Target + "/" + Uri.EscapeDataString(o.Schema) + "/" + Uri.EscapeDataString(o.Name);

        public override string Path(SqlObject o) => o.Schema + "/" + o.Name;

        public override string TypeName(SqlObject o) => o.IsView ? "postgresql_view" : "postgresql_table";

        public override string Quote(SqlObject o) => QuoteIdentifier(o.Schema) + "." + QuoteIdentifier(o.Name);
    }
}
