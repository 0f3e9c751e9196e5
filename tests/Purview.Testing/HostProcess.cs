using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Purview.Api.Identity;

namespace Purview.Testing;

/// <summary>
/// The local host as a real operating-system process (the built Purview.LocalHost.dll) over a given Azurite, on a free
/// loopback port, so that fault tests can kill it with SIGKILL in the middle of its work and start another one on the
/// same storage. Every instance started with the same <see cref="HostProcessOptions"/> shares tables, queues and the
/// development signing key.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private HostProcess(Process process, int port, HostProcessOptions options)
    {
        _process = process;
        Port = port;
        Options = options;
    }

    public int Port { get; }

    public HostProcessOptions Options { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public bool HasExited => _process.HasExited;

    /// <summary>The host process's current working set (resident memory), in bytes.</summary>
    public long WorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>The host process's peak resident memory since it started (VmHWM on Linux), in bytes.</summary>
    public long PeakWorkingSetBytes
    {
        get
        {
            _process.Refresh();
            return _process.PeakWorkingSet64;
        }
    }

    /// <summary>What the process printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<HostProcess> StartAsync(HostProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var dll = LocalHostDll();
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["urls"] = $"http://127.0.0.1:{port}";
        psi.Environment["LocalSettingsPath"] = "none";
        psi.Environment["AzureWebJobsStorage"] = options.StorageConnectionString;
        psi.Environment["Storage__Prefix"] = options.StoragePrefix;
        psi.Environment["Identity__Development__KeyPath"] = options.KeyPath;
        psi.Environment["RateLimiting__PermitsPerSecond"] = "100000";
        // The host runs from its bin folder: point it at the dashboard ./test.sh built in the repository.
        psi.Environment["Web__Root"] = Path.Combine(RepoPaths.Root, "src", "Purview.Web", "dist");
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in options.Settings)
        {
            psi.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start dotnet for the local host.");
        var host = new HostProcess(process, port, options);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var output = host.Output;
                host.Kill();
                throw new InvalidOperationException($"The local host did not become healthy on port {port} (exited: {process.HasExited}). Output:\n{output}");
            }

            try
            {
                using var response = await probe.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A client of this host authenticated as <paramref name="principal"/> with a development token.</summary>
    public HttpClient Client(string principal = "admin")
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Options.Token(principal));
        return client;
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything it is doing.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the tail only: a long run logs a lot and only the end explains a failure.
            if (_output.Length > 200_000)
            {
                _output.Remove(0, 100_000);
            }

            _output.AppendLine(line);
        }
    }

    private static string LocalHostDll()
    {
        // The same configuration as the tests themselves (./test.sh builds Release).
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(RepoPaths.Root, "src", "Purview.LocalHost", "bin", configuration, "net10.0", "Purview.LocalHost.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"The local host is not built at {dll}: build Purview.Local.slnf -c {configuration} first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>What host processes of one test share: storage, prefix, signing key, and extra settings (<c>Section:Key</c>).</summary>
public sealed record HostProcessOptions(string StorageConnectionString, string StoragePrefix, string KeyPath, IReadOnlyDictionary<string, string> Settings)
{
    public static HostProcessOptions For(Azurite azurite, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var folder = Path.Combine(Path.GetTempPath(), "purview-tests", Guid.NewGuid().ToString("N"));
        return new HostProcessOptions(azurite.ConnectionString, "f" + Guid.NewGuid().ToString("N")[..8], Path.Combine(folder, "devtoken.key"), settings ?? new Dictionary<string, string>());
    }

    /// <summary>A development token the hosts accept (signed with the shared key file, created on first use).</summary>
    public string Token(string principal) =>
        new DevelopmentTokenIssuer(new DevelopmentSigningKey(KeyPath), TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new PurviewIdentityOptions())).Issue(principal);
}
