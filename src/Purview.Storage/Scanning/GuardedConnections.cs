using System.Net;
using System.Net.Sockets;
using Purview.Core.Scanners;

namespace Purview.Storage.Scanning;

/// <summary>Resolves names with the system's DNS.</summary>
public sealed class DnsHostResolver : IHostResolver
{
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}

/// <summary>
/// The HTTP client scanners use: every connection is checked against the outbound policy at the moment it is opened, to
/// the address it is opened to, so a name that resolved to a public address at registration and to 169.254.169.254 now
/// (DNS rebinding) is still refused. Redirects are not followed.
/// </summary>
public static class GuardedConnections
{
    public static HttpClient CreateHttpClient(ScanTargetGuard guard)
    {
        ArgumentNullException.ThrowIfNull(guard);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host;
                var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
                string? refusal = null;
                foreach (var address in addresses)
                {
                    refusal = guard.ConnectRefusal(host, address);
                    if (refusal is not null)
                    {
                        continue;
                    }

                    var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    try
                    {
                        await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    }
                    catch
                    {
                        socket.Dispose();
                        throw;
                    }
                }

                throw new EndpointRefusedException(refusal ?? $"{host} does not resolve.");
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }
}

/// <summary>The outbound policy refused a connection a scanner was opening.</summary>
public sealed class EndpointRefusedException : Exception
{
    public EndpointRefusedException()
    {
    }

    public EndpointRefusedException(string message)
        : base(message)
    {
    }

    public EndpointRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
