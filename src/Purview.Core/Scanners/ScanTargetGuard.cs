using System.Net;
using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Registry;

namespace Purview.Core.Scanners;

/// <summary>Resolves host names to addresses (DNS); the guard judges every address a name has.</summary>
public interface IHostResolver
{
    /// <summary>The addresses of <paramref name="host"/>; empty when it does not resolve.</summary>
    Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>
/// Who may send which secret where (docs/SECURITY.md). Applied when a data source or scan is registered (errors as
/// values) and again before a scan connects (<see cref="CheckRunAsync"/> throws <see cref="ScanFailedException"/>),
/// because a registration can outlive a change of DNS, of a credential's scope or of the configuration:
/// <list type="bullet">
/// <item>the outbound policy: no link-local, metadata, loopback or private address unless configured; https and
/// PostgreSQL TLS outside Development;</item>
/// <item>the app's own storage account, and denied accounts, are never scanned;</item>
/// <item>managed-identity scans reach only the endpoints the operator allowed;</item>
/// <item>a credential serves only the collections and endpoints of its scope.</item>
/// </list>
/// </summary>
public sealed class ScanTargetGuard(ScanTargetOptions options, IHostResolver resolver, AccessOptions access)
{
    /// <summary>The app's own blob endpoint (set by the host's registration).</summary>
    public Uri? OwnBlobEndpoint { get; init; }

    public ScanTargetOptions Options => options;

    /// <summary>Null when a source of <paramref name="kind"/> may be registered at <paramref name="endpoint"/>; else a 400 on <c>properties.endpoint</c>.</summary>
    public async Task<Error?> CheckEndpointAsync(string kind, string endpoint, CancellationToken cancellationToken)
    {
        var refusal = await EndpointRefusalAsync(kind, endpoint, atRunTime: false, cancellationToken);
        return refusal is null ? null : new Error(ErrorKind.Validation, "EndpointNotAllowed", refusal, [new ValidationError("properties.endpoint", refusal)]);
    }

    /// <summary>
    /// Null when a scan of <paramref name="dataSource"/> may use <paramref name="credential"/>; else a 403. Managed-identity
    /// scans are registered freely (nothing is sent at registration) and checked when they run.
    /// </summary>
    public Error? CheckScan(DataSource dataSource, CredentialInfo? credential)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var refusal = credential is null
            ? null
            : ScanTargetRules.CredentialRefusal(credential.Name, credential.Scope, dataSource.CollectionName, access.RootCollection, ScanTargetAddress.Of(dataSource.Kind, dataSource.Endpoint));
        return refusal is null ? null : new Error(ErrorKind.Forbidden, "CredentialNotAllowed", refusal, []);
    }

    /// <summary>The same checks before a scan connects: a refusal fails the run at once with a clear code.</summary>
    public async Task CheckRunAsync(ScanPageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataSource = request.DataSource;
        if (await EndpointRefusalAsync(dataSource.Kind, dataSource.Endpoint, atRunTime: true, cancellationToken) is { } endpoint)
        {
            throw new ScanFailedException("EndpointNotAllowed", endpoint);
        }

        if (request.Credential is { } credential)
        {
            if (ScanTargetRules.CredentialRefusal(credential.Name, credential.Scope, dataSource.CollectionName, access.RootCollection, ScanTargetAddress.Of(dataSource.Kind, dataSource.Endpoint)) is { } refusal)
            {
                throw new ScanFailedException("CredentialNotAllowed", refusal);
            }
        }
        else if (request.Scan.UsesManagedIdentity && DataSourceKinds.HasUrlEndpoint(dataSource.Kind))
        {
            var target = ScanTargetAddress.Of(dataSource.Kind, dataSource.Endpoint);
            var addresses = target is null ? [] : await AddressesAsync(target.Host, cancellationToken);
            if (ManagedIdentityRefusal(dataSource, addresses) is { } refusal)
            {
                throw new ScanFailedException("ManagedIdentityNotAllowed", refusal);
            }
        }
    }

    /// <summary>Null when the scanner may open a connection to <paramref name="address"/> for <paramref name="host"/> (checked at connect time, so DNS cannot change the answer after the check).</summary>
    public string? ConnectRefusal(string host, IPAddress address) => ScanTargetRules.OutboundRefusal(host, address, options);

    private async Task<string?> EndpointRefusalAsync(string kind, string endpoint, bool atRunTime, CancellationToken cancellationToken)
    {
        var target = ScanTargetAddress.Of(kind, endpoint);
        if (target is null)
        {
            return null;
        }

        if (options.RequireTls && target.IsHttp && target.Scheme != "https")
        {
            return $"The endpoint must use https: scans send keys, SAS tokens or the app's identity to it (http is accepted in Development only).";
        }

        var addresses = await AddressesAsync(target.Host, cancellationToken);
        if (target.IsHttp && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && OwnOrDeniedAccount(uri, addresses) is { } own)
        {
            return own;
        }

        if (ScanTargetRules.ClassifyName(target.Host) is { } named && ScanTargetRules.OutboundRefusal(target.Host, named == AddressRange.Loopback ? IPAddress.Loopback : IPAddress.Parse("169.254.169.254"), options) is { } byName)
        {
            return byName;
        }

        if (addresses.Count == 0)
        {
            // A name that does not resolve now may resolve later: registration accepts it, the scan checks again when it connects.
            return atRunTime && !target.IsHttp ? $"{target.Host} does not resolve." : null;
        }

        return addresses.Select(a => ScanTargetRules.OutboundRefusal(target.Host, a, options)).FirstOrDefault(r => r is not null);
    }

    private string? OwnOrDeniedAccount(Uri endpoint, IReadOnlyList<IPAddress> addresses)
    {
        var identity = ScanTargetRules.AccountIdentity(endpoint, addresses);
        if (OwnBlobEndpoint is { } own && ScanTargetRules.AccountIdentity(own) == identity)
        {
            return "The endpoint is the app's own storage account (its keys, staging data and logs): it is never scanned.";
        }

        return options.DeniedAccounts.Any(d => ScanTargetRules.AccountIdentity(d) == identity)
            ? "The endpoint's storage account is on the deny list (Scanning:Targets:DeniedAccounts): it is never scanned."
            : null;
    }

    private string? ManagedIdentityRefusal(DataSource dataSource, IReadOnlyList<IPAddress> addresses)
    {
        var target = ScanTargetAddress.Of(dataSource.Kind, dataSource.Endpoint);
        if (target is null)
        {
            return null;
        }

        var endpoint = dataSource.Endpoint.TrimEnd('/') + "/";
        var allowed = options.ManagedIdentityEndpoints.Count > 0
            ? options.ManagedIdentityEndpoints.Any(e => Uri.TryCreate(e, UriKind.Absolute, out _)
                ? endpoint.StartsWith(e.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase)
                : string.Equals(e, target.Host, StringComparison.OrdinalIgnoreCase))
            : options.Development && (ScanTargetRules.ClassifyName(target.Host) == AddressRange.Loopback
                                      || (IPAddress.TryParse(target.Host, out var ip) && ScanTargetRules.Classify(ip) == AddressRange.Loopback)
                                      || (addresses.Count > 0 && addresses.All(a => ScanTargetRules.Classify(a) == AddressRange.Loopback)));
        return allowed
            ? null
            : $"Managed-identity scans reach only the endpoints an operator allowed (Scanning:Targets:ManagedIdentityEndpoints); {endpoint} is not one: use a credential, or ask for it to be allowed.";
    }

    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return [literal];
        }

        try
        {
            return await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or ArgumentException)
        {
            return [];
        }
    }
}
