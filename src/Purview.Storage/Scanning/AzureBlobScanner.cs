using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Purview.Core.Classification;
using Purview.Core.Registry;
using Purview.Core.Scanners;

namespace Purview.Storage.Scanning;

/// <summary>
/// Scans an Azure Blob Storage account (or Azurite): every container, or the ones the filter reaches, a page of blobs
/// at a time. The token is "{container}\n{marker}"; the data source endpoint is the blob service URL as registered,
/// and qualified names are "{endpoint}/{container}/{blob}". Credentials: a stored connection string, account key or
/// SAS token, always sent to the registered endpoint (a connection string's own endpoints are ignored); managed-identity
/// scans sign with the app's own identity, at the endpoints the operator allowed. <see cref="ScanTargetGuard"/> checks the
/// target before each page and every connection when it opens; the app's own account is never scanned.
/// </summary>
public sealed class AzureBlobScanner : IScanner
{
    private readonly ConcurrentDictionary<string, BlobServiceClient> _clients = new(StringComparer.Ordinal);
    private readonly StorageAccount _appAccount;
    private readonly StorageClientOptions _scanOptions;
    private readonly ILoggerFactory _loggers;
    private readonly ScanTargetGuard _guard;

    public AzureBlobScanner(StorageAccount appAccount, ILoggerFactory loggers, ScanTargetGuard guard)
    {
        _appAccount = appAccount;
        _loggers = loggers;
        _guard = guard;
        // A source that does not answer fails the run fast (SourceUnreachable) instead of being retried for minutes.
        _scanOptions = new StorageClientOptions { HttpClient = GuardedConnections.CreateHttpClient(guard) };
        _scanOptions.Retry.MaxRetries = 2;
        _scanOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);
    }

    public bool CanScan(string dataSourceKind) =>
        string.Equals(dataSourceKind, "AzureStorage", StringComparison.OrdinalIgnoreCase)
        || string.Equals(dataSourceKind, "AzureBlobStorage", StringComparison.OrdinalIgnoreCase);

    public async Task<ScanPageResult> ScanAsync(ScanPageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _guard.CheckRunAsync(request, cancellationToken);
        var endpoint = request.DataSource.Endpoint.TrimEnd('/');
        var service = ClientFor(request, endpoint);
        var (container, marker) = ParseToken(request.ContinuationToken);
        try
        {
            if (container is null)
            {
                container = await NextContainerAsync(service, endpoint, request.Filter, after: null, cancellationToken);
                if (container is null)
                {
                    return new ScanPageResult([], null);
                }
            }

            var containerClient = service.GetBlobContainerClient(container);
            var page = await FirstPageAsync(containerClient, marker, Math.Clamp(request.PageSize, 1, 5000), cancellationToken);
            var assets = new List<DiscoveredAsset>(page.Values.Count);
            foreach (var blob in page.Values)
            {
                var qualifiedName = endpoint + "/" + container + "/" + blob.Name;
                if (request.Filter.Includes(qualifiedName))
                {
                    var slash = blob.Name.LastIndexOf('/');
                    assets.Add(new DiscoveredAsset(qualifiedName, slash >= 0 ? blob.Name[(slash + 1)..] : blob.Name, "azure_blob_path",
                        blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.MinValue, container + "/" + blob.Name));
                }
            }

            assets = await SampleAsync(containerClient, container, assets, request.Sampling, cancellationToken);
            if (!string.IsNullOrEmpty(page.ContinuationToken))
            {
                return new ScanPageResult(assets, container + "\n" + page.ContinuationToken);
            }

            var next = await NextContainerAsync(service, endpoint, request.Filter, after: container, cancellationToken);
            return new ScanPageResult(assets, next is null ? null : next + "\n");
        }
        catch (Exception ex) when (Refused(ex) is { } refused)
        {
            throw new ScanFailedException("EndpointNotAllowed", refused.Message, ex);
        }
        catch (StorageException ex) when (ex.Status is 401 or 403 && IsStorageError(ex))
        {
            throw new ScanFailedException("SourceAccessDenied", $"The blob service at {endpoint} refused the scan ({ex.Status} {ex.ErrorCode}): check the endpoint and the scan's credential.", ex);
        }
        catch (StorageException ex) when (ex.Status == 404 && IsStorageError(ex))
        {
            throw new ScanFailedException("SourceNotFound", $"The blob service at {endpoint} has no such account or container ({ex.ErrorCode}).", ex);
        }
        catch (StorageException ex) when (ex.Status == 0)
        {
            // Only the fact: what a foreign port answered (or why the socket failed) is not echoed into the run.
            throw new ScanFailedException("SourceUnreachable", $"The blob service at {endpoint} cannot be reached.", ex);
        }
        catch (Exception ex) when (ex is StorageException or HttpRequestException or System.Xml.XmlException or FormatException)
        {
            throw new ScanFailedException("SourceNotStorage", $"The endpoint {endpoint} did not answer as a blob storage service.", ex);
        }
    }

    /// <summary>
    /// Reads a bounded sample of each file the plan chooses: one ranged GET of the first MaxBytes (+1 to know whether the
    /// file was read whole), 8 files at a time. A file that cannot be read (deleted since listing, ...) stays unsampled.
    /// </summary>
    private static async Task<List<DiscoveredAsset>> SampleAsync(BlobContainerClient container, string containerName, List<DiscoveredAsset> assets, SamplingPlan? plan, CancellationToken cancellationToken)
    {
        if (plan is null)
        {
            return assets;
        }

        var chosen = new List<(int Index, SampleFormat Format, char Delimiter)>();
        for (var i = 0; i < assets.Count; i++)
        {
            if (plan.Decide(assets[i]) is { } decision)
            {
                chosen.Add((i, decision.Format, decision.Delimiter));
            }
        }

        var samples = new AssetSample?[assets.Count];
        var errors = new string?[assets.Count];
        var limits = plan.Limits;
        await Parallel.ForEachAsync(chosen, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            var asset = assets[c.Index];
            if (asset.Size == 0)
            {
                samples[c.Index] = new AssetSample([], 0);
                return;
            }

            try
            {
                var blobName = asset.Path[(containerName.Length + 1)..];
                var range = new HttpRange(0, Math.Min(asset.Size, (long)limits.MaxBytes + 1));
                var bytes = (await StorageErrors.Run(token => container.GetBlobClient(blobName).DownloadContentAsync(new BlobDownloadOptions { Range = range }, token), ct)).Value.Content;
                await using var stream = bytes.ToStream();
                samples[c.Index] = await FileSampler.SampleAsync(stream, c.Format, c.Delimiter, limits, ct);
            }
            catch (StorageException ex) when (ex.Status is 0 or >= 500)
            {
                // The service failed (not the file): discovered, not classified, and the run's exception log says so.
                errors[c.Index] = ex.Status == 0
                    ? "The file could not be sampled: the blob service did not answer."
                    : $"The file could not be sampled: the blob service answered {ex.Status}.";
            }
            catch (StorageException)
            {
                // Gone or changed since it was listed: discovered, not classified.
            }
        });
        return assets.Select((a, i) => samples[i] is { } sample ? a with { Sample = sample } : errors[i] is { } error ? a with { SampleError = error } : a).ToList();
    }

    private static async Task<string?> NextContainerAsync(BlobServiceClient service, string endpoint, ScanFilter filter, string? after, CancellationToken cancellationToken)
    {
        var names = await StorageErrors.Run(async ct =>
        {
            var all = new List<string>();
            await foreach (var container in service.GetBlobContainersAsync(cancellationToken: ct))
            {
                all.Add(container.Name);
            }

            return all;
        }, cancellationToken);
        return names
            .Where(n => after is null || string.CompareOrdinal(n, after) > 0)
            .OrderBy(n => n, StringComparer.Ordinal)
            .FirstOrDefault(n => MayInclude(filter, endpoint + "/" + n + "/"));
    }

    /// <summary>Whether any blob under the container URI can pass the filter (skips whole containers).</summary>
    private static bool MayInclude(ScanFilter filter, string containerUri) =>
        (filter.IncludeUriPrefixes.Count == 0 || filter.IncludeUriPrefixes.Any(p => p.StartsWith(containerUri, StringComparison.Ordinal) || containerUri.StartsWith(p, StringComparison.Ordinal) || (p + "/").Equals(containerUri, StringComparison.Ordinal)))
        && !filter.ExcludeUriPrefixes.Any(p => containerUri.StartsWith(p, StringComparison.Ordinal) || (p + "/").Equals(containerUri, StringComparison.Ordinal));

    private static Task<Page<BlobItem>> FirstPageAsync(BlobContainerClient container, string? marker, int pageSize, CancellationToken cancellationToken) =>
        StorageErrors.Run(async ct =>
        {
            await foreach (var page in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct).AsPages(marker, pageSize))
            {
                return page;
            }

            throw new InvalidOperationException("A blob listing always has a first page.");
        }, cancellationToken);

    private static (string? Container, string? Marker) ParseToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }

        var nl = token.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? (token, null) : (token[..nl], nl == token.Length - 1 ? null : token[(nl + 1)..]);
    }

    private static Exception? Refused(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is EndpointRefusedException)
            {
                return ex;
            }

            if (ex is AggregateException aggregate && aggregate.InnerExceptions.Select(Refused).FirstOrDefault(e => e is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    // A storage service names its error (x-ms-error-code); a foreign server answering 401/403/404 does not.
    private static bool IsStorageError(StorageException ex) => !string.IsNullOrEmpty(ex.ErrorCode) && ex.ErrorCode != "TransportError";

    private BlobServiceClient ClientFor(ScanPageRequest request, string endpoint)
    {
        var credential = request.Credential;
        var key = endpoint + "|" + credential?.Type + "|" + credential?.Name + "|" + (credential?.Secret.GetHashCode(StringComparison.Ordinal) ?? 0);
        return _clients.GetOrAdd(key, _ => StorageClients.Blobs(AccountFor(endpoint, credential), _scanOptions, _loggers.CreateLogger("Purview.Scanning")));
    }

    private StorageAccount AccountFor(string endpoint, CredentialSecret? credential)
    {
        var blob = new Uri(endpoint);
        if (credential is null)
        {
            // The guard has allowed this endpoint for managed-identity scans (never the app's own account).
            return AtEndpoint(_appAccount, blob, null);
        }

        credential.EnsureSecret();
        try
        {
            return credential.Type switch
            {
                CredentialType.ConnectionString => AtEndpoint(StorageAccount.Parse(credential.Secret), blob, credential),
                CredentialType.AccountKey => StorageAccount.Parse($"AccountKey={credential.Secret};BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint}"),
                CredentialType.SasToken => StorageAccount.Parse($"SharedAccessSignature={credential.Secret.TrimStart('?')};BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint}"),
                _ => throw new ScanFailedException("CredentialTypeUnsupported", $"A {credential.Type} credential cannot be used to scan blob storage."),
            };
        }
        catch (FormatException ex)
        {
            throw new ScanFailedException("CredentialInvalid", $"The credential '{credential.Name}' is not usable: {ex.Message}", ex);
        }
    }

    private static StorageAccount AtEndpoint(StorageAccount account, Uri blob, CredentialSecret? credential)
    {
        try
        {
            return account.AtBlobEndpoint(blob);
        }
        catch (FormatException ex)
        {
            throw new ScanFailedException("EndpointInvalid", credential is null
                ? $"The endpoint {blob} does not name a storage account."
                : $"The endpoint {blob} does not name a storage account the credential '{credential.Name}' can sign for.", ex);
        }
    }
}
