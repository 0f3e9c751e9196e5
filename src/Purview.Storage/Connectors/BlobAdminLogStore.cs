using System.Globalization;
using Purview.Core.Connectors;
using Purview.Storage.Client;
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
        await blob.UploadAsync(content, new BlobUploadOptions
        {
            ContentType = "text/csv; charset=utf-8",
            Metadata = new Dictionary<string, string>
            {
                [GeneratedAtKey] = generatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                [ViolationsKey] = invariantViolations.ToString(CultureInfo.InvariantCulture),
            },
        }, cancellationToken);
        var properties = await blob.GetPropertiesAsync(cancellationToken);
        return ToInfo(connectorId, day, properties);
    }

    public async Task<IReadOnlyList<AdminLogInfo>> ListAsync(string connectorId, CancellationToken cancellationToken)
    {
        var list = new List<AdminLogInfo>();
        await foreach (var item in _container.ListBlobsAsync(connectorId.ToLowerInvariant() + "/", cancellationToken))
        {
            if (ParseName(item.Name) is { } parsed)
            {
                var properties = await _container.GetBlobClient(item.Name).GetPropertiesAsync(cancellationToken);
                list.Add(ToInfo(connectorId, parsed.Day, properties));
            }
        }

        return list;
    }

    public async Task<(Stream Content, long Length)?> OpenAsync(string connectorId, DateOnly day, CancellationToken cancellationToken)
    {
        try
        {
            var download = await Blob(connectorId, day).DownloadStreamingAsync(cancellationToken);
            return (download.Content, download.Details.Size);
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public Task<bool> ExistsAsync(string connectorId, DateOnly day, CancellationToken cancellationToken) => Blob(connectorId, day).ExistsAsync(cancellationToken);

    public async Task<Uri?> GetReadUrlAsync(string connectorId, DateOnly day, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var blob = Blob(connectorId, day);
        if (layout.Account.HasSharedKey)
        {
            return blob.GenerateReadSasUri(expiresOn);
        }

        return _delegation is null ? null : await _delegation.SignReadAsync(blob.Uri, _container.Name, blob.Name, expiresOn, cancellationToken);
    }

    public async Task<int> DeleteBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var doomed = new List<string>();
        await foreach (var item in _container.ListBlobsAsync(null, cancellationToken))
        {
            if (ParseName(item.Name) is { } parsed && parsed.Day < cutoff)
            {
                doomed.Add(item.Name);
            }
        }

        foreach (var name in doomed)
        {
            if (await _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken))
            {
                deleted++;
            }
        }

        return deleted;
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

    private static AdminLogInfo ToInfo(string connectorId, DateOnly day, BlobProperties properties) => new(
        connectorId, day, properties.Size,
        properties.Metadata.TryGetValue(GeneratedAtKey, out var g) && DateTimeOffset.TryParse(g, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        properties.Metadata.TryGetValue(ViolationsKey, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0);
}
