using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Purview.Storage;

/// <summary>
/// The names of every table, queue and container the app uses, under one prefix (so that several apps, or
/// several test hosts, can share one storage account), and the clients to reach them.
/// </summary>
public sealed class StorageLayout
{
    private readonly HashSet<string> _tables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queues = new(StringComparer.Ordinal);
    private readonly HashSet<string> _containers = new(StringComparer.Ordinal);

    public StorageLayout(StorageAccount account, StorageClientOptions options, ILoggerFactory loggers, string prefix)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        if (prefix.Length > 12 || !prefix.All(char.IsAsciiLetterOrDigit) || (prefix.Length > 0 && !char.IsAsciiLetter(prefix[0])))
        {
            throw new ArgumentException($"The storage prefix '{prefix}' must be up to 12 letters and digits, starting with a letter.", nameof(prefix));
        }

        Prefix = prefix.ToLowerInvariant();
        Account = account;
        Options = options;
        var logger = loggers.CreateLogger("Purview.Storage");
        Tables = StorageClients.Tables(account, options, logger);
        Blobs = StorageClients.Blobs(account, options, logger);
        Queues = StorageClients.Queues(account, options, logger);
    }

    public string Prefix { get; }

    public StorageAccount Account { get; }

    public StorageClientOptions Options { get; }
    public TableServiceClient Tables { get; }
    public BlobServiceClient Blobs { get; }
    public QueueServiceClient Queues { get; }

    public IReadOnlyCollection<string> TableNames => _tables;
    public IReadOnlyCollection<string> QueueNames => _queues;
    public IReadOnlyCollection<string> ContainerNames => _containers;

    /// <summary>The client of the table with this logical name (letters only); the table is created at start-up.</summary>
    public EntityTable Table(string logicalName)
    {
        var name = Prefix + logicalName.ToLowerInvariant();
        lock (_tables)
        {
            _tables.Add(name);
        }

        return new EntityTable(Tables, name);
    }

    public QueueClient Queue(string logicalName)
    {
        var name = (Prefix.Length > 0 ? Prefix + "-" : string.Empty) + logicalName.ToLowerInvariant();
        lock (_queues)
        {
            _queues.Add(name);
        }

        return Queues.GetQueueClient(name);
    }

    public BlobContainerClient Container(string logicalName)
    {
        var name = (Prefix.Length > 0 ? Prefix + "-" : string.Empty) + logicalName.ToLowerInvariant();
        lock (_containers)
        {
            _containers.Add(name);
        }

        return Blobs.GetBlobContainerClient(name);
    }
}

/// <summary>Creates every table, queue and container the repositories asked for, once, when the host starts.</summary>
public sealed partial class StorageInitializer(StorageLayout layout, IEnumerable<IStorageUser> users, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolving the users makes each repository ask the layout for its tables.
        _ = users.Count();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(
                layout.TableNames.ToList().Select(t => (Task)new EntityTable(layout.Tables, t).CreateIfNotExistsAsync(cancellationToken))
                    .Concat(layout.QueueNames.ToList().Select(q => (Task)StorageErrors.Run(ct => layout.Queues.GetQueueClient(q).CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken)))
                    .Concat(layout.ContainerNames.ToList().Select(c => (Task)StorageErrors.Run(ct => layout.Blobs.GetBlobContainerClient(c).CreateIfNotExistsAsync(cancellationToken: ct), cancellationToken))));
            LogReady(logger, layout.TableNames.Count, layout.QueueNames.Count, layout.ContainerNames.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (StorageException ex)
        {
            // Keep the host up so that /healthz can say what is wrong; the first request will fail with 503.
            LogUnavailable(logger, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Storage ready: {Tables} tables, {Queues} queues, {Containers} containers in {ElapsedMs:F0} ms")]
    private static partial void LogReady(ILogger logger, int tables, int queues, int containers, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not create the storage tables, queues and containers: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}

/// <summary>Marks a repository that keeps data in storage, so that the initializer creates its resources at start.</summary>
public interface IStorageUser;
