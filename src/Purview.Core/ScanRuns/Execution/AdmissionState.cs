namespace Purview.Core.ScanRuns.Execution;

/// <summary>A run known to admission: its runtime, creation time (FIFO order) and whether it holds a runtime slot.</summary>
public sealed record AdmissionEntry(Guid RunId, string Runtime, DateTimeOffset CreatedAt, bool HoldsSlot);

/// <summary>A decision for one waiting run, to apply to the run itself (Start, MarkQueued, MarkThrottled).</summary>
public sealed record AdmissionChange(Guid RunId, AdmissionDecision Decision);

/// <summary>
/// The account's admission record: the runs admitted and not final (<see cref="Active"/>) and the runs waiting, FIFO.
/// Pure: every operation returns a new state and the decisions for waiting runs; storage keeps it as one entity
/// updated with its ETag, so two hosts never hand out the same slot.
/// </summary>
public sealed record AdmissionState(IReadOnlyList<AdmissionEntry> Active, IReadOnlyList<AdmissionEntry> Waiting)
{
    public static AdmissionState Empty { get; } = new([], []);

    public bool IsActive(Guid runId) => Active.Any(e => e.RunId == runId);

    public bool IsWaiting(Guid runId) => Waiting.Any(e => e.RunId == runId);

    /// <summary>Adds a run to the waiting list unless admission already knows it.</summary>
    public AdmissionState Request(AdmissionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return IsActive(entry.RunId) || IsWaiting(entry.RunId) ? this : this with { Waiting = [.. Waiting, entry with { HoldsSlot = false }] };
    }

    /// <summary>The scan phase ended: the run frees its runtime slot but still counts toward the account limit (ingestion).</summary>
    public AdmissionState ReleaseSlot(Guid runId) =>
        this with { Active = Active.Select(e => e.RunId == runId ? e with { HoldsSlot = false } : e).ToList() };

    /// <summary>The run is final: it leaves admission entirely.</summary>
    public AdmissionState Remove(Guid runId) =>
        this with { Active = Active.Where(e => e.RunId != runId).ToList(), Waiting = Waiting.Where(e => e.RunId != runId).ToList() };

    /// <summary>
    /// Admits waiting runs oldest first with <see cref="Admission.Decide"/>: the account limit before runtime capacity,
    /// a run whose runtime is full does not block younger runs on other runtimes. Returns a decision for every waiting run.
    /// </summary>
    /// <param name="runtimeSlots">Slots of a runtime by name (0 for an unknown runtime).</param>
    public (AdmissionState State, IReadOnlyList<AdmissionChange> Changes) Plan(AccountConcurrencyLimit limit, Func<string, int> runtimeSlots)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(runtimeSlots);
        var active = Active.ToList();
        var waiting = new List<AdmissionEntry>();
        var changes = new List<AdmissionChange>();
        foreach (var entry in Waiting.OrderBy(e => e.CreatedAt).ThenBy(e => e.RunId))
        {
            var slots = runtimeSlots(entry.Runtime);
            var snapshot = new AdmissionSnapshot(
                limit,
                active.Count,
                new IntegrationRuntimeCapacity(slots > 0 ? 1 : 0, Math.Max(0, slots)),
                active.Count(e => e.HoldsSlot && string.Equals(e.Runtime, entry.Runtime, StringComparison.OrdinalIgnoreCase)));
            var decision = Admission.Decide(snapshot);
            if (decision == AdmissionDecision.Admitted)
            {
                active.Add(entry with { HoldsSlot = true });
            }
            else
            {
                waiting.Add(entry);
            }

            changes.Add(new AdmissionChange(entry.RunId, decision));
        }

        return (new AdmissionState(active, waiting), changes);
    }
}
