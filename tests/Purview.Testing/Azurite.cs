using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Purview.Storage.Client;

namespace Purview.Testing;

/// <summary>
/// A real Azurite (Blob, Queue, Table) started from node_modules on free loopback ports, in memory by default
/// or persisted to a folder (for restart tests). Disposing it stops the process.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private readonly string? _location;
    private readonly System.Text.StringBuilder _output = new();
    private Process? _process;

    private readonly int? _nodeHeapMb;
    private readonly (string CertPem, string KeyPem)? _oauth;

    private Azurite(string? location, int blobPort, int queuePort, int tablePort, int? nodeHeapMb = null, (string, string)? oauth = null)
    {
        _location = location;
        _nodeHeapMb = nodeHeapMb;
        _oauth = oauth;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public StorageAccount Account => StorageAccount.ForDevelopment("127.0.0.1", BlobPort, QueuePort, TablePort);

    /// <summary>The name of a second account in the same Azurite, holding the data that scans read.</summary>
    public const string ScanAccountName = "scandata";

    /// <summary>
    /// A second account (same emulator, same well-known key, so the app's development identity may sign for it): scans
    /// never read the app's own account, so the data they scan lives here.
    /// </summary>
    public StorageAccount ScanAccount => StorageAccount.Parse(
        $"AccountName={ScanAccountName};AccountKey={StorageAccount.DevelopmentAccountKey};BlobEndpoint=http://127.0.0.1:{BlobPort}/{ScanAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{ScanAccountName};TableEndpoint=http://127.0.0.1:{TablePort}/{ScanAccountName};");

    /// <summary>A connection string that the official SDKs and our host both understand.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageAccount.DevelopmentAccountName};AccountKey={StorageAccount.DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{StorageAccount.DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{StorageAccount.DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{StorageAccount.DevelopmentAccountName};";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts Azurite in memory, or persisted under <paramref name="location"/> when given.</summary>
    public static async Task<Azurite> StartAsync(string? location = null, CancellationToken cancellationToken = default)
    {
        var ports = FreePorts(3);
        var azurite = new Azurite(location, ports[0], ports[1], ports[2]);
        await azurite.StartProcessAsync(cancellationToken);
        return azurite;
    }

    /// <summary>
    /// Starts Azurite in memory over HTTPS (the certificate and key PEM files given) with OAuth at its "basic" level: bearer
    /// tokens are checked for issuer, audience and lifetime, not signature - as far as an emulator can stand in for Entra ID.
    /// </summary>
    public static async Task<Azurite> StartWithOAuthAsync(string certPemPath, string keyPemPath, CancellationToken cancellationToken = default)
    {
        var ports = FreePorts(3);
        var azurite = new Azurite(null, ports[0], ports[1], ports[2], null, (certPemPath, keyPemPath));
        await azurite.StartProcessAsync(cancellationToken);
        return azurite;
    }

    /// <summary>
    /// Starts Azurite in memory with a larger Node heap (<paramref name="nodeHeapMb"/>): an in-memory Azurite keeps every
    /// row in the JavaScript heap, and Node's default limit (about 4 GB here) is too small for millions of rows.
    /// </summary>
    public static async Task<Azurite> StartLargeAsync(int nodeHeapMb, CancellationToken cancellationToken = default)
    {
        var ports = FreePorts(3);
        var azurite = new Azurite(null, ports[0], ports[1], ports[2], nodeHeapMb);
        await azurite.StartProcessAsync(cancellationToken);
        return azurite;
    }

    /// <summary>Stops the process (kill) and starts it again on the same ports; only meaningful when persisted.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        await StartProcessAsync(cancellationToken);
    }

    /// <summary>
    /// Stops Azurite the way an operator would (SIGTERM), so that it saves its persisted state first; a SIGKILL loses
    /// the writes of its last few seconds, which are kept in memory between autosaves. Falls back to a kill after 15 s.
    /// </summary>
    public async Task StopGracefullyAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false } p)
        {
            using (var term = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(cancellationToken);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            try
            {
                await p.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        Stop();
    }

    /// <summary>Starts a stopped Azurite again on the same ports (persisted data is kept when it has a location).</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => StartProcessAsync(cancellationToken);

    public void Stop()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepoPaths.NodeModules, "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed at {script}: run 'npm ci' at the repository root (./test.sh does).");
        }

        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        if (_nodeHeapMb is { } heap)
        {
            psi.ArgumentList.Add($"--max-old-space-size={heap}");
        }

        psi.Environment["AZURITE_ACCOUNTS"] = $"{StorageAccount.DevelopmentAccountName}:{StorageAccount.DevelopmentAccountKey};{ScanAccountName}:{StorageAccount.DevelopmentAccountKey}";
        psi.ArgumentList.Add(script);
        foreach (var arg in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(), "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                     "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(), "--disableTelemetry", "--skipApiVersionCheck", "--silent", "--loose",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        if (_oauth is { } oauth)
        {
            foreach (var arg in new[] { "--oauth", "basic", "--cert", oauth.CertPem, "--key", oauth.KeyPem })
            {
                psi.ArgumentList.Add(arg);
            }
        }

        if (_location is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(_location);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(_location);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node for Azurite.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await AnswersAsync(port, cancellationToken))
            {
                if (process.HasExited || DateTime.UtcNow > deadline)
                {
                    string log;
                    lock (_output)
                    {
                        log = _output.ToString();
                    }

                    Stop();
                    throw new InvalidOperationException($"Azurite did not start on port {port} (exited: {process.HasExited}). Output:\n{log}");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
    }

    private static async Task<bool> AnswersAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        foreach (var l in listeners)
        {
            l.Start();
        }

        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners)
        {
            l.Stop();
        }

        return ports;
    }
}
