using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Purview.Testing;

/// <summary>
/// A throwaway PostgreSQL server (initdb + pg_ctl from the Debian <c>postgresql</c> package) in a temporary directory on
/// a free port: the superuser signs in over the Unix socket without a password, TCP (127.0.0.1 only) needs one. As root it runs as the <c>postgres</c> user (the server refuses
/// root). <see cref="Unavailable"/> says why it cannot start here, for tests to skip with that reason.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asPostgresUser;

    private PostgresServer(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>Null when the binaries are installed; otherwise the reason a PostgreSQL test cannot run.</summary>
    public static string? Unavailable { get; } = FindBin() is null
        ? "PostgreSQL binaries (initdb, pg_ctl) are not installed: apt-get install postgresql to run this test."
        : null;

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(Unavailable);
        var dir = Path.Combine(Path.GetTempPath(), "purview-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var asPostgres = Environment.UserName == "root";
        var server = new PostgresServer(bin, dir, FreePort(), asPostgres);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres", dir], false);
        }

        await server.RunToolAsync("initdb", ["-D", Path.Combine(dir, "data"), "--auth-local=trust", "--auth-host=scram-sha-256", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        await server.RunToolAsync("pg_ctl", ["-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
            "-o", $"-p {server.Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);
        return server;
    }

    /// <summary>The superuser, over the server's Unix socket (trusted); TCP on 127.0.0.1 asks for a password.</summary>
    public string ConnectionString(string database = "postgres") => $"Host={_dir};Port={Port};Username=postgres;Database={database};Pooling=false";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunToolAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private Task RunToolAsync(string tool, string[] args) => RunAsync(Path.Combine(_bin, tool), args, _asPostgresUser);

    private static async Task RunAsync(string file, string[] args, bool asPostgresUser)
    {
        var start = new ProcessStartInfo(asPostgresUser ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgresUser)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stdout} {await stderr}");
    }

    private static string? FindBin()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : []);
        return candidates.FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A fact that runs only where <see cref="PostgresServer"/> can start, and otherwise reports itself skipped with the reason.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
