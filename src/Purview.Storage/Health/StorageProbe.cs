using Purview.Core.Health;

namespace Purview.Storage.Health;

/// <summary>
/// Asks each storage service for the cheapest authenticated listing (one table, one container, one queue):
/// proves the endpoint answers and the credential is accepted, without creating anything.
/// </summary>
public sealed class StorageProbe(StorageAccount account, StorageClientOptions options) : IStorageProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Azure.Data.Tables.TableServiceClient _tables = StorageClients.Tables(account, WithoutRetries(options));
    private readonly Azure.Storage.Blobs.BlobServiceClient _blobs = StorageClients.Blobs(account, WithoutRetries(options));
    private readonly Azure.Storage.Queues.QueueServiceClient _queues = StorageClients.Queues(account, WithoutRetries(options));

    public async Task<StorageProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(
            CheckAsync("table", account.TableEndpoint, async ct =>
            {
                await foreach (var _ in _tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages(pageSizeHint: 1))
                {
                    break;
                }
            }, cancellationToken),
            CheckAsync("blob", account.BlobEndpoint, async ct =>
            {
                await foreach (var _ in _blobs.GetBlobContainersAsync(cancellationToken: ct).AsPages(pageSizeHint: 1))
                {
                    break;
                }
            }, cancellationToken),
            CheckAsync("queue", account.QueueEndpoint, async ct =>
            {
                await foreach (var _ in _queues.GetQueuesAsync(cancellationToken: ct).AsPages(pageSizeHint: 1))
                {
                    break;
                }
            }, cancellationToken));
        return new StorageProbeResult(account.Name, checks.ToDictionary(c => c.Service, c => c.Failure));
    }

    private static async Task<(string Service, string? Failure)> CheckAsync(string service, Uri endpoint, Func<CancellationToken, Task> list, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            await StorageErrors.Run(list, cts.Token);
            return (service, null);
        }
        catch (StorageException ex) when (ex.Status > 0)
        {
            return (service, $"{endpoint.GetLeftPart(UriPartial.Authority)} answered {ex.Status} {ex.ErrorCode}: {ex.ServiceMessage}");
        }
        catch (StorageException ex) when (ex.ErrorCode != "Timeout")
        {
            return (service, $"{endpoint.GetLeftPart(UriPartial.Authority)} cannot be reached: {ex.ServiceMessage}");
        }
        catch (Exception ex) when (ex is StorageException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (service, $"{endpoint.GetLeftPart(UriPartial.Authority)} did not answer within {Timeout.TotalSeconds:F0} s");
        }
    }

    private static StorageClientOptions WithoutRetries(StorageClientOptions options)
    {
        // A health check must answer fast; retrying a dead endpoint for a minute helps nobody.
        ArgumentNullException.ThrowIfNull(options);
        var probe = new StorageClientOptions { HttpClient = options.HttpClient };
        probe.Retry.MaxRetries = 0;
        probe.Retry.NetworkTimeout = Timeout;
        return probe;
    }
}
