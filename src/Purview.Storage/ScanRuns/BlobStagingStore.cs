using System.IO.Compression;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Azure.Storage.Blobs;

namespace Purview.Storage.ScanRuns;

/// <summary>
/// Staged pages as one gzipped JSON blob per page, <c>{runId}/{page}.json.gz</c>: a page of 1,000 assets is one Put Blob
/// to write, one Get Blob to read and one Delete Blob to drop, where table rows cost 10 transactions each way. Writing a
/// page again overwrites it, so a repeated discovery step is harmless.
/// </summary>
public sealed class BlobStagingStore(StorageLayout layout) : IStagingStore, IStorageUser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly BlobContainerClient _container = layout.Container("scanstaging");

    public async Task WritePageAsync(ScanRunId runId, int page, StagedPage content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await JsonSerializer.SerializeAsync(gzip, content, Json, cancellationToken);
        }

        buffer.Position = 0;
        await StorageErrors.Run(ct => _container.GetBlobClient(Name(runId, page)).UploadAsync(buffer, overwrite: true, ct), cancellationToken);
    }

    public async Task<StagedPage> ReadPageAsync(ScanRunId runId, int page, CancellationToken cancellationToken)
    {
        using var download = (await StorageErrors.Run(ct => _container.GetBlobClient(Name(runId, page)).DownloadStreamingAsync(cancellationToken: ct), cancellationToken)).Value;
        await using var gzip = new GZipStream(download.Content, CompressionMode.Decompress);
        return await JsonSerializer.DeserializeAsync<StagedPage>(gzip, Json, cancellationToken)
            ?? throw new InvalidDataException($"Staged page {page} of run {runId} is empty.");
    }

    public async Task DeletePagesAsync(ScanRunId runId, int pageCount, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, pageCount), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (page, ct) => await StorageErrors.Run(token => _container.GetBlobClient(Name(runId, page)).DeleteIfExistsAsync(cancellationToken: token), ct));
    }

    private static string Name(ScanRunId runId, int page) => runId + "/" + page.ToString("D6", CultureInfo.InvariantCulture) + ".json.gz";
}
