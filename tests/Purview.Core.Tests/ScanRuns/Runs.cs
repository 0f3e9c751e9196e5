using Purview.Core.ScanRuns;
using Xunit;

namespace Purview.Core.Tests.ScanRuns;

/// <summary>Runs in each lifecycle state, built through the lifecycle itself at explicit times.</summary>
internal static class Runs
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double minutes) => T0.AddMinutes(minutes);

    public static ScanRunDefinition Definition(string runtime = "shir-01") =>
        new("adls-sales", "weekly-full", "sales", "AdlsGen2", runtime, ScanLevel.Full, ScanTrigger.Manual);

    public static ScanRun New(DateTimeOffset? createdAt = null, string runtime = "shir-01", Guid? id = null)
    {
        var result = ScanRunLifecycle.Create(new ScanRunId(id ?? Guid.NewGuid()), Definition(runtime), createdAt ?? T0);
        Assert.True(result.IsCreated);
        return result.Run!;
    }

    /// <summary>The new run, failing the test with the reason if the transition was not applied.</summary>
    public static ScanRun Ok(this TransitionResult result)
    {
        Assert.True(result.IsApplied, $"{result.Outcome} {result.Code}: {result.Reason}");
        return result.Run;
    }

    public static ScanRun Queued() => New();

    public static ScanRun Throttled() => New().MarkThrottled(At(1)).Ok();

    /// <summary>Scan phase running since minute 2 with 10 assets discovered.</summary>
    public static ScanRun Scanning() => New().Start(At(2)).Ok().RecordDiscovered(10, At(3)).Ok();

    /// <summary>Scan phase completed at minute 10; ingestion Queued.</summary>
    public static ScanRun ScanCompleted() => Scanning().CompleteScan(At(10)).Ok();

    /// <summary>Ingestion running since minute 11 with 5 assets and 2 relationships ingested.</summary>
    public static ScanRun Ingesting() =>
        ScanCompleted().StartIngestion(At(11)).Ok().RecordIngested(5, 0, 2, 0, At(12)).Ok();

    public static ScanRun Succeeded() => Ingesting().CompleteIngestion(At(20)).Ok();

    public static ScanRun PartiallySucceeded() =>
        Ingesting().RecordIngested(0, 1, 0, 0, At(13)).Ok().CompleteIngestion(At(20)).Ok();

    public static ScanRun ScanFailed() => Scanning().FailScan("SourceUnreachable", "Cannot connect.", At(5)).Ok();

    public static ScanRun IngestionFailed() => Ingesting().FailIngestion("DataMapUnavailable", "Data map is down.", At(15)).Ok();

    public static ScanRun Canceled() => Scanning().Cancel(At(5)).Ok();

    public static ScanRun TimedOut() => Scanning().CheckTimeout(T0.AddDays(8)).Ok();

    public static ScanRun InState(string state) => state switch
    {
        nameof(Queued) => Queued(),
        nameof(Throttled) => Throttled(),
        nameof(Scanning) => Scanning(),
        nameof(ScanCompleted) => ScanCompleted(),
        nameof(Ingesting) => Ingesting(),
        nameof(Succeeded) => Succeeded(),
        nameof(PartiallySucceeded) => PartiallySucceeded(),
        nameof(ScanFailed) => ScanFailed(),
        nameof(IngestionFailed) => IngestionFailed(),
        nameof(Canceled) => Canceled(),
        nameof(TimedOut) => TimedOut(),
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
