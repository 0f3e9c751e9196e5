using Purview.Core.ScanRuns;
using Xunit;

namespace Purview.Core.Tests.ScanRuns;

/// <summary>Every operation from every state: what is allowed, what is a no-op, what is refused.</summary>
public class TransitionMatrixTests
{
    private static readonly string[] NonFinalStates = ["Queued", "Throttled", "Scanning", "ScanCompleted", "Ingesting"];

    private static readonly string[] FinalStates =
        ["Succeeded", "PartiallySucceeded", "ScanFailed", "IngestionFailed", "Canceled", "TimedOut"];

    private static readonly string[] Operations =
    [
        "MarkQueued", "MarkThrottled", "Start", "RecordDiscovered", "RecordClassified", "CompleteScan",
        "StartIngestion", "RecordIngested", "CompleteIngestion", "FailScan", "FailIngestion", "Cancel", "CheckTimeout",
    ];

    // The legal moves; anything not listed for a non-final state is an IllegalTransition.
    private static readonly Dictionary<string, string[]> Applied = new()
    {
        ["Queued"] = ["MarkThrottled", "Start", "FailScan", "Cancel"],
        ["Throttled"] = ["MarkQueued", "Start", "FailScan", "Cancel"],
        ["Scanning"] = ["RecordDiscovered", "RecordClassified", "CompleteScan", "FailScan", "Cancel"],
        ["ScanCompleted"] = ["StartIngestion", "FailIngestion", "Cancel"],
        ["Ingesting"] = ["RecordIngested", "CompleteIngestion", "FailIngestion", "Cancel"],
    };

    public static TheoryData<string, string, TransitionOutcome, TransitionCode> Matrix()
    {
        var data = new TheoryData<string, string, TransitionOutcome, TransitionCode>();
        foreach (var state in NonFinalStates)
        {
            foreach (var op in Operations)
            {
                var (outcome, code) = (state, op) switch
                {
                    (_, "CheckTimeout") => (TransitionOutcome.Unchanged, TransitionCode.WithinTimeLimit),
                    ("Queued", "MarkQueued") or ("Throttled", "MarkThrottled") => (TransitionOutcome.Unchanged, TransitionCode.AlreadyInStatus),
                    _ when Applied[state].Contains(op) => (TransitionOutcome.Applied, TransitionCode.None),
                    _ => (TransitionOutcome.Rejected, TransitionCode.IllegalTransition),
                };
                data.Add(state, op, outcome, code);
            }
        }

        foreach (var state in FinalStates)
        {
            foreach (var op in Operations)
            {
                var (outcome, code) = (state, op) switch
                {
                    ("Canceled", "Cancel") => (TransitionOutcome.Unchanged, TransitionCode.AlreadyCanceled),
                    (_, "CheckTimeout") => (TransitionOutcome.Unchanged, TransitionCode.RunIsFinal),
                    _ => (TransitionOutcome.Rejected, TransitionCode.RunIsFinal),
                };
                data.Add(state, op, outcome, code);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Operation_from_state_has_the_expected_outcome(string state, string operation, TransitionOutcome outcome, TransitionCode code)
    {
        var before = Runs.InState(state);

        var result = Apply(before, operation, Runs.At(30));

        Assert.Equal((outcome, code), (result.Outcome, result.Code));
        if (outcome == TransitionOutcome.Applied)
        {
            Assert.Equal(before.Version + 1, result.Run.Version);
            Assert.NotNull(result.Event);
            Assert.Equal(result.Run.Version, result.Event.Version);
            Assert.Equal(before.Status, result.Event.FromStatus);
            Assert.Equal(result.Run.Status, result.Event.ToStatus);
            Assert.Equal(Runs.At(30), result.Run.LastUpdatedAt);
            Assert.Null(result.Reason);
        }
        else
        {
            Assert.Same(before, result.Run);
            Assert.Null(result.Event);
            Assert.False(string.IsNullOrWhiteSpace(result.Reason));
        }
    }

    [Theory]
    [MemberData(nameof(FinalStateNames))]
    public void A_final_run_stays_in_its_final_status_whatever_is_tried(string state)
    {
        var run = Runs.InState(state);
        var status = run.Status;

        foreach (var op in Operations)
        {
            run = Apply(run, op, Runs.T0.AddDays(30)).Run;
        }

        Assert.Equal(status, run.Status);
        Assert.True(run.IsFinal);
    }

    public static TheoryData<string> FinalStateNames() => [.. FinalStates];

    [Fact]
    public void Completing_the_scan_twice_is_refused()
    {
        var run = Runs.ScanCompleted();

        var result = run.CompleteScan(Runs.At(12));

        Assert.Equal(TransitionCode.IllegalTransition, result.Code);
        Assert.Contains("Completed", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Starting_ingestion_before_the_scan_completed_is_refused()
    {
        var result = Runs.Scanning().StartIngestion(Runs.At(4));

        Assert.Equal((TransitionOutcome.Rejected, TransitionCode.IllegalTransition), (result.Outcome, result.Code));
    }

    [Fact]
    public void Recording_counts_on_a_final_run_is_refused_as_final()
    {
        var result = Runs.Succeeded().RecordIngested(1, 0, 0, 0, Runs.At(25));

        Assert.Equal((TransitionOutcome.Rejected, TransitionCode.RunIsFinal), (result.Outcome, result.Code));
    }

    private static TransitionResult Apply(ScanRun run, string operation, DateTimeOffset now) => operation switch
    {
        "MarkQueued" => run.MarkQueued(now),
        "MarkThrottled" => run.MarkThrottled(now),
        "Start" => run.Start(now),
        "RecordDiscovered" => run.RecordDiscovered(3, now),
        "RecordClassified" => run.RecordClassified(1, now),
        "CompleteScan" => run.CompleteScan(now),
        "StartIngestion" => run.StartIngestion(now),
        "RecordIngested" => run.RecordIngested(1, 0, 1, 0, now),
        "CompleteIngestion" => run.CompleteIngestion(now),
        "FailScan" => run.FailScan("SourceUnreachable", "Cannot connect.", now),
        "FailIngestion" => run.FailIngestion("DataMapUnavailable", "Data map is down.", now),
        "Cancel" => run.Cancel(now),
        "CheckTimeout" => run.CheckTimeout(now),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };
}
