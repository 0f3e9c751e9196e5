using Purview.Core.ScanRuns;
using Xunit;
using static Purview.Core.Tests.ScanRuns.Runs;

namespace Purview.Core.Tests.ScanRuns;

public class StatusMappingTests
{
    [Theory]
    [InlineData(ScanPhaseStatus.Queued, "Queued")]
    [InlineData(ScanPhaseStatus.Throttled, "Throttled")]
    [InlineData(ScanPhaseStatus.InProgress, "Running")]
    [InlineData(ScanPhaseStatus.Completed, "Succeeded")]
    [InlineData(ScanPhaseStatus.Failed, "Failed")]
    [InlineData(ScanPhaseStatus.Canceled, "Cancelled")]
    public void Scan_phase_statuses_map_to_the_discovery_vocabulary(ScanPhaseStatus status, string api)
    {
        Assert.Equal(api, PurviewStatusNames.Discovery(status));
    }

    [Theory]
    [InlineData(IngestionPhaseStatus.Queued, "Queued")]
    [InlineData(IngestionPhaseStatus.InProgress, "InProgress")]
    [InlineData(IngestionPhaseStatus.Completed, "Succeeded")]
    [InlineData(IngestionPhaseStatus.PartiallyCompleted, "PartialSucceeded")]
    [InlineData(IngestionPhaseStatus.Failed, "Failed")]
    [InlineData(IngestionPhaseStatus.Canceled, "Canceled")]
    [InlineData(IngestionPhaseStatus.NotStarted, "None")]
    public void Ingestion_phase_statuses_map_to_the_ingestion_vocabulary(IngestionPhaseStatus status, string api)
    {
        Assert.Equal(api, PurviewStatusNames.Ingestion(status));
    }

    [Theory]
    [InlineData(ScanRunStatus.Accepted, "Accepted")]
    [InlineData(ScanRunStatus.InProgress, "InProgress")]
    [InlineData(ScanRunStatus.TransientFailure, "TransientFailure")]
    [InlineData(ScanRunStatus.Succeeded, "Succeeded")]
    [InlineData(ScanRunStatus.Failed, "Failed")]
    [InlineData(ScanRunStatus.Canceled, "Canceled")]
    public void Run_statuses_map_to_the_operation_response_vocabulary(ScanRunStatus status, string api)
    {
        Assert.Equal(api, PurviewStatusNames.Operation(status));
    }

    [Theory]
    [InlineData("Queued", "Accepted", "Queued", "Queued")]
    [InlineData("Throttled", "Accepted", "Throttled", "Queued")]
    [InlineData("Scanning", "InProgress", "Running", "Queued")]
    [InlineData("ScanCompleted", "InProgress", "Succeeded", "Queued")]
    [InlineData("Ingesting", "InProgress", "Succeeded", "InProgress")]
    [InlineData("Succeeded", "Succeeded", "Succeeded", "Succeeded")]
    [InlineData("PartiallySucceeded", "Succeeded", "Succeeded", "PartialSucceeded")]
    [InlineData("ScanFailed", "Failed", "Failed", "None")]
    [InlineData("IngestionFailed", "Failed", "Succeeded", "Failed")]
    [InlineData("Canceled", "Canceled", "Cancelled", "Canceled")]
    [InlineData("TimedOut", "Failed", "Failed", "None")]
    public void Each_run_state_reads_in_the_api_vocabulary(string state, string status, string discovery, string ingestion)
    {
        var run = InState(state);

        Assert.Equal(
            (status, discovery, ingestion),
            (PurviewStatusNames.Operation(run.Status), PurviewStatusNames.Discovery(run.Scan.Status), PurviewStatusNames.Ingestion(run.Ingestion.Status)));
    }

    [Fact]
    public void The_lifecycle_never_produces_a_transient_failure()
    {
        var statuses =
            from scan in Enum.GetValues<ScanPhaseStatus>()
            from ingestion in Enum.GetValues<IngestionPhaseStatus>()
            select ScanRun.StatusOf(scan, ingestion);

        Assert.DoesNotContain(ScanRunStatus.TransientFailure, statuses);
    }

    [Fact]
    public void Every_status_of_every_enum_has_an_api_name()
    {
        Assert.All(Enum.GetValues<ScanPhaseStatus>(), s => Assert.False(string.IsNullOrEmpty(PurviewStatusNames.Discovery(s))));
        Assert.All(Enum.GetValues<IngestionPhaseStatus>(), s => Assert.False(string.IsNullOrEmpty(PurviewStatusNames.Ingestion(s))));
        Assert.All(Enum.GetValues<ScanRunStatus>(), s => Assert.False(string.IsNullOrEmpty(PurviewStatusNames.Operation(s))));
    }
}
