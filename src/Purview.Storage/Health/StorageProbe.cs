using Azure.Core;
using Purview.Core.Health;
using Purview.Storage.Client;

namespace Purview.Storage.Health;

/// <summary>
/// Asks each storage service for the cheapest authenticated listing (one table, one container, one queue):
/// proves the endpoint answers and the credential is accepted, without creating anything.
/// </summary>
public sealed class StorageProbe(StorageAccount account, StorageClientOptions options) : IStorageProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly StoragePipeline _table = StoragePipeline.Create(account, StorageService.Table, WithoutRetries(options));
    private readonly StoragePipeline _blob = StoragePipeline.Create(account, StorageService.Blob, WithoutRetries(options));
    private readonly StoragePipeline _queue = StoragePipeline.Create(account, StorageService.Queue, WithoutRetries(options));

    public async Task<StorageProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            CheckAsync("table", _table, "Tables?$top=1", cancellationToken),
            CheckAsync("blob", _blob, "?comp=list&maxresults=1", cancellationToken),
            CheckAsync("queue", _queue, "?comp=list&maxresults=1", cancellationToken));
        return new StorageProbeResult(account.Name, checks.ToDictionary(c => c.Service, c => c.Failure));
    }

    private static async Task<(string Service, string? Failure)> CheckAsync(string service, StoragePipeline pipeline, string relative, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            using var message = pipeline.CreateMessage(RequestMethod.Get, new Uri(pipeline.Endpoint, relative));
            message.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
            await pipeline.SendAsync(message, cts.Token);
            return (service, null);
        }
        catch (StorageException ex)
        {
            return (service, $"{pipeline.Endpoint.GetLeftPart(UriPartial.Authority)} answered {ex.Status} {ex.ErrorCode}: {ex.ServiceMessage}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (service, $"{pipeline.Endpoint.GetLeftPart(UriPartial.Authority)} did not answer within {Timeout.TotalSeconds:F0} s");
        }
    }

    private static StorageClientOptions WithoutRetries(StorageClientOptions options)
    {
        // A health check must answer fast; retrying a dead endpoint for a minute helps nobody.
        var probe = new StorageClientOptions
        {
            TableServiceVersion = options.TableServiceVersion,
            BlobQueueServiceVersion = options.BlobQueueServiceVersion,
        };
        probe.Retry.MaxRetries = 0;
        probe.Retry.NetworkTimeout = Timeout;
        return probe;
    }
}
