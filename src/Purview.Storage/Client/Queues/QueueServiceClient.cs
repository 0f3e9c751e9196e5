using Microsoft.Extensions.Logging;

namespace Purview.Storage.Client.Queues;

/// <summary>Entry point to an account's Queue service; its queue clients share one pipeline, so create it once and keep it.</summary>
public sealed class QueueServiceClient
{
    private readonly StoragePipeline _pipeline;

    public QueueServiceClient(StorageAccount account, StorageClientOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        _pipeline = StoragePipeline.Create(account, StorageService.Queue, options, logger);
    }

    public StorageAccount Account => _pipeline.Account;

    public Uri Uri => _pipeline.Endpoint;

    /// <summary>A client for the named queue (no request is made; the name is validated).</summary>
    public QueueClient GetQueueClient(string queueName) => new(_pipeline, queueName);
}
