using System.Text.Json;
using Azure.Identity;
using DurableTask.AzureStorage;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Purview.Api.ScanRuns.Durable;

namespace Purview.LocalHost.ScanRuns;

/// <summary>Settings of the local host's Durable Task engine (section <c>DurableTask</c>; the task hub name is <c>TaskHubName</c>, as in host.json).</summary>
public sealed class ScanRunEngineOptions
{
    public string TaskHubName { get; set; } = "PurviewLocal";

    /// <summary>Longest wait between polls of an idle queue: short locally, so a run's next step starts at once.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a work item taken by a host that died stays invisible before another host takes it.</summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int PartitionCount { get; set; } = 4;

    public int MaxConcurrentActivities { get; set; } = 10;

    /// <summary>Activities per orchestration generation before ContinueAsNew (1-100; tests lower it to see several generations).</summary>
    public int ActivitiesPerGeneration { get; set; } = ScanRunOrchestrator.StepsPerGeneration;

    /// <summary>Completed, failed and terminated instances older than this are purged by the retention pass.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// The real Durable Task engine in the local host: a <see cref="TaskHubWorker"/> over
/// <see cref="AzureStorageOrchestrationService"/> (the provider Durable Functions uses by default) on the same storage
/// account as everything else - Azurite locally - running the very orchestrator, entity and activities the Functions
/// app runs, adapted to DurableTask.Core by the Durable Task SDK's <see cref="DurableTaskShimFactory"/>.
/// Several hosts on one task hub share the work (the provider balances its partitions among them).
/// </summary>
public sealed partial class ScanRunEngine : IHostedService, IAsyncDisposable
{
    private readonly AzureStorageOrchestrationService _service;
    private readonly ILogger<ScanRunEngine> _logger;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskHubWorker? _worker;
    private Task? _starting;
    private int _disposed;

    public ScanRunEngine(IConfiguration configuration, ScanRunEngineOptions options, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ScanRunEngine>();
        Options = options;
        _service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = ClientProviderFrom(configuration),
            TaskHubName = options.TaskHubName,
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.WorkItemVisibilityTimeout,
            MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
            // Entities are dispatched from their own queue, as Durable Functions does.
            UseSeparateQueueForEntityWorkItems = true,
            LoggerFactory = loggerFactory,
        });
        DurableClient = new EngineDurableTaskClient(new TaskHubClient(_service, new SystemTextJsonDataConverter(), loggerFactory), _service, _ready.Task);
        Client = new ScanRunEngineClient(DurableClient, options.ActivitiesPerGeneration);
    }

    public ScanRunEngineOptions Options { get; }

    public ScanRunEngineClient Client { get; }

    /// <summary>The Durable Task SDK's client over this engine (what Durable Functions code takes as [DurableClient]).</summary>
    public EngineDurableTaskClient DurableClient { get; }

    /// <summary>
    /// Starts the engine in the background, so that a host whose storage does not answer yet still starts and reports it
    /// on /healthz; the task hub is created and the worker started as soon as storage answers (retried with backoff).
    /// </summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _starting = Task.Run(() => StartWhenStorageAnswersAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StartWhenStorageAnswersAsync(CancellationToken stopping)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await StartWorkerAsync();
                if (stopping.IsCancellationRequested && Interlocked.Exchange(ref _worker, null) is { } late)
                {
                    // The host stopped while the task hub was being created: do not leave a worker running.
                    await late.StopAsync(isForced: true);
                    return;
                }

                _ready.TrySetResult();
                return;
            }
            catch (Exception ex)
            {
                if (stopping.IsCancellationRequested)
                {
                    // Stopped while storage was still unreachable: nothing was started, nothing to report.
                    return;
                }

                LogStartFailed(_logger, Options.TaskHubName, delay, ex);
            }

            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
        }
    }

    private async Task StartWorkerAsync()
    {
        await _service.CreateIfNotExistsAsync();
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { EnableEntitySupport = true }, _loggerFactory);
        var activities = _services.GetRequiredService<ScanRunActivities>();
        var worker = new TaskHubWorker(_service, _loggerFactory);
        worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(ScanRunOrchestrator.Name,
            () => shims.CreateOrchestration(ScanRunOrchestrator.Name, new ScanRunOrchestrator())));
        foreach (var name in ScanRunActivities.StepActivities)
        {
            worker.AddTaskActivities(new Creator<TaskActivity>(name,
                () => shims.CreateActivity<Guid, ScanRunStepResult>(name, (_, runId) => activities.StepAsync(runId, _stopping.Token)!)));
        }

        worker.AddTaskActivities(new Creator<TaskActivity>(ScanRunOrchestrator.FailActivity,
            () => shims.CreateActivity<FailScanRun, ScanRunStepResult>(ScanRunOrchestrator.FailActivity, (_, input) => activities.FailAsync(input!, _stopping.Token)!)));
        // The account has one admission entity ("account"), so its shim is created for that id.
        worker.AddTaskEntities(new Creator<TaskEntity>(AdmissionSlots.Name,
            () => shims.CreateEntity(AdmissionSlots.Name, new AdmissionSlots(), new EntityId(AdmissionSlots.Name, ScanRunOrchestrator.Slots.Key))));
        await worker.StartAsync();
        _worker = worker;
        LogStarted(_logger, Options.TaskHubName);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_starting is { } starting)
        {
            try
            {
                // A start stuck in the storage client's own retries does not hold the host's shutdown.
                await starting.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
            catch (TimeoutException)
            {
            }
        }

        if (Interlocked.Exchange(ref _worker, null) is { } worker)
        {
            await worker.StopAsync(isForced: true);
        }
    }

    /// <summary>Idempotent: the container disposes this once as itself and once as the hosted service it also is.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// The same storage settings as the rest of the app: the <c>AzureWebJobsStorage</c> connection string (Azurite
    /// locally), else an account name (<c>AzureWebJobsStorage__accountName</c> or <c>Storage:AccountName</c>) reached
    /// with Entra ID (managed identity in Azure, a developer's login locally).
    /// </summary>
    private static StorageAccountClientProvider ClientProviderFrom(IConfiguration configuration)
    {
        if (configuration["AzureWebJobsStorage"] is { Length: > 0 } connectionString)
        {
            return new StorageAccountClientProvider(connectionString);
        }

        var accountName = configuration["AzureWebJobsStorage:accountName"] ?? configuration["Storage:AccountName"]
            ?? throw new InvalidOperationException("No storage for the Durable Task engine: set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName.");
        var clientId = configuration["AzureWebJobsStorage:clientId"];
        Azure.Core.TokenCredential credential = string.Equals(configuration["AzureWebJobsStorage:credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new StorageAccountClientProvider(accountName, credential);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Durable Task engine could not start on task hub {TaskHub}; retrying in {Delay}")]
    private static partial void LogStartFailed(ILogger logger, string taskHub, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Durable Task engine started on task hub {TaskHub} (Azure Storage provider)")]
    private static partial void LogStarted(ILogger logger, string taskHub);

    /// <summary>Registers a name with a factory: a new orchestration or entity object per execution, as the engine expects.</summary>
    private sealed class Creator<T> : ObjectCreator<T>
    {
        private readonly Func<T> _create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            _create = create;
        }

        public override T Create() => _create();
    }

    /// <summary>Payloads the way the Durable Task SDK's shims read and write them (System.Text.Json), for the client side.</summary>
    private sealed class SystemTextJsonDataConverter : DurableTask.Core.Serializing.DataConverter
    {
        public override string Serialize(object value) => JsonSerializer.Serialize(value);

        private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

        public override string Serialize(object value, bool formatted) => formatted ? JsonSerializer.Serialize(value, Indented) : JsonSerializer.Serialize(value);

        public override object Deserialize(string data, Type objectType) => JsonSerializer.Deserialize(data, objectType)!;
    }
}
