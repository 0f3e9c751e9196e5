using Purview.Core.ScanRuns;

namespace Purview.Api.ScanRuns;

/// <summary>The Scanning API's <c>ErrorModel</c>.</summary>
public sealed record ScanErrorModel(string Code, string Message, string? Target, IReadOnlyList<ScanErrorModel> Details);

/// <summary>The answer to PUT .../runs/{runId} (Scanning API <c>OperationResponse</c>).</summary>
public sealed record OperationResponse(string ScanResultId, DateTimeOffset? StartTime, DateTimeOffset? EndTime, string Status, ScanErrorModel? Error)
{
    public static OperationResponse From(ScanRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new(run.Id.ToString(), run.CreatedAt, run.EndTime, PurviewStatusNames.Operation(run.Status), ScanResultWithIngestion.ErrorOf(run));
    }
}

public sealed record DiscoveryAssets(long Discovered, long Classified, long Failed);

public sealed record DiscoveryStatistics(DiscoveryAssets Assets);

public sealed record DiscoveryExecutionDetails(DateTimeOffset? DiscoveryStartTime, DateTimeOffset? DiscoveryEndTime, string Status, DiscoveryStatistics Statistics, bool IsErrorLogAvailable);

public sealed record IngestionCounts(long Succeeded, long Failed, long Processing);

public sealed record IngestionStatistics(IngestionCounts Assets, IngestionCounts Relationships);

public sealed record IngestionExecutionDetails(
    DateTimeOffset? IngestionStartTime, DateTimeOffset? IngestionEndTime, string Status, IngestionStatistics Statistics,
    long EstimatedTimeRemainingInSeconds, bool IsErrorLogAvailable, DateTimeOffset LastUpdatedAt);

public sealed record Notification(string Message, int Code);

public sealed record Diagnostics(IReadOnlyList<Notification> Notifications, IReadOnlyDictionary<string, int> ExceptionCountMap);

public sealed record CollectionRef(string ReferenceName, string Type);

/// <summary>
/// GET .../runs/{runId}: the Scanning API's <c>ScanResultWithIngestion</c>, field for field, plus our extras:
/// time spent Queued and Throttled and the billable (running) time in seconds, and the run's collection.
/// </summary>
public sealed record ScanResultWithIngestion(
    string Id,
    string? ParentId,
    string ResourceId,
    string Status,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    int? ScanRulesetVersion,
    string? ScanRulesetType,
    string ScanLevelType,
    string RunType,
    string DataSourceType,
    string? ErrorMessage,
    ScanErrorModel? Error,
    Diagnostics Diagnostics,
    DiscoveryExecutionDetails DiscoveryExecutionDetails,
    IngestionExecutionDetails IngestionExecutionDetails,
    double QueuedDuration,
    double ThrottledDuration,
    double BillableDuration,
    CollectionRef Collection)
{
    public static ScanResultWithIngestion From(ScanRun run, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        var ingestion = run.Ingestion;
        var processing = ingestion.Status == IngestionPhaseStatus.InProgress
            ? Math.Max(0, run.Scan.AssetsDiscovered - ingestion.AssetsIngested - ingestion.AssetsFailed)
            : 0;
        long remaining = 0;
        if (processing > 0 && ingestion.StartTime is { } started && ingestion.AssetsIngested + ingestion.AssetsFailed > 0)
        {
            var perAsset = (now - started).TotalSeconds / (ingestion.AssetsIngested + ingestion.AssetsFailed);
            remaining = (long)Math.Ceiling(perAsset * processing);
        }

        return new ScanResultWithIngestion(
            run.Id.ToString(),
            null,
            $"/datasources/{run.DataSourceName}/scans/{run.ScanName}",
            PurviewStatusNames.Operation(run.Status),
            run.CreatedAt,
            run.EndTime,
            null,
            // Runs stored before the rule set was kept ran when only System rule sets existed.
            (run.ScanRulesetType ?? Core.ScanRuns.ScanRulesetType.System).ToString(),
            run.Level.ToString(),
            run.Trigger.ToString(),
            run.SourceKind,
            run.Error?.Message,
            ErrorOf(run),
            new Diagnostics([], new Dictionary<string, int>()),
            new DiscoveryExecutionDetails(run.Scan.StartTime, run.Scan.EndTime, PurviewStatusNames.Discovery(run.Scan.Status),
                new DiscoveryStatistics(new DiscoveryAssets(run.Scan.AssetsDiscovered, run.Scan.AssetsClassified, 0)), false),
            new IngestionExecutionDetails(ingestion.StartTime, ingestion.EndTime, PurviewStatusNames.Ingestion(ingestion.Status),
                new IngestionStatistics(
                    new IngestionCounts(ingestion.AssetsIngested, ingestion.AssetsFailed, processing),
                    new IngestionCounts(ingestion.RelationshipsIngested, ingestion.RelationshipsFailed, 0)),
                remaining, ingestion.ItemsFailed > 0, run.LastUpdatedAt),
            run.TimeQueuedAt(now).TotalSeconds,
            run.TimeThrottledAt(now).TotalSeconds,
            run.BillableDurationAt(now).TotalSeconds,
            new CollectionRef(run.CollectionName, "CollectionReference"));
    }

    internal static ScanErrorModel? ErrorOf(ScanRun run) =>
        run.Error is { } e ? new ScanErrorModel(e.Code, e.Message, null, []) : null;
}
