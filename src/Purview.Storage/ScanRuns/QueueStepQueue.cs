using System.Text.Json;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage.Client.Queues;

namespace Purview.Storage.ScanRuns;

/// <summary>The step queue of the local host's runner: one small JSON message per active run, plus its poison queue.</summary>
public sealed class QueueStepQueue(StorageLayout layout) : IStepQueue, IStorageUser
{
    public QueueClient Steps { get; } = layout.Queue("scanrun-steps");

    public QueueClient Poison { get; } = layout.Queue("scanrun-steps-poison");

    public Task EnqueueAsync(StepMessage message, TimeSpan? delay, CancellationToken cancellationToken) =>
        Steps.SendMessageAsync(Serialize(message), delay, null, cancellationToken);

    public static string Serialize(StepMessage message) => JsonSerializer.Serialize(message, TableScanRunStore.Json);

    public static StepMessage? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<StepMessage>(text, TableScanRunStore.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
