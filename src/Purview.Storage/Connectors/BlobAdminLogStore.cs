using Purview.Core.Connectors;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Purview.Storage.Client.Blobs;

namespace Purview.Storage.Connectors;

/// <summary>Admin logs as blobs <c>{connectorId}/{yyyy-MM-dd}.csv</c> in the <c>admin-logs</c> container; generation time and invariant violations are metadata.</summary>
public sealed class BlobAdminLogStore(StorageLayout layout, TimeProvider time) : IAdminLogStore, IStorageUser
{
    private const string GeneratedAtKey = "generatedAt";
    private const string ViolationsKey = "invariantViolations";
    private readonly BlobContainerClient _container = layout.Container("admin-logs");
    private readonly UserDelegationSigner? _delegation = UserDelegationSigner.For(layout.Account, layout.Options, time);

    public async Task<AdminLogInfo> WriteAsync(string connectorId, DateOnly day, Stream content, DateTimeOffset generatedAt, int invariantViolations, CancellationToken cancellationToken)
    {
        var blob = Blob(connectorId, day);
        var metadata = new Dictionary<string, string>
        {
            [GeneratedAtKey] = generatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            [ViolationsKey] = invariantViolations.ToString(CultureInfo.InvariantCulture),
        };
        await StorageErrors.Run(ct => blob.UploadAsync(content, new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "text/csv; charset=utf-8" },
            Metadata = metadata,
        }, ct), cancellationToken);
        var properties = (await StorageErrors.Run(ct => blob.GetPropertiesAsync(cancellationToken: ct), cancellationToken)).Value;
        return ToInfo(connectorId, day, properties.ContentLength, properties.Metadata);
    }

    public async Task<IReadOnlyList<AdminLogInfo>> ListAsync(string connectorId, CancellationToken cancellationToken)
    {
        // One listing with metadata: no request per log.
        return await StorageErrors.Run(async ct =>
        {
            var list = new List<AdminLogInfo>();
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, connectorId.ToLowerInvariant() + "/", ct))
            {
                if (ParseName(item.Name) is { } parsed)
                {
                    list.Add(ToInfo(connectorId, parsed.Day, item.Properties.ContentLength ?? 0, item.Metadata));
                }
            }

            return list;
        }, cancellationToken);
    }

    public async Task<(Stream Content, long Length)?> OpenAsync(string connectorId, DateOnly day, CancellationToken cancellationToken)
    {
        try
        {
            var download = (await StorageErrors.Run(ct => Blob(connectorId, day).DownloadStreamingAsync(cancellationToken: ct), cancellationToken)).Value;
            return (download.Content, download.Details.ContentLength);
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string connectorId, DateOnly day, CancellationToken cancellationToken) =>
        (await StorageErrors.Run(ct => Blob(connectorId, day).ExistsAsync(ct), cancellationToken)).Value;

    public async Task<Uri?> GetReadUrlAsync(string connectorId, DateOnly day, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var blob = Blob(connectorId, day);
        if (layout.Account.HasSharedKey)
        {
            return blob.GenerateSasUri(BlobSasPermissions.Read, expiresOn);
        }

        return _delegation is null ? null : await _delegation.SignReadAsync(blob.Uri, _container.Name, blob.Name, expiresOn, cancellationToken);
    }

    public async Task<int> DeleteBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken)
    {
        return await StorageErrors.Run(async ct =>
        {
            var doomed = new List<string>();
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, null, ct))
            {
                if (ParseName(item.Name) is { } parsed && parsed.Day < cutoff)
                {
                    doomed.Add(item.Name);
                }
            }

            var deleted = 0;
            foreach (var name in doomed)
            {
                if ((await _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: ct)).Value)
                {
                    deleted++;
                }
            }

            return deleted;
        }, cancellationToken);
    }

    private BlobClient Blob(string connectorId, DateOnly day) =>
        _container.GetBlobClient($"{connectorId.ToLowerInvariant()}/{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");

    private static (string Connector, DateOnly Day)? ParseName(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && name.EndsWith(".csv", StringComparison.Ordinal) && name.Length - slash - 1 == 14 &&
               DateOnly.TryParseExact(name.AsSpan(slash + 1, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? (name[..slash], day)
            : null;
    }

    private static AdminLogInfo ToInfo(string connectorId, DateOnly day, long size, IDictionary<string, string> stored)
    {
        // Metadata names are case-insensitive on the wire; a listing and a HEAD may spell them differently.
        var metadata = new Dictionary<string, string>(stored, StringComparer.OrdinalIgnoreCase);
        return new(connectorId, day, size,
        metadata.TryGetValue(GeneratedAtKey, out var g) && DateTimeOffset.TryParse(g, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            metadata.TryGetValue(ViolationsKey, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0);
    }
}
