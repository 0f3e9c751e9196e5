using System.Text.Json;
using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.DataMap;

namespace Purview.Core.Links;

/// <summary>A dataset in a native push body.</summary>
public sealed record DatasetRequest(string? QualifiedName = null, string? Type = null, string? Name = null);

/// <summary>The body of <c>POST /links/{sourceType}/{sourceName}/activityruns</c>.</summary>
public sealed record ActivityRunRequest(
    string? PipelineName = null,
    string? ActivityName = null,
    string? ActivityType = null,
    string? ActivityRunId = null,
    string? PipelineRunId = null,
    string? Status = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    IReadOnlyList<DatasetRequest>? Inputs = null,
    IReadOnlyList<DatasetRequest>? Outputs = null,
    JsonElement? ColumnMapping = null);

/// <summary>The outcome of one OpenLineage event: 201 (ingested), or the error that refused it.</summary>
public sealed record OpenLineageResult(int Index, bool Duplicate, string? RunId, string? EventType, LineageReport? ReportLineageToPurview, Error? Error);

/// <summary>
/// Connected sources (links) and the lineage they push. Managing links needs Data source admin or Collection admin on
/// the root (checked by the route group); pushing needs the caller to be one of the link's writers and Data curator on
/// the link's collection.
/// </summary>
public sealed class LinkService(
    ILinkRepository links, ILinkRunStore runs, ILinkEventStore events, ILinkAggregateStore aggregates, IDataMap dataMap, AccessService access, TimeProvider time)
{
    public const int MaxDatasetsPerRun = 100;
    public const int MaxWriters = 50;
    public static readonly TimeSpan Retention = TimeSpan.FromDays(45);
    public static readonly IReadOnlyList<string> RunStatuses = ["Succeeded", "Failed", "Cancelled"];

    public async Task<IReadOnlyList<Link>> ListAsync(CancellationToken cancellationToken) =>
        (await links.ListAsync(cancellationToken)).OrderBy(l => l.SourceType).ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public async Task<Result<Link>> GetAsync(string sourceType, string sourceName, CancellationToken cancellationToken)
    {
        if (ParseSource(sourceType, sourceName) is { Error: { } error })
        {
            return error;
        }

        var type = Enum.Parse<LinkSourceType>(sourceType, ignoreCase: true);
        return await links.GetAsync(type, sourceName, cancellationToken) is { } link ? link : NotConnected(type, sourceName);
    }

    public async Task<Result<(Link Link, bool Created)>> PutAsync(Principal caller, string sourceType, string sourceName, string? collection, IReadOnlyList<string?>? writers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (type, error) = ParseSource(sourceType, sourceName);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(collection))
        {
            return Error.Validation("collection", "collection is required: the collection the source's assets land in.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var target = snapshot.Find(collection);
        if (target is null)
        {
            return Error.Validation("collection", $"The collection '{collection}' does not exist.");
        }

        if (writers is null || writers.Count == 0)
        {
            return Error.Validation("writers", "writers lists the principals allowed to push lineage for this source (at least one).");
        }

        if (writers.Count > MaxWriters)
        {
            return Error.Validation("writers", $"writers holds at most {MaxWriters} principals.");
        }

        for (var i = 0; i < writers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(writers[i]) || writers[i]!.Length > 256 || writers[i]!.Any(char.IsControl))
            {
                return Error.Validation($"writers[{i}]", "A writer is a principal name of 1-256 characters without control characters.");
            }
        }

        var now = time.GetUtcNow();
        var existing = await links.GetAsync(type, sourceName, cancellationToken);
        var link = new Link(type, existing?.Name ?? sourceName, target.Name, writers.Select(w => w!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            existing?.CreatedAt ?? now, existing?.CreatedBy ?? caller.Name, now);
        var created = await links.PutAsync(link, cancellationToken);
        await access.AuditAsync(caller, created ? "link.connect" : "link.update", $"{type}/{sourceName}", target.Name, string.Join(",", link.Writers), cancellationToken);
        return (link, created);
    }

    public async Task<Result<Link>> DeleteAsync(Principal caller, string sourceType, string sourceName, CancellationToken cancellationToken)
    {
        var (type, error) = ParseSource(sourceType, sourceName);
        if (error is not null)
        {
            return error;
        }

        var link = await links.GetAsync(type, sourceName, cancellationToken);
        if (link is null || !await links.DeleteAsync(type, sourceName, cancellationToken))
        {
            return NotConnected(type, sourceName);
        }

        await access.AuditAsync(caller, "link.disconnect", $"{type}/{link.Name}", link.Collection, null, cancellationToken);
        return link;
    }

    /// <summary>A Data Factory or Synapse activity run: validates, ingests its lineage once, and answers its <c>reportLineageToPurview</c> section.</summary>
    public async Task<Result<LineageReport>> PushActivityRunAsync(Principal caller, string sourceType, string sourceName, ActivityRunRequest? body, CancellationToken cancellationToken)
    {
        var (type, error) = ParseSource(sourceType, sourceName);
        if (error is not null)
        {
            return error;
        }

        if (type == LinkSourceType.OpenLineage)
        {
            return Error.Validation("sourceType", "OpenLineage sources push RunEvents to POST /api/v1/lineage, not activity runs.");
        }

        var parsed = ValidateActivityRun(body);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }

        var run = parsed.Value!;
        var linkResult = await AuthorizePushAsync(caller, type, sourceName, cancellationToken);
        if (!linkResult.IsSuccess)
        {
            return linkResult.Error!;
        }

        var link = linkResult.Value!;
        if (await runs.GetAsync(type, link.Name, run.ActivityRunId, cancellationToken) is { } known)
        {
            return known.Report;
        }

        var now = time.GetUtcNow();
        LineageReport report;
        if (run.Status != "Succeeded")
        {
            report = new LineageReport(LineageReport.NotReported, $"The activity run's status is {run.Status}: lineage is reported for succeeded runs only.", 0, 0);
        }
        else
        {
            var inputs = run.Inputs.Where(d => LinkLineage.SupportedDatasetTypes.Contains(d.Type)).ToList();
            var outputs = run.Outputs.Where(d => LinkLineage.SupportedDatasetTypes.Contains(d.Type)).ToList();
            if (inputs.Count == 0 || outputs.Count == 0)
            {
                var dropped = run.Inputs.Concat(run.Outputs).Where(d => !LinkLineage.SupportedDatasetTypes.Contains(d.Type)).Select(d => d.Type).Distinct().ToList();
                report = new LineageReport(LineageReport.NotReported,
                    $"No lineage to report: the run has no {(inputs.Count == 0 ? "source" : "sink")} of a supported type" +
                    (dropped.Count > 0 ? $" (unsupported: {string.Join(", ", dropped)})." : "."), 0, 0);
            }
            else
            {
                var plan = LinkLineage.ForActivityRun(link, run, inputs, outputs, now);
                var assets = await dataMap.UpsertEntitiesAsync(plan.Entities, cancellationToken);
                var relationships = await dataMap.UpsertRelationshipsAsync(plan.Relationships, cancellationToken);
                report = new LineageReport(LineageReport.Succeeded, null, assets, relationships);
            }
        }

        var eventTime = run.End ?? run.Start;
        if (!await runs.TryAddAsync(new LinkRun(type, link.Name, run.ActivityRunId, run.PipelineName, run.ActivityName, run.Status, eventTime, report), cancellationToken))
        {
            // The same run was pushed concurrently: it holds the counts; this push created nothing new.
            return (await runs.GetAsync(type, link.Name, run.ActivityRunId, cancellationToken))!.Report;
        }

        await RecordAsync(new LinkEvent(type, link.Name, $"{run.PipelineName}/{run.ActivityName}", "activityrun|" + run.ActivityRunId, eventTime, now, "activityrun",
            report.AssetsIngested, report.RelationshipsIngested, IsRun: true), cancellationToken);
        return report;
    }

    public async Task<Result<LinkRun>> GetRunAsync(Principal caller, string sourceType, string sourceName, string runId, CancellationToken cancellationToken)
    {
        var (type, error) = ParseSource(sourceType, sourceName);
        if (error is not null)
        {
            return error;
        }

        var link = await links.GetAsync(type, sourceName, cancellationToken);
        if (link is null)
        {
            return NotConnected(type, sourceName);
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        var monitor = snapshot.HasRole(caller, Role.DataSourceAdmin, link.Collection) || snapshot.HasRole(caller, Role.CollectionAdmin, snapshot.RootName);
        if (!monitor && !(link.IsWriter(caller.Name) && snapshot.HasRole(caller, Role.DataCurator, link.Collection)))
        {
            return Error.Forbidden($"Reading runs of {type}/{link.Name} needs to be one of its writers (with Data curator on '{link.Collection}') or Data source admin on '{link.Collection}'.");
        }

        return await runs.GetAsync(type, link.Name, runId, cancellationToken) is { } run ? run : Error.NotFound($"No run '{runId}' was pushed for {type}/{link.Name}.");
    }

    /// <summary>OpenLineage events, already validated: each is checked against its namespace's link, ingested once, and recorded.</summary>
    public async Task<IReadOnlyList<OpenLineageResult>> IngestOpenLineageAsync(Principal caller, IReadOnlyList<OpenLineageEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var results = new List<OpenLineageResult>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            results.Add(await IngestOneAsync(caller, i, batch[i], cancellationToken));
        }

        return results;
    }

    private async Task<OpenLineageResult> IngestOneAsync(Principal caller, int index, OpenLineageEvent e, CancellationToken cancellationToken)
    {
        var linkResult = await AuthorizePushAsync(caller, LinkSourceType.OpenLineage, e.LinkNamespace, cancellationToken);
        if (!linkResult.IsSuccess)
        {
            return new OpenLineageResult(index, false, e.RunId, e.EventType, null, linkResult.Error);
        }

        var link = linkResult.Value!;
        var now = time.GetUtcNow();
        LineagePlan? plan = e.Kind switch
        {
            OpenLineageEventKind.Dataset => new LineagePlan([LinkLineage.OpenLineageDataset(e.Dataset!, link.Collection, now)], []),
            OpenLineageEventKind.Job => LinkLineage.ForOpenLineageJob(link, e, now),
            _ when e.EventType == "COMPLETE" && (e.Inputs.Count > 0 || e.Outputs.Count > 0) => LinkLineage.ForOpenLineageJob(link, e, now),
            _ => null,
        };
        var assets = plan is null ? 0 : await dataMap.UpsertEntitiesAsync(plan.Entities, cancellationToken);
        var relationships = plan is null ? 0 : await dataMap.UpsertRelationshipsAsync(plan.Relationships, cancellationToken);
        var report = plan is not null
            ? new LineageReport(LineageReport.Succeeded, null, assets, relationships)
            : new LineageReport(LineageReport.NotReported, e.EventType == "COMPLETE"
                ? "The COMPLETE event has no inputs or outputs: no lineage to report."
                : $"Run state {e.EventType} recorded: lineage is created by COMPLETE events.", 0, 0);

        var kind = e.Kind switch
        {
            OpenLineageEventKind.Dataset => "dataset",
            OpenLineageEventKind.Job => "job",
            _ => "run:" + e.EventType,
        };
        var recorded = await RecordAsync(new LinkEvent(LinkSourceType.OpenLineage, link.Name, e.SubArtifact, e.DedupeKey, e.EventTime, now, kind, assets, relationships,
            IsRun: e.Kind == OpenLineageEventKind.Run && e.IsTerminal), cancellationToken);
        if (!recorded)
        {
            return new OpenLineageResult(index, true, e.RunId, e.EventType, report with { AssetsIngested = 0, RelationshipsIngested = 0 }, null);
        }

        if (e.Kind == OpenLineageEventKind.Run)
        {
            await runs.UpsertLatestAsync(new LinkRun(LinkSourceType.OpenLineage, link.Name, e.RunId!, e.ParentName ?? e.JobName!, e.JobName!, e.EventType!, e.EventTime, report), cancellationToken);
        }

        return new OpenLineageResult(index, false, e.RunId, e.EventType, report, null);
    }

    /// <summary>Records the raw event for aggregation; an event for an hour that is already closed marks that hour for re-aggregation.</summary>
    private async Task<bool> RecordAsync(LinkEvent e, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (e.EventTime < now - Retention)
        {
            return true;
        }

        if (!await events.TryAddAsync(e, cancellationToken))
        {
            return false;
        }

        var hour = LinkHours.Floor(e.EventTime);
        if (hour < LinkHours.Floor(now))
        {
            await aggregates.MarkDirtyAsync(hour, cancellationToken);
        }

        return true;
    }

    private async Task<Result<Link>> AuthorizePushAsync(Principal caller, LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        var link = await links.GetAsync(type, name, cancellationToken);
        if (link is null)
        {
            return NotConnected(type, name);
        }

        if (!link.IsWriter(caller.Name))
        {
            return Error.Forbidden($"'{caller.Name}' is not a writer of {type}/{link.Name}: add it to the link's writers with PUT /links/{type}/{Uri.EscapeDataString(link.Name)}.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (!snapshot.HasRole(caller, Role.DataCurator, link.Collection))
        {
            return Error.Forbidden($"Pushing lineage for {type}/{link.Name} needs the Data curator role on its collection '{link.Collection}'.");
        }

        return link;
    }

    public static Error NotConnected(LinkSourceType type, string name) => new(ErrorKind.NotFound, "LinkNotConnected",
        $"The {type} source '{name}' is not connected. Connect it with PUT /links/{type}/{Uri.EscapeDataString(name)} and a body " +
        "{\"collection\": \"<collection>\", \"writers\": [\"<principal that pushes>\"]} (needs Data source admin or Collection admin on the root collection); " +
        "the writers also need Data curator on that collection.", []);

    private static (LinkSourceType Type, Error? Error) ParseSource(string sourceType, string sourceName)
    {
        if (!LinkNames.TryParseType(sourceType, out var type))
        {
            return (default, Error.Validation("sourceType", $"'{sourceType}' is not a link source type: use one of {string.Join(", ", Enum.GetNames<LinkSourceType>())}."));
        }

        return LinkNames.Validate(type, sourceName) is { } nameError ? (type, Error.Validation("sourceName", nameError)) : (type, null);
    }

    internal static Result<ActivityRunReport> ValidateActivityRun(ActivityRunRequest? body)
    {
        if (body is null)
        {
            return Error.Validation("body", "The body is an activity run: pipelineName, activityName, activityType, activityRunId, pipelineRunId, status, start, end, inputs, outputs.");
        }

        if (Name(body.PipelineName, "pipelineName") is { } e1)
        {
            return e1;
        }

        if (Name(body.ActivityName, "activityName") is { } e2)
        {
            return e2;
        }

        if (body.ActivityType is null || !LinkLineage.ActivityTypes.Contains(body.ActivityType, StringComparer.Ordinal))
        {
            return Error.Validation("activityType", $"activityType must be one of {string.Join(", ", LinkLineage.ActivityTypes)}.");
        }

        if (Id(body.ActivityRunId, "activityRunId") is { } e3)
        {
            return e3;
        }

        if (Id(body.PipelineRunId, "pipelineRunId") is { } e4)
        {
            return e4;
        }

        if (body.Status is null || !RunStatuses.Contains(body.Status, StringComparer.Ordinal))
        {
            return Error.Validation("status", $"status must be one of {string.Join(", ", RunStatuses)}.");
        }

        if (body.Start is not { } start || start.Year is < 2000 or > 2200)
        {
            return Error.Validation("start", "start is required: the run's start time (ISO 8601, UTC).");
        }

        if (body.End is { } end && (end < start || end.Year > 2200))
        {
            return Error.Validation("end", "end must not be before start.");
        }

        var inputs = Datasets(body.Inputs, "inputs");
        if (!inputs.IsSuccess)
        {
            return inputs.Error!;
        }

        var outputs = Datasets(body.Outputs, "outputs");
        if (!outputs.IsSuccess)
        {
            return outputs.Error!;
        }

        if (body.ColumnMapping is { ValueKind: not (JsonValueKind.Object or JsonValueKind.String or JsonValueKind.Null) })
        {
            return Error.Validation("columnMapping", "columnMapping is an object (the Copy activity's translator) or a JSON string.");
        }

        // Data Flow and SSIS report only their sources and sinks: no column-level mapping.
        var mapping = body.ActivityType == "Copy" && body.ColumnMapping is { ValueKind: JsonValueKind.Object or JsonValueKind.String } m ? m.GetRawText() : null;
        return new ActivityRunReport(body.PipelineName!, body.ActivityName!, body.ActivityType, body.ActivityRunId!, body.PipelineRunId!, body.Status,
            start.ToUniversalTime(), body.End?.ToUniversalTime(), inputs.Value!, outputs.Value!, mapping);
    }

    private static Error? Name(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 260 || value.Any(char.IsControl) || value.Contains('/', StringComparison.Ordinal)
            ? Error.Validation(field, $"{field} is required: 1-260 characters, no '/' or control characters.")
            : null;

    private static Error? Id(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 128 || value.Any(c => char.IsControl(c) || c is '/' or '\\' or '#' or '?')
            ? Error.Validation(field, $"{field} is required: 1-128 characters without / \\ # ? or control characters.")
            : null;

    private static Result<IReadOnlyList<DatasetRef>> Datasets(IReadOnlyList<DatasetRequest>? list, string field)
    {
        if (list is null)
        {
            return Error.Validation(field, $"{field} is required: an array of {{qualifiedName, type, name}} (it may be empty).");
        }

        if (list.Count > MaxDatasetsPerRun)
        {
            return Error.Validation(field, $"{field} holds at most {MaxDatasetsPerRun} datasets.");
        }

        var result = new List<DatasetRef>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var d = list[i];
            if (d is null)
            {
                return Error.Validation($"{field}[{i}]", "A dataset is an object {qualifiedName, type, name}.");
            }

            if (string.IsNullOrWhiteSpace(d.QualifiedName) || d.QualifiedName.Length > 2048 || d.QualifiedName.Any(char.IsControl))
            {
                return Error.Validation($"{field}[{i}].qualifiedName", "qualifiedName is required: 1-2048 characters without control characters.");
            }

            if (string.IsNullOrWhiteSpace(d.Type) || d.Type.Length > 100 || !d.Type.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return Error.Validation($"{field}[{i}].type", "type is required: an Atlas type name (letters, digits, '_'), e.g. azure_blob_path.");
            }

            if (d.Name is { } n && (n.Length > 512 || n.Any(char.IsControl)))
            {
                return Error.Validation($"{field}[{i}].name", "name is at most 512 characters without control characters.");
            }

            result.Add(new DatasetRef(d.QualifiedName, d.Type, d.Name));
        }

        return result;
    }
}

/// <summary>Refuses deleting a collection that links still land in. Separate from <see cref="LinkService"/>, which needs <see cref="AccessService"/> (whose deletes ask this).</summary>
public sealed class LinkCollectionUsage(ILinkRepository links) : ICollectionUsage
{
    public async Task<string?> DescribeUsageAsync(string collectionName, CancellationToken cancellationToken)
    {
        var count = (await links.ListAsync(cancellationToken)).Count(l => string.Equals(l.Collection, collectionName, StringComparison.OrdinalIgnoreCase));
        return count == 0 ? null : $"{count} link(s)";
    }
}

public static class LinkHours
{
    public static DateTimeOffset Floor(DateTimeOffset t)
    {
        var u = t.ToUniversalTime();
        return new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero);
    }

    public static string Key(DateTimeOffset hour) => Floor(hour).ToString("yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string key) =>
        DateTimeOffset.ParseExact(key, "yyyyMMddHH", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);
}
