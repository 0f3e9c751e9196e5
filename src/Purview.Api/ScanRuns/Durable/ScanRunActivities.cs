using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Api.ScanRuns.Durable;

/// <summary>
/// The activities of <see cref="ScanRunOrchestrator"/>, host-neutral (a CancellationToken, no FunctionContext): the
/// Functions app wraps each in a [Function], the local host's engine registers them by name. Every activity does the
/// steps the stored run needs next through <see cref="ScanRunStepExecutor.RunAsync"/> - one page each, each its own
/// guarded write, as many as its budget allows - then reads the run back and says what comes after; the activity name
/// tells the history which phase its first step belonged to.
/// </summary>
public sealed class ScanRunActivities(IScanRunStore store, ScanRunStepExecutor executor, IScanRegistry registry, TimeProvider time)
{
    /// <summary>The names the orchestrator calls, each bound to <see cref="StepAsync"/>.</summary>
    public static IReadOnlyList<string> StepActivities { get; } =
        [ScanRunOrchestrator.AdmitActivity, ScanRunOrchestrator.DiscoverActivity, ScanRunOrchestrator.IngestActivity, ScanRunOrchestrator.AdvanceActivity];

    public async Task<ScanRunStepResult> StepAsync(Guid runId, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(new ScanRunId(runId), cancellationToken);
        if (stored is null)
        {
            return Missing;
        }

        var outcome = await executor.RunAsync(stored, cancellationToken);
        return await ResultAsync(runId, outcome.Kind == StepOutcomeKind.Finished, cancellationToken);
    }

    /// <summary>Retries exhausted: the pending phase fails with the last error and the run is finished.</summary>
    public async Task<ScanRunStepResult> FailAsync(FailScanRun input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        // FailAsync finishes the run (admission, counters, staging) whatever state it was in.
        await executor.FailAsync(new ScanRunId(input.RunId), "StepFailedRepeatedly", $"A step of this run failed repeatedly; the last error was: {input.Message}", cancellationToken);
        return await ResultAsync(input.RunId, finished: true, cancellationToken);
    }

    private static ScanRunStepResult Missing => new("Missing", "None", ScanRunOrchestrator.AdvanceActivity, false, true, 0, 0, AccountConcurrencyLimit.DefaultValue);

    /// <param name="finished">The step finished the run (released admission, dropped staging): the orchestration may end.</param>
    private async Task<ScanRunStepResult> ResultAsync(Guid runId, bool finished, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(new ScanRunId(runId), cancellationToken);
        if (stored is null)
        {
            return Missing;
        }

        var run = stored.Run;
        var next = ScanRunStepPlanner.Next(run, stored.Checkpoint, time.GetUtcNow());
        var limit = run.IsWaiting ? (await registry.GetSettingsAsync(cancellationToken)).MaxConcurrentScanRuns : AccountConcurrencyLimit.DefaultValue;
        var phase = run.Scan.Status == ScanPhaseStatus.InProgress || run.Scan.IsWaiting ? "Scan" : run.IsFinal ? "Done" : "Ingestion";
        return new ScanRunStepResult(
            run.Status.ToString(), phase, ActivityFor(next), run.IsWaiting,
            run.IsFinal && finished,
            run.Scan.AssetsDiscovered, run.Ingestion.AssetsIngested, limit);
    }

    private static string ActivityFor(ScanRunStepKind step) => step switch
    {
        ScanRunStepKind.Admit => ScanRunOrchestrator.AdmitActivity,
        ScanRunStepKind.DiscoverPage => ScanRunOrchestrator.DiscoverActivity,
        ScanRunStepKind.IngestPage => ScanRunOrchestrator.IngestActivity,
        _ => ScanRunOrchestrator.AdvanceActivity,
    };
}
