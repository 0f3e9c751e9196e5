using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Purview.Api.Tests.Scanning;

/// <summary>
/// A TCP listener on loopback standing in for an attacker's endpoint: it records every byte it receives. With
/// <see cref="PostgresCleartext"/> it plays a PostgreSQL server that refuses TLS and asks for the password in clear text.
/// </summary>
public sealed class HostileListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _received = new();
    private readonly Task _loop;
    private int _connections;

    public HostileListener(bool postgresCleartext = false)
    {
        PostgresCleartext = postgresCleartext;
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public bool PostgresCleartext { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public string Received
    {
        get
        {
            lock (_received)
            {
                return Encoding.Latin1.GetString(_received.ToArray());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        await _received.DisposeAsync();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[8192];
        try
        {
            if (PostgresCleartext)
            {
                // SSLRequest (8 bytes) -> 'N' (no TLS); startup message -> AuthenticationCleartextPassword; then whatever comes.
                var first = await ReadAsync(stream, buffer);
                if (first >= 8 && buffer[4] == 0x04 && buffer[5] == 0xd2)
                {
                    await stream.WriteAsync("N"u8.ToArray(), _stop.Token);
                    await ReadAsync(stream, buffer);
                }

                await stream.WriteAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 3 }, _stop.Token);
            }
            else
            {
                await ReadAsync(stream, buffer);
                await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 21\r\nConnection: close\r\n\r\n<html>go away</html>\n"u8.ToArray(), _stop.Token);
            }

            while (await ReadAsync(stream, buffer) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<int> ReadAsync(NetworkStream stream, byte[] buffer)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var n = await stream.ReadAsync(buffer, timeout.Token);
        lock (_received)
        {
            _received.Write(buffer, 0, n);
        }

        return n;
    }
}
