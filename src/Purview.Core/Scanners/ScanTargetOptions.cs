namespace Purview.Core.Scanners;

/// <summary>
/// Where scans may go (<c>Scanning:Targets</c>). Scans send secrets (keys, SAS, passwords, the app's identity) to the
/// endpoint a Data source admin registered, so the endpoint is checked before anything is sent: at registration and
/// again when the scan connects.
/// </summary>
public sealed class ScanTargetOptions
{
    /// <summary>Loopback addresses (127.0.0.0/8, ::1, localhost). Default: true in Development (the local Azurite, test databases), false otherwise.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Private networks (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). Default false.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Host names, IP addresses or CIDR ranges allowed whatever their addresses (e.g. a private PostgreSQL server). Never needed for public hosts.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Blob endpoints must be https and PostgreSQL connections use TLS. Default: false in Development, true otherwise.</summary>
    public bool RequireTls { get; set; } = true;

    /// <summary>
    /// The only endpoints managed-identity (<c>...Msi</c>) scans may reach (blob endpoint URLs or host names), set by the
    /// operator. Empty: none outside Development; in Development, loopback endpoints (Azurite accounts) other than the app's own.
    /// </summary>
    public IList<string> ManagedIdentityEndpoints { get; } = [];

    /// <summary>Storage accounts never scanned, whatever the credential (account names or blob endpoint URLs); the app's own account always is.</summary>
    public IList<string> DeniedAccounts { get; } = [];

    /// <summary>Whether the host runs in Development (set by the registration, not by configuration).</summary>
    public bool Development { get; set; }
}
