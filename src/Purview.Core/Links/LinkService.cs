using Purview.Core.Telemetry;
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
    ILinkRepository links, ILinkRunStore runs, ILinkEventStore events, ILinkAggregateStore aggregates, IDataMap dataMap, IRollupStore rollups, AccessService access, TimeProvider time) : IDisposable
{
    public const int MaxDatasetsPerRun = 100;
    public const int MaxWriters = 50;

    /// <summary>How long a push trusts the cached links (as the access snapshot): a link changed on another host is seen within this.</summary>
    public static readonly TimeSpan LinkCacheLifetime = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _linksGate = new(1, 1);
    private (IReadOnlyDictionary<string, Link> Links, DateTimeOffset LoadedAt)? _linkCache;
    private int _linkVersion;
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
        InvalidateLinks();
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

        InvalidateLinks();

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
            var owned = (await OwnAsync([(link.Collection, plan)], cancellationToken))[0];
            var counts = (await dataMap.WriteAsync([new DataMapWrite(CreatorKey(link, dedupeKey), owned.Entities, owned.Relationships)], cancellationToken))[0];
            report = report with { AssetsIngested = counts.Entities, RelationshipsIngested = counts.Relationships, Skipped = SkipsOf(owned) };
            await rollups.RecordAsync(SightingsOf(plan, owned), cancellationToken);
        }

        var eventTime = run.End ?? run.Start;
        var linkEvent = new LinkEvent(type, link.Name, $"{run.PipelineName}/{run.ActivityName}", dedupeKey, eventTime, now, "activityrun",
            report.AssetsIngested, report.RelationshipsIngested, IsRun: true);
        await MarkLateHoursAsync([linkEvent], now, cancellationToken);
        var recordTask = RecordAsync([linkEvent], now, cancellationToken);
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
            var key = CreatorKey(link, e.DedupeKey);
            if (!keys.TryAdd(key, accepted.Count))
            {
                // The same event twice in one array: the first occurrence stands for both.
                repeats.Add((i, keys[key]));
                continue;
            }

            accepted.Add((i, e, link, plan, key));
        }

        await PlanRunLineageAsync(accepted, now, cancellationToken);
        foreach (var (index, first) in repeats)
        {
            var e = batch[index];
            results[index] = new OpenLineageResult(index, true, e.RunId, e.EventType, ReportOf(e, accepted[first].Plan, 0, 0), null);
        }

        if (accepted.Count > 0)
        {
            var withPlans = accepted.Where(a => a.Plan is not null).ToList();
            var owned = await OwnAsync(withPlans.Select(a => (a.Link.Collection, a.Plan!)).ToList(), cancellationToken);
            var counts = await dataMap.WriteAsync(withPlans.Select((a, k) => new DataMapWrite(a.Key, owned[k].Entities, owned[k].Relationships)).ToList(), cancellationToken);
            // Before the raw events (the commit point): a retry records the sightings again, and a key is never counted twice.
            await rollups.RecordAsync(withPlans.SelectMany((a, k) => SightingsOf(a.Plan!, owned[k])).ToList(), cancellationToken);
            var countOf = new Dictionary<int, (DataMapWriteCounts Counts, IReadOnlyList<LineageSkip>? Skipped)>();
            for (var k = 0; k < withPlans.Count; k++)
            {
                countOf[withPlans[k].Index] = (counts[k], SkipsOf(owned[k]));
            }

            var reports = accepted.Select(a => countOf.TryGetValue(a.Index, out var c)
                ? ReportOf(a.Event, a.Plan, c.Counts.Entities, c.Counts.Relationships) with { Skipped = c.Skipped }
                : ReportOf(a.Event, a.Plan, 0, 0)).ToList();
            await runs.RecordStatesAsync(accepted.Select((a, k) => (a, k)).Where(x => x.a.Event.Kind == OpenLineageEventKind.Run)
                .Select(x => new LinkRun(LinkSourceType.OpenLineage, x.a.Link.Name, x.a.Event.RunId!, x.a.Event.ParentName ?? x.a.Event.JobName!, x.a.Event.JobName!,
                    x.a.Event.EventType ?? string.Empty, x.a.Event.EventTime, reports[x.k],
                    x.a.Event.DatasetsFitRunState ? x.a.Event.Inputs : null, x.a.Event.DatasetsFitRunState ? x.a.Event.Outputs : null)).ToList(), cancellationToken);

            var linkEvents = accepted.Select((a, k) => new LinkEvent(LinkSourceType.OpenLineage, a.Link.Name, a.Event.SubArtifact, a.Event.DedupeKey, a.Event.EventTime, now,
                a.Event.Kind switch
                {
                    OpenLineageEventKind.Dataset => "dataset",
                    OpenLineageEventKind.Job => "job",
                    _ => "run:" + a.Event.EventType,
                },
                reports[k].AssetsIngested, reports[k].RelationshipsIngested, IsRun: a.Event.Kind == OpenLineageEventKind.Run && a.Event.IsTerminal)).ToList();
            await MarkLateHoursAsync(linkEvents, now, cancellationToken);
            var recorded = await RecordAsync(linkEvents, now, cancellationToken);
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
    private async Task PlanRunLineageAsync(List<(int Index, OpenLineageEvent Event, Link Link, LineagePlan? Plan, string Key)> accepted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var runEvents = accepted.Select((a, k) => (a, k)).Where(x => x.a.Event.Kind == OpenLineageEventKind.Run).ToList();
        foreach (var group in runEvents.GroupBy(x => (x.a.Link.Name, x.a.Event.RunId!)))
        {
            var events = group.ToList();
            if (!events.Any(x => x.a.Event.NamesDatasets || x.a.Event.EventType == "COMPLETE"))
            {
                continue;
            }

            var stored = await runs.ListStatesAsync(LinkSourceType.OpenLineage, group.Key.Name, group.Key.Item2, cancellationToken);
            var completed = stored.Any(r => r.State == "COMPLETE") || events.Any(x => x.a.Event.EventType == "COMPLETE");
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
                    accepted[k] = a with { Plan = LinkLineage.ForOpenLineageJob(a.Link, merged, now) };
                }
            }
        }
    }

    private static LineageReport ReportOf(OpenLineageEvent e, LineagePlan? plan, int assets, int relationships) => plan is not null
        ? new LineageReport(LineageReport.Succeeded, null, assets, relationships)
        : new LineageReport(LineageReport.NotReported, e.EventType == "COMPLETE"
            ? "Neither the COMPLETE event nor the other events of its run name inputs or outputs: no lineage to report."
            : e.NamesDatasets
                ? $"Run state {e.EventType ?? "(no eventType)"} recorded with its datasets: the run's lineage is written when it completes."
                : $"Run state {e.EventType ?? "(no eventType)"} recorded: lineage is created when the run completes.", 0, 0);

    /// <summary>
    /// The ownership step of a push: each collection claims the entities its plans name that nobody owns yet (the first
    /// to put an entity in the data map owns it), then each plan keeps what its collection may write
    /// (<see cref="DataMapOwnership"/>). Plans are claimed collection by collection, in order.
    /// </summary>
    /// <summary>The run counts a report adds, without those of entities another collection owns (left alone, not counted).</summary>
    private static IReadOnlyList<RollupSighting> SightingsOf(LineagePlan plan, OwnedWrite owned)
    {
        if (owned.Skipped.Count == 0)
        {
            return plan.Sightings;
        }

        var skipped = owned.Skipped.Select(e => e.Guid).ToHashSet(StringComparer.Ordinal);
        return plan.Sightings.Where(x => !skipped.Contains(x.EntityGuid)).ToList();
    }

    private async Task<OwnedWrite[]> OwnAsync(List<(string Collection, LineagePlan Plan)> plans, CancellationToken cancellationToken)
    {
        var result = new OwnedWrite[plans.Count];
        foreach (var group in plans.Select((p, k) => (p, k)).GroupBy(x => x.p.Collection, StringComparer.OrdinalIgnoreCase))
        {
            var owners = await dataMap.ClaimAsync(group.Key, group.SelectMany(x => x.p.Plan.Entities).DistinctBy(e => e.Guid).ToList(), cancellationToken);
            foreach (var (p, k) in group)
            {
                result[k] = DataMapOwnership.Apply(p.Plan.Entities, p.Plan.Relationships, p.Collection, owners);
            }
        }

        return result;
    }

    private static List<LineageSkip>? SkipsOf(OwnedWrite owned) => owned.Skipped.Count == 0
        ? null
        : owned.Skipped.Select(e => new LineageSkip(e.TypeName, e.QualifiedName, LineageSkip.OwnedByAnotherCollection)).ToList();

    /// <summary>The key a link event's data-map rows carry: unique per source and event.</summary>
    private static string CreatorKey(Link link, string dedupeKey) => link.Key + "|" + dedupeKey;

    /// <summary>
    /// Marks the closed hours of <paramref name="linkEvents"/> for re-aggregation. Done before the events are recorded:
    /// a crash in between leaves a spare mark (harmless), never a recorded late event that no aggregation will see.
    /// </summary>
    private async Task MarkLateHoursAsync(List<LinkEvent> linkEvents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = LinkHours.Floor(now);
        foreach (var hour in linkEvents.Where(e => e.EventTime >= now - Retention).Select(e => LinkHours.Floor(e.EventTime)).Where(h => h < current).Distinct())
        {
            await aggregates.MarkDirtyAsync(hour, cancellationToken);
        }
    }

    /// <summary>Records the raw events for aggregation (batched); per event, false when it was recorded before (a duplicate). Events past retention are not kept.</summary>
    private async Task<IReadOnlyList<bool>> RecordAsync(List<LinkEvent> linkEvents, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var kept = linkEvents.Select((e, i) => (e, i)).Where(x => x.e.EventTime >= now - Retention).ToList();
        var result = Enumerable.Repeat(true, linkEvents.Count).ToArray();
        if (kept.Count > 0)
        {
            var added = await events.TryAddManyAsync(kept.Select(x => x.e).ToList(), cancellationToken);
            for (var k = 0; k < kept.Count; k++)
            {
                result[kept[k].i] = added[k];
            }
        }

        return result;
    }

    private async Task<Result<Link>> AuthorizePushAsync(Principal caller, LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        var link = await FindLinkAsync(type, name, cancellationToken);
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

    /// <summary>
    /// Links from a snapshot of all of them (one small partition) kept for <see cref="LinkCacheLifetime"/> and dropped on
    /// this service's own writes; a link missing from the snapshot is read once more, so a link just connected on another
    /// host is found at once (a disconnect or a change of writers there is seen within the lifetime).
    /// </summary>
    private async Task<Link?> FindLinkAsync(LinkSourceType type, string name, CancellationToken cancellationToken)
    {
        var key = LinkNames.Key(type, name);
        var cached = _linkCache;
        if (cached is not { } c || time.GetUtcNow() - c.LoadedAt >= LinkCacheLifetime || time.GetUtcNow() < c.LoadedAt)
        {
            await _linksGate.WaitAsync(cancellationToken);
            try
            {
                cached = _linkCache;
                if (cached is not { } again || time.GetUtcNow() - again.LoadedAt >= LinkCacheLifetime || time.GetUtcNow() < again.LoadedAt)
                {
                    var loadedAt = time.GetUtcNow();
                    var version = Volatile.Read(ref _linkVersion);
                    var all = await links.ListAsync(cancellationToken);
                    cached = (all.ToDictionary(l => l.Key, StringComparer.Ordinal), loadedAt);
                    if (version == Volatile.Read(ref _linkVersion))
                    {
                        // Not kept when this service changed a link while it loaded: the snapshot may predate the change.
                        _linkCache = cached;
                    }
                }
            }
            finally
            {
                _linksGate.Release();
            }
        }

        return cached.Value.Links.TryGetValue(key, out var link) ? link : await links.GetAsync(type, name, cancellationToken);
    }

    public void Dispose() => _linksGate.Dispose();

    private void InvalidateLinks()
    {
        Interlocked.Increment(ref _linkVersion);
        _linkCache = null;
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
        string.IsNullOrWhiteSpace(value) || value.Length > 260 || value.Any(Purview.Core.Common.UnsafeText.IsUnsafe) || value.Contains('/', StringComparison.Ordinal)
            ? Error.Validation(field, $"{field} is required: 1-260 characters, no '/' or control characters.")
            : null;

    private static Error? Id(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 128 || value.Any(c => Purview.Core.Common.UnsafeText.IsUnsafe(c) || c is '/' or '\\' or '#' or '?')
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

            if (string.IsNullOrWhiteSpace(d.QualifiedName) || d.QualifiedName.Length > 2048 || d.QualifiedName.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
            {
                return Error.Validation($"{field}[{i}].qualifiedName", "qualifiedName is required: 1-2048 characters without control characters.");
            }

            if (string.IsNullOrWhiteSpace(d.Type) || d.Type.Length > 100 || !d.Type.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return Error.Validation($"{field}[{i}].type", "type is required: an Atlas type name (letters, digits, '_'), e.g. azure_blob_path.");
            }

            if (d.Name is { } n && (n.Length > 512 || n.Any(Purview.Core.Common.UnsafeText.IsUnsafe)))
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
