using Purview.Core.Telemetry;
using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Links;

/// <summary>The outcome of one OpenLineage event: 201 (ingested), or the error that refused it.</summary>
public sealed record OpenLineageResult(int Index, bool Duplicate, string? RunId, string? EventType, LineageReport? ReportLineageToPurview, Error? Error);

/// <summary>
/// Connected sources (links) and the lineage they push. Managing links needs Data source admin or Collection admin on
/// the root (checked by the route group); pushing needs the caller to be one of the link's writers and Data curator on
/// the link's collection. Route and body checks are <see cref="LinkPushValidation"/>'s, the cached links
/// <see cref="LinkDirectory"/>'s, ownership, crediting and the raw events <see cref="LinkLineageWriter"/>'s; this class
/// orders the steps of a push and decides what the caller is answered.
/// </summary>
public sealed class LinkService(
    ILinkRepository links, ILinkRunStore runs, LinkDirectory directory, LinkLineageWriter writer, AccessService access, TimeProvider time)
{
    public const int MaxWriters = 50;

    public static readonly TimeSpan Retention = TimeSpan.FromDays(45);

    // How many runs of one OpenLineage array have their stored states read at once.
    private const int RunStateReads = 16;

    public async Task<IReadOnlyList<Link>> ListAsync(CancellationToken cancellationToken) =>
        (await links.ListAsync(cancellationToken)).OrderBy(l => l.SourceType).ThenBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public async Task<Result<Link>> GetAsync(string sourceType, string sourceName, CancellationToken cancellationToken)
    {
        if (LinkPushValidation.ParseSource(sourceType, sourceName) is { Error: { } error })
        {
            return error;
        }

        var type = Enum.Parse<LinkSourceType>(sourceType, ignoreCase: true);
        return await links.GetAsync(type, sourceName, cancellationToken) is { } link ? link : NotConnected(type, sourceName);
    }

    public async Task<Result<(Link Link, bool Created)>> PutAsync(Principal caller, string sourceType, string sourceName, string? collection, IReadOnlyList<string?>? writers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var (type, error) = LinkPushValidation.ParseSource(sourceType, sourceName);
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
            if (string.IsNullOrWhiteSpace(writers[i]) || writers[i]!.Length > 256 || writers[i]!.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
            {
                return Error.Validation($"writers[{i}]", "A writer is a principal name of 1-256 characters without control characters.");
            }
        }

        var now = time.GetUtcNow();
        var existing = await links.GetAsync(type, sourceName, cancellationToken);
        var link = new Link(type, existing?.Name ?? sourceName, target.Name, writers.Select(w => w!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            existing?.CreatedAt ?? now, existing?.CreatedBy ?? caller.Name, now);
        var created = await links.PutAsync(link, cancellationToken);
        directory.Invalidate();
        await access.AuditAsync(caller, created ? "link.connect" : "link.update", $"{type}/{sourceName}", target.Name, string.Join(",", link.Writers), cancellationToken);
        return (link, created);
    }

    public async Task<Result<Link>> DeleteAsync(Principal caller, string sourceType, string sourceName, CancellationToken cancellationToken)
    {
        var (type, error) = LinkPushValidation.ParseSource(sourceType, sourceName);
        if (error is not null)
        {
            return error;
        }

        var link = await links.GetAsync(type, sourceName, cancellationToken);
        if (link is null || !await links.DeleteAsync(type, sourceName, cancellationToken))
        {
            return NotConnected(type, sourceName);
        }

        directory.Invalidate();

        await access.AuditAsync(caller, "link.disconnect", $"{type}/{link.Name}", link.Collection, null, cancellationToken);
        return link;
    }

    /// <summary>A Data Factory or Synapse activity run: validates, ingests its lineage once, and answers its <c>reportLineageToPurview</c> section.</summary>
    public async Task<Result<LineageReport>> PushActivityRunAsync(Principal caller, string sourceType, string sourceName, ActivityRunRequest? body, CancellationToken cancellationToken)
    {
        var result = await PushActivityRunCoreAsync(caller, sourceType, sourceName, body, cancellationToken);
        // The tag is the parsed type, never the caller's text: a metric's tag values must stay a small set.
        PurviewTelemetry.LinkEvents.Add(1, new("source_type", Enum.TryParse<LinkSourceType>(sourceType, ignoreCase: true, out var parsed) ? parsed.ToString() : "unknown"), new("outcome", result.IsSuccess ? "accepted" : "rejected"));
        return result;
    }

    private async Task<Result<LineageReport>> PushActivityRunCoreAsync(Principal caller, string sourceType, string sourceName, ActivityRunRequest? body, CancellationToken cancellationToken)
    {
        var (type, error) = LinkPushValidation.ParseSource(sourceType, sourceName);
        if (error is not null)
        {
            return error;
        }

        if (type == LinkSourceType.OpenLineage)
        {
            return Error.Validation("sourceType", "OpenLineage sources push RunEvents to POST /api/v1/lineage, not activity runs.");
        }

        var parsed = LinkPushValidation.ValidateActivityRun(body);
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
        var now = time.GetUtcNow();
        LineagePlan? plan = null;
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
                plan = LinkLineage.ForActivityRun(link, run, inputs, outputs, now);
                report = new LineageReport(LineageReport.Succeeded, null, 0, 0);
            }
        }

        // Every step is idempotent and the run's rows carry its key, so a push retried after a crash anywhere redoes the
        // steps and is credited with exactly what it created; the run record decides what the caller is answered.
        var dedupeKey = "activityrun|" + run.ActivityRunId;
        if (plan is not null)
        {
            var credit = (await writer.WriteAsync([new LineageWrite(LinkLineageWriter.CreatorKey(link, dedupeKey), link.Collection, plan)], cancellationToken))[0];
            report = report with { AssetsIngested = credit.Entities, RelationshipsIngested = credit.Relationships, Skipped = credit.Skipped };
        }

        var eventTime = run.End ?? run.Start;
        var linkEvent = new LinkEvent(type, link.Name, $"{run.PipelineName}/{run.ActivityName}", dedupeKey, eventTime, now, "activityrun",
            report.AssetsIngested, report.RelationshipsIngested, IsRun: true);
        await writer.MarkLateHoursAsync([linkEvent], now, cancellationToken);
        var recordTask = writer.RecordAsync([linkEvent], now, cancellationToken);
        var added = await runs.TryAddAsync(new LinkRun(type, link.Name, run.ActivityRunId, run.PipelineName, run.ActivityName, run.Status, eventTime, report), cancellationToken);
        await recordTask;
        if (!added)
        {
            // Pushed before (or concurrently): the stored report is the answer; this push created nothing new.
            return (await runs.GetAsync(type, link.Name, run.ActivityRunId, cancellationToken))!.Report;
        }

        return report;
    }

    public async Task<Result<LinkRun>> GetRunAsync(Principal caller, string sourceType, string sourceName, string runId, CancellationToken cancellationToken)
    {
        var (type, error) = LinkPushValidation.ParseSource(sourceType, sourceName);
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
            // A caller with no role on the link's collection learns nothing, not even that the link exists or where.
            if (!Roles.All.Any(r => snapshot.HasRole(caller, r, link.Collection)))
            {
                return NotConnected(type, sourceName);
            }

            return Error.Forbidden($"Reading runs of {type}/{link.Name} needs to be one of its writers (with Data curator on '{link.Collection}') or Data source admin on '{link.Collection}'.");
        }

        return await runs.GetAsync(type, link.Name, runId, cancellationToken) is { } run ? run : Error.NotFound($"No run '{runId}' was pushed for {type}/{link.Name}.");
    }

    /// <summary>
    /// OpenLineage events, already validated, processed together: each is checked against its namespace's link; the
    /// data-map rows of all of them are written in one batched write (each event credited with what it created), then
    /// their run states, then the raw events (the insert that decides duplicates). Every step is idempotent and the rows
    /// carry the event's key, so a request retried after a crash anywhere is counted exactly once.
    /// </summary>
    public async Task<IReadOnlyList<OpenLineageResult>> IngestOpenLineageAsync(Principal caller, IReadOnlyList<OpenLineageEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = time.GetUtcNow();
        var results = new OpenLineageResult?[batch.Count];
        var accepted = new List<(int Index, OpenLineageEvent Event, Link Link, LineagePlan? Plan, string Key)>();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeats = new List<(int Index, int First)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            var linkResult = await AuthorizePushAsync(caller, LinkSourceType.OpenLineage, e.LinkNamespace, cancellationToken);
            if (!linkResult.IsSuccess)
            {
                results[i] = new OpenLineageResult(i, false, e.RunId, e.EventType, null, linkResult.Error);
                continue;
            }

            var link = linkResult.Value!;
            if (e.ParentNamespace is { } parentNamespace && !string.Equals(parentNamespace, e.JobNamespace, StringComparison.Ordinal)
                && !(await AuthorizePushAsync(caller, LinkSourceType.OpenLineage, parentNamespace, cancellationToken)).IsSuccess)
            {
                // The parent job would be written into that namespace: only a caller who may push there may put it there.
                const string field = "run.facets.parent.job.namespace";
                var message = $"The parent job's namespace '{parentNamespace}' is not one this caller may push lineage to: send the parent in the job's own namespace or in a link it writes.";
                results[i] = new OpenLineageResult(i, false, e.RunId, e.EventType, null, new Error(ErrorKind.Forbidden, "ParentNamespaceNotAllowed", message, [new ValidationError(field, message)]));
                continue;
            }

            LineagePlan? plan = e.Kind switch
            {
                OpenLineageEventKind.Dataset => LinkLineage.ForOpenLineageDataset(link, e, now),
                OpenLineageEventKind.Job => LinkLineage.ForOpenLineageJob(link, e, now),
                _ => null,
            };
            var key = LinkLineageWriter.CreatorKey(link, e.DedupeKey);
            if (!keys.TryAdd(key, accepted.Count))
            {
                // The same event twice in one array: the first occurrence stands for both.
                repeats.Add((i, keys[key]));
                continue;
            }

            accepted.Add((i, e, link, plan, key));
        }

        var deferred = await PlanRunLineageAsync(accepted, now, cancellationToken);
        foreach (var (index, first) in repeats)
        {
            var e = batch[index];
            results[index] = new OpenLineageResult(index, true, e.RunId, e.EventType, ReportOf(e, accepted[first].Plan, 0, 0), null);
        }

        if (accepted.Count > 0)
        {
            var withPlans = accepted.Where(a => a.Plan is not null).ToList();
            var written = await writer.WriteDataMapAsync(withPlans.Select(a => new LineageWrite(a.Key, a.Link.Collection, a.Plan!)).ToList(), cancellationToken);
            var creditOf = new Dictionary<int, LineageCredit>();
            for (var k = 0; k < withPlans.Count; k++)
            {
                creditOf[withPlans[k].Index] = written.Credits[k];
            }

            var reports = accepted.Select(a => creditOf.TryGetValue(a.Index, out var c)
                ? ReportOf(a.Event, a.Plan, c.Entities, c.Relationships) with { Skipped = c.Skipped }
                : ReportOf(a.Event, a.Plan, 0, 0)).ToList();
            var states = accepted.Select((a, k) => (a, k)).Where(x => x.a.Event.Kind == OpenLineageEventKind.Run)
                .Select(x => new LinkRun(LinkSourceType.OpenLineage, x.a.Link.Name, x.a.Event.RunId!, x.a.Event.ParentName ?? x.a.Event.JobName!, x.a.Event.JobName!,
                    x.a.Event.EventType ?? string.Empty, x.a.Event.EventTime, reports[x.k],
                    x.a.Event.DatasetsFitRunState ? x.a.Event.Inputs : null, x.a.Event.DatasetsFitRunState ? x.a.Event.Outputs : null)).ToList();
            // The run counts and the run states at once: both are idempotent and both come before the raw events (the
            // commit point), so a crash in either leaves the push to be redone whole.
            await Task.WhenAll(writer.RecordRollupsAsync(written, cancellationToken), runs.RecordStatesAsync(states, cancellationToken));
            await WriteDeferredOfCompletedRunsAsync(accepted, deferred, reports, now, cancellationToken);

            var linkEvents = accepted.Select((a, k) => new LinkEvent(LinkSourceType.OpenLineage, a.Link.Name, a.Event.SubArtifact, a.Event.DedupeKey, a.Event.EventTime, now,
                a.Event.Kind switch
                {
                    OpenLineageEventKind.Dataset => "dataset",
                    OpenLineageEventKind.Job => "job",
                    _ => "run:" + a.Event.EventType,
                },
                reports[k].AssetsIngested, reports[k].RelationshipsIngested, IsRun: a.Event.Kind == OpenLineageEventKind.Run && a.Event.IsTerminal)).ToList();
            await writer.MarkLateHoursAsync(linkEvents, now, cancellationToken);
            var recorded = await writer.RecordAsync(linkEvents, now, cancellationToken);
            for (var k = 0; k < accepted.Count; k++)
            {
                var (index, e, _, _, _) = accepted[k];
                results[index] = recorded[k]
                    ? new OpenLineageResult(index, false, e.RunId, e.EventType, reports[k], null)
                    : new OpenLineageResult(index, true, e.RunId, e.EventType, reports[k] with { AssetsIngested = 0, RelationshipsIngested = 0 }, null);
            }
        }

        foreach (var r in results)
        {
            PurviewTelemetry.LinkEvents.Add(1, new("source_type", "OpenLineage"), new("outcome", r!.Error is not null ? "rejected" : r.Duplicate ? "duplicate" : "accepted"));
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>
    /// The lineage of run events. "All metadata is additive" (OpenLineage 2-0-2): a run's lineage is the union of the
    /// datasets all its events name, written when the run completes: a COMPLETE writes the job between every dataset
    /// its run's events named (recorded earlier, or earlier in this array); an event of a run that has completed adds
    /// its own datasets at once; other events' datasets wait in their run state rows. FAIL and ABORT runs get no lineage,
    /// as before. An event naming more datasets than a state row holds writes them at once.
    /// </summary>
    /// <returns>The events whose datasets were left to wait in their state rows for the run's completion.</returns>
    private async Task<IReadOnlyList<int>> PlanRunLineageAsync(List<(int Index, OpenLineageEvent Event, Link Link, LineagePlan? Plan, string Key)> accepted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runEvents = accepted.Select((a, k) => (a, k)).Where(x => x.a.Event.Kind == OpenLineageEventKind.Run);
        var groups = runEvents.GroupBy(x => (x.a.Link.Name, x.a.Event.RunId!))
            .Where(g => g.Any(x => x.a.Event.NamesDatasets || x.a.Event.EventType == "COMPLETE"))
            .ToList();
        // The runs of an array are independent: their stored states are read at once, each run filling its own events' slots.
        var planned = new LineagePlan?[accepted.Count];
        var deferred = new bool[accepted.Count];
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = RunStateReads, CancellationToken = cancellationToken }, async (group, token) =>
        {
            var events = group.ToList();
            var completing = events.Any(x => x.a.Event.EventType == "COMPLETE");
            // A completion is recorded before the states are listed (see WriteDeferredOfCompletedRunsAsync for why).
            var stored = completing
                ? await runs.CompleteAndListLineageStatesAsync(LinkSourceType.OpenLineage, group.Key.Name, group.Key.Item2, token)
                : await runs.ListLineageStatesAsync(LinkSourceType.OpenLineage, group.Key.Name, group.Key.Item2, token);
            var completed = completing || stored.Any(r => r.State == "COMPLETE");
            var inputs = stored.SelectMany(r => r.Inputs ?? []).Concat(events.SelectMany(x => x.a.Event.Inputs)).Distinct().ToList();
            var outputs = stored.SelectMany(r => r.Outputs ?? []).Concat(events.SelectMany(x => x.a.Event.Outputs)).Distinct().ToList();
            foreach (var (a, k) in events)
            {
                var e = a.Event;
                var merged = e.EventType == "COMPLETE" ? e with { Inputs = inputs, Outputs = outputs }
                    : (completed || !e.DatasetsFitRunState) && e.NamesDatasets ? e
                    : null;
                if (merged is { NamesDatasets: true })
                {
                    planned[k] = LinkLineage.ForOpenLineageJob(a.Link, merged, now);
                }
                else if (e.NamesDatasets)
                {
                    deferred[k] = true;
                }
            }
        });
        for (var k = 0; k < accepted.Count; k++)
        {
            if (planned[k] is { } plan)
            {
                accepted[k] = accepted[k] with { Plan = plan };
            }
        }

        return Enumerable.Range(0, accepted.Count).Where(k => deferred[k]).ToList();
    }

    /// <summary>
    /// Events whose datasets were left to wait for their run's completion ask again once their states (and the run's
    /// head) are recorded. A COMPLETE of the same run planned meanwhile may not have listed them; but it recorded the
    /// completion before listing, and these recorded their states before asking, so one of the two sees the other.
    /// Datasets of a run found completed are written now (the event's own job lineage, credited to it), before the raw
    /// events. One point read per such run; a COMPLETE costs nothing more.
    /// </summary>
    private async Task WriteDeferredOfCompletedRunsAsync(List<(int Index, OpenLineageEvent Event, Link Link, LineagePlan? Plan, string Key)> accepted, IReadOnlyList<int> deferred,
        List<LineageReport> reports, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (deferred.Count == 0)
        {
            return;
        }

        var completed = new bool[accepted.Count];
        await Parallel.ForEachAsync(deferred.GroupBy(k => (accepted[k].Link.Name, accepted[k].Event.RunId!)), new ParallelOptions { MaxDegreeOfParallelism = RunStateReads, CancellationToken = cancellationToken },
            async (run, token) =>
            {
                if (await runs.IsCompletedAsync(LinkSourceType.OpenLineage, run.Key.Name, run.Key.Item2, token))
                {
                    foreach (var k in run)
                    {
                        completed[k] = true;
                    }
                }
            });
        var late = deferred.Where(k => completed[k]).Select(k => (k, Plan: LinkLineage.ForOpenLineageJob(accepted[k].Link, accepted[k].Event, now))).ToList();
        if (late.Count == 0)
        {
            return;
        }

        var written = await writer.WriteDataMapAsync(late.Select(x => new LineageWrite(accepted[x.k].Key, accepted[x.k].Link.Collection, x.Plan)).ToList(), cancellationToken);
        await writer.RecordRollupsAsync(written, cancellationToken);
        for (var i = 0; i < late.Count; i++)
        {
            var credit = written.Credits[i];
            reports[late[i].k] = ReportOf(accepted[late[i].k].Event, late[i].Plan, credit.Entities, credit.Relationships) with { Skipped = credit.Skipped };
        }
    }

    private static LineageReport ReportOf(OpenLineageEvent e, LineagePlan? plan, int assets, int relationships) => plan is not null
        ? new LineageReport(LineageReport.Succeeded, null, assets, relationships)
        : new LineageReport(LineageReport.NotReported, e.EventType == "COMPLETE"
            ? "Neither the COMPLETE event nor the other events of its run name inputs or outputs: no lineage to report."
            : e.NamesDatasets
                ? $"Run state {e.EventType ?? "(no eventType)"} recorded with its datasets: the run's lineage is written when it completes."
                : $"Run state {e.EventType ?? "(no eventType)"} recorded: lineage is created when the run completes.", 0, 0);

    private async Task<Result<Link>> AuthorizePushAsync(Principal caller, LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        var link = await directory.FindAsync(type, name, cancellationToken);
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
