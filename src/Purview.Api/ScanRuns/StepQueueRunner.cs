using Microsoft.Extensions.Logging;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage.ScanRuns;

namespace Purview.Api.ScanRuns;

public sealed class ScanRunWorkerOptions
{
    /// <summary><c>Workers:Enabled</c>: run the step runner, supervisor and schedule timer in this host.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary><c>Workers:PollInterval</c>: wait between receives when the queue is empty.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>Workers:Concurrency</c>: messages (runs) worked on at once by this host.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary><c>Workers:Visibility</c>: the lease a received step holds before another host may take it.</summary>
    public TimeSpan Visibility { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary><c>Workers:MaxAttempts</c>: deliveries of one message before it is poison and its run fails.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary><c>Workers:SupervisorInterval</c>.</summary>
    public TimeSpan SupervisorInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The local host's agent: receives step messages with a visibility lease, runs each through the executor, deletes it
/// when done; a failure leaves it to reappear after an exponential back-off, and after
/// <see cref="ScanRunWorkerOptions.MaxAttempts"/> deliveries the message moves to the poison queue and its run fails
/// with the last error.
/// </summary>
public sealed partial class StepQueueRunner(QueueStepQueue queues, ScanRunStepExecutor executor, ScanRunWorkerOptions options, ILogger<StepQueueRunner> logger)
{
    /// <summary>Receives and runs up to <see cref="ScanRunWorkerOptions.Concurrency"/> steps; returns how many messages it handled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var messages = await queues.Steps.ReceiveMessagesAsync(Math.Clamp(options.Concurrency, 1, 32), options.Visibility, cancellationToken);
        await Task.WhenAll(messages.Select(m => HandleAsync(m, cancellationToken)));
        return messages.Count;
    }

    private async Task HandleAsync(Storage.Client.Queues.QueueMessage message, CancellationToken cancellationToken)
    {
        var step = QueueStepQueue.TryParse(message.MessageText);
        if (step is null)
        {
            await MoveToPoisonAsync(message, cancellationToken);
            return;
        }

        try
        {
            var outcome = await executor.ExecuteAsync(step, cancellationToken);
            LogStep(logger, step.RunId, step.Sequence, outcome.Step?.ToString() ?? "-", outcome.Kind.ToString());
            await queues.Steps.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= options.MaxAttempts)
            {
                LogPoison(logger, step.RunId, message.DequeueCount, ex);
                await executor.FailAsync(new ScanRunId(step.RunId), "StepFailedRepeatedly",
                    $"A step of this run failed {message.DequeueCount} times; the last error was: {ex.GetType().Name}: {ex.Message}", cancellationToken);
                await MoveToPoisonAsync(message, cancellationToken);
                return;
            }

            var backoff = TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, message.DequeueCount)));
            LogRetry(logger, step.RunId, message.DequeueCount, backoff.TotalSeconds, ex);
            await queues.Steps.UpdateMessageAsync(message.MessageId, message.PopReceipt, backoff, null, cancellationToken);
        }
    }

    private async Task MoveToPoisonAsync(Storage.Client.Queues.QueueMessage message, CancellationToken cancellationToken)
    {
        await queues.Poison.SendMessageAsync(message.MessageText, null, TimeSpan.MaxValue, cancellationToken);
        await queues.Steps.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Run {RunId} step (seq {Sequence}) {Step}: {Outcome}")]
    private static partial void LogStep(ILogger logger, Guid runId, long sequence, string step, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: step failed (delivery {DequeueCount}), retrying in {BackoffSeconds} s")]
    private static partial void LogRetry(ILogger logger, Guid runId, long dequeueCount, double backoffSeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId}: step failed {DequeueCount} times; the message goes to the poison queue and the run fails")]
    private static partial void LogPoison(ILogger logger, Guid runId, long dequeueCount, Exception exception);
}
