using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Purview.Core.Registry;

namespace Purview.Core.Scanners;

/// <summary>What kind of network an address belongs to, for the outbound policy.</summary>
public enum AddressRange
{
    Public,
    Loopback,
    Private,
    LinkLocal,
    Metadata,
    Unspecified,
    Multicast,
    Reserved,
}

/// <summary>Where a data source sends its scan: scheme, host, port and path of the registered endpoint.</summary>
public sealed record ScanTargetAddress(string Scheme, string Host, int Port, string Path)
{
    public bool IsHttp => Scheme is "http" or "https";

    /// <summary>The network target of a data source; null for sources scanned without a network call (SQLite files, unsupported targets).</summary>
    public static ScanTargetAddress? Of(string kind, string endpoint)
    {
        if (DataSourceKinds.HasUrlEndpoint(kind))
        {
            return Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
                ? new ScanTargetAddress(uri.Scheme.ToLowerInvariant(), uri.IdnHost.ToLowerInvariant().Trim('[', ']'), uri.Port, uri.AbsolutePath)
                : null;
        }

        return SqlEndpoint.TryParse(endpoint, out var sql, out _) && sql!.Engine == SqlEngine.PostgreSql
            ? new ScanTargetAddress("postgresql", sql.Host!.ToLowerInvariant().Trim('[', ']'), sql.Port, "/" + sql.Database)
            : null;
    }
}

/// <summary>
/// The pure rules of scan targets: address ranges, the outbound policy, credential scopes and storage account identity.
/// <see cref="ScanTargetGuard"/> applies them with DNS answers, at registration and when a scan connects.
/// </summary>
public static partial class ScanTargetRules
{
    // Names that always mean this machine or a cloud metadata service, whatever DNS says.
    private static readonly string[] MetadataNames = ["metadata", "metadata.google.internal", "metadata.azure.internal", "instance-data", "instance-data.ec2.internal"];

    /// <summary>The range of an address (IPv4-mapped IPv6 addresses are judged as their IPv4 address).</summary>
    public static AddressRange Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b switch
            {
                [169, 254, 169, 254] or [168, 63, 129, 16] or [100, 100, 100, 200] => AddressRange.Metadata, // cloud metadata / Azure host agent
                [0, ..] => AddressRange.Unspecified,
                [127, ..] => AddressRange.Loopback,
                [10, ..] or [192, 168, ..] => AddressRange.Private,
                [172, var x, ..] when x is >= 16 and <= 31 => AddressRange.Private,
                [100, var x, ..] when x is >= 64 and <= 127 => AddressRange.Private, // carrier-grade NAT
                [169, 254, ..] => AddressRange.LinkLocal,
                [var x, ..] when x is >= 224 and <= 239 => AddressRange.Multicast,
                [var x, ..] when x >= 240 => AddressRange.Reserved,
                _ => AddressRange.Public,
            };
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return AddressRange.Loopback;
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return AddressRange.Unspecified;
        }

        var v6 = address.GetAddressBytes();
        return v6[0] switch
        {
            0xfd when v6[1] == 0x00 && v6[2] == 0x0e && v6[3] == 0xc2 => AddressRange.Metadata, // fd00:ec2::/32
            0xfc or 0xfd => AddressRange.Private,
            0xfe when (v6[1] & 0xc0) == 0x80 => AddressRange.LinkLocal,
            0xff => AddressRange.Multicast,
            _ when address.IsIPv6SiteLocal => AddressRange.Private,
            _ => AddressRange.Public,
        };
    }

    /// <summary>Whether a host name always denotes this machine or a metadata service (checked before any DNS answer).</summary>
    public static AddressRange? ClassifyName(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.').ToLowerInvariant();
        if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return AddressRange.Loopback;
        }

        return MetadataNames.Contains(name) ? AddressRange.Metadata : null;
    }

    /// <summary>Null when the policy lets a scan reach <paramref name="host"/> at <paramref name="address"/>; else why not.</summary>
    public static string? OutboundRefusal(string host, IPAddress address, ScanTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (IsAllowedHost(host, address, options))
        {
            return null;
        }

        var range = ClassifyName(host) is { } named && named != AddressRange.Public ? named : Classify(address);
        return range switch
        {
            AddressRange.Public => null,
            AddressRange.Loopback when options.AllowLoopback => null,
            AddressRange.Private when options.AllowPrivateNetworks => null,
            AddressRange.Loopback => $"{host} is this machine (loopback); scans may not reach it unless Scanning:Targets:AllowLoopback is set.",
            AddressRange.Private => $"{host} is in a private network; scans may not reach it unless Scanning:Targets:AllowPrivateNetworks or Scanning:Targets:AllowedHosts allows it.",
            AddressRange.Metadata => $"{host} is a cloud metadata service; scans never reach it.",
            AddressRange.LinkLocal => $"{host} is a link-local address; scans never reach it unless Scanning:Targets:AllowedHosts names it.",
            _ => $"{host} is not a routable unicast address.",
        };
    }

    /// <summary>
    /// Null when <paramref name="scope"/> lets a source in <paramref name="collection"/> at <paramref name="target"/> use the
    /// credential; else why not. The root collection may always use it (its admins could have created it); any other
    /// collection must be listed, and then the endpoint too.
    /// </summary>
    public static string? CredentialRefusal(string credentialName, CredentialScope scope, string collection, string rootCollection, ScanTargetAddress? target)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var inRoot = string.Equals(collection, rootCollection, StringComparison.OrdinalIgnoreCase);
        if (!inRoot && !scope.Collections.Contains(collection, StringComparer.OrdinalIgnoreCase))
        {
            return scope.Collections.Count == 0
                ? $"The credential '{credentialName}' serves only sources in the root collection ('{rootCollection}'); a root admin may list '{collection}' in its allowedCollections (with its allowedEndpoints)."
                : $"The credential '{credentialName}' may not be used by sources in collection '{collection}' (allowedCollections).";
        }

        if (target is not null && (scope.Endpoints.Count > 0 || !inRoot) && !scope.Endpoints.Any(e => EndpointMatches(e, target)))
        {
            return $"The credential '{credentialName}' may not be sent to {target.Host}:{target.Port} (allowedEndpoints).";
        }

        return null;
    }

    /// <summary>Null when an allowedEndpoints entry is well formed: host, host:port, or host[:port]/path, without scheme or wildcard.</summary>
    public static string? ValidateEndpointEntry(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || entry.Length > 512 || entry.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || entry.Contains("://", StringComparison.Ordinal) || entry.Contains('*', StringComparison.Ordinal)
            || ParseEntry(entry) is null)
        {
            return "An allowed endpoint is a host name or address, optionally with :port and /path (an account of a path-style endpoint), e.g. contoso.blob.core.windows.net or pg.contoso.com:5432.";
        }

        return null;
    }

    /// <summary>Whether an entry (host, host:port, host[:port]/path) covers the target.</summary>
    public static bool EndpointMatches(string entry, ScanTargetAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (ParseEntry(entry) is not var (host, port, path))
        {
            return false;
        }

        return string.Equals(host, target.Host, StringComparison.OrdinalIgnoreCase)
               && (port is null || port == target.Port)
               && (path is null || target.Path.StartsWith(path, StringComparison.OrdinalIgnoreCase) && (target.Path.Length == path.Length || path.EndsWith('/') || target.Path[path.Length] == '/'));
    }

    /// <summary>
    /// The identity of the storage account behind a blob or ADLS endpoint: the account name of a virtual-host endpoint
    /// (<c>{account}.blob.core.windows.net</c>, any cloud, private link too), or host, port and first path segment of a
    /// path-style one (emulators), with loopback hosts (by name or by <paramref name="addresses"/>) counted as one host.
    /// </summary>
    public static string AccountIdentity(Uri endpoint, IReadOnlyList<IPAddress>? addresses = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.IdnHost.ToLowerInvariant().Trim('[', ']');
        if (VirtualHostAccount().Match(host) is { Success: true } m)
        {
            return "account:" + m.Groups[1].Value;
        }

        var loopback = ClassifyName(host) == AddressRange.Loopback
                       || (IPAddress.TryParse(host, out var ip) && Classify(ip) == AddressRange.Loopback)
                       || (addresses is { Count: > 0 } && addresses.Any(a => Classify(a) == AddressRange.Loopback));
        var segment = endpoint.AbsolutePath.Trim('/').Split('/')[0].ToLowerInvariant();
        return $"path:{(loopback ? "loopback" : host)}:{endpoint.Port}/{segment}";
    }

    /// <summary>The identity of a deny-list entry: an account name, or a blob endpoint URL.</summary>
    public static string AccountIdentity(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Uri.TryCreate(entry, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? AccountIdentity(uri)
            : "account:" + entry.Trim().ToLowerInvariant();
    }

    private static bool IsAllowedHost(string host, IPAddress address, ScanTargetOptions options)
    {
        foreach (var entry in options.AllowedHosts)
        {
            if (string.Equals(entry, host, StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(entry, out var ip) && ip.Equals(address))
                || (entry.Contains('/', StringComparison.Ordinal) && IPNetwork.TryParse(entry, out var network) && network.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
            {
                return true;
            }
        }

        return false;
    }

    private static (string Host, int? Port, string? Path)? ParseEntry(string entry)
    {
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? entry : entry[..slash];
        var path = slash < 0 ? null : entry[slash..];
        if (!Uri.TryCreate("scheme://" + authority, UriKind.Absolute, out var uri) || uri.IdnHost.Length == 0 || uri.AbsolutePath != "/" || uri.UserInfo.Length > 0)
        {
            return null;
        }

        var explicitPort = authority.LastIndexOf(':') > authority.LastIndexOf(']');
        return (uri.IdnHost.ToLowerInvariant().Trim('[', ']'), explicitPort ? uri.Port : null, path);
    }

    [GeneratedRegex("^([a-z0-9]{3,24})\\.(?:privatelink\\.)?(?:blob|dfs|file|queue|table|web)\\.", RegexOptions.CultureInvariant)]
    private static partial Regex VirtualHostAccount();
}
