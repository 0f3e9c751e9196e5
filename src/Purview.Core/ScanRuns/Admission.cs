using Purview.Core.Common;

namespace Purview.Core.ScanRuns;

public enum AdmissionDecision
{
    Admitted,

    /// <summary>The account is at its concurrent-run limit.</summary>
    Throttled,

    /// <summary>The account has room but the run's integration runtime has no free slot.</summary>
    Queued,
}

/// <summary>How many runs an account may have in flight at once: 1 to 10, 5 unless configured.</summary>
public sealed record AccountConcurrencyLimit
{
    public const int Min = 1;
    public const int Max = 10;
    public const int DefaultValue = 5;

    private AccountConcurrencyLimit(int value) => Value = value;

    public static AccountConcurrencyLimit Default { get; } = new(DefaultValue);

    public int Value { get; }

    public static bool TryCreate(int value, out AccountConcurrencyLimit limit)
    {
        limit = value is >= Min and <= Max ? new AccountConcurrencyLimit(value) : Default;
        return value is >= Min and <= Max;
    }

    public static ValidationError? Validate(int value) =>
        value is >= Min and <= Max
            ? null
            : new ValidationError("maxConcurrentScanRuns", $"The account's concurrent scan run limit must be between {Min} and {Max}.");
}

/// <summary>
/// Slots of an integration runtime: each node runs a limited number of scans at once (set by its size).
/// A runtime with no nodes online has no slots, so its runs stay Queued.
/// </summary>
public sealed record IntegrationRuntimeCapacity(int Nodes, int ConcurrentScansPerNode)
{
    public int Slots => Nodes <= 0 || ConcurrentScansPerNode <= 0 ? 0 : checked(Nodes * ConcurrentScansPerNode);

    public int FreeSlots(int activeRuns) => Math.Max(0, Slots - activeRuns);
}

/// <summary>What admission needs to know about the account and the run's runtime at one moment.</summary>
/// <param name="AccountActiveRuns">Runs admitted and not final (<see cref="ScanRun.IsActive"/>), account-wide.</param>
/// <param name="RuntimeActiveRuns">Runs whose scan phase is running on this runtime (<see cref="ScanRun.HoldsRuntimeSlot"/>).</param>
public sealed record AdmissionSnapshot(
    AccountConcurrencyLimit AccountLimit,
    int AccountActiveRuns,
    IntegrationRuntimeCapacity Runtime,
    int RuntimeActiveRuns);

public static class Admission
{
    /// <summary>
    /// Throttled is checked first: an account at its limit must not start a run even if the runtime is
    /// idle, and the portal tells the two waits apart.
    /// </summary>
    public static AdmissionDecision Decide(AdmissionSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfNegative(snapshot.AccountActiveRuns);
        ArgumentOutOfRangeException.ThrowIfNegative(snapshot.RuntimeActiveRuns);

        if (snapshot.AccountActiveRuns >= snapshot.AccountLimit.Value)
        {
            return AdmissionDecision.Throttled;
        }

        return snapshot.Runtime.FreeSlots(snapshot.RuntimeActiveRuns) > 0
            ? AdmissionDecision.Admitted
            : AdmissionDecision.Queued;
    }

    /// <summary>
    /// Hands out freed slots to waiting runs, oldest first (creation time, then id so that ties are
    /// deterministic). Account slots go strictly in that order; a run whose runtime is full is skipped
    /// (Queued) without blocking younger runs on runtimes that have room. Once the account slots are
    /// used up every remaining run is Throttled. Runs that are not waiting are ignored: the caller's
    /// list may be a little stale.
    /// </summary>
    /// <param name="runtimeFreeSlots">Free slots per integration runtime name (case-insensitive); a missing runtime has none.</param>
    /// <returns>A decision for every waiting run, in the order considered.</returns>
    public static IReadOnlyList<AdmissionAssignment> Plan(
        IEnumerable<ScanRun> waitingRuns,
        int accountFreeSlots,
        IReadOnlyDictionary<string, int> runtimeFreeSlots)
    {
        ArgumentNullException.ThrowIfNull(waitingRuns);
        ArgumentNullException.ThrowIfNull(runtimeFreeSlots);
        ArgumentOutOfRangeException.ThrowIfNegative(accountFreeSlots);

        var runtimeFree = new Dictionary<string, int>(runtimeFreeSlots, StringComparer.OrdinalIgnoreCase);
        var accountFree = accountFreeSlots;
        var plan = new List<AdmissionAssignment>();
        var ordered = waitingRuns
            .Where(r => r.IsWaiting)
            .OrderBy(r => r.CreatedAt)
            .ThenBy(r => r.Id.Value);

        foreach (var run in ordered)
        {
            AdmissionDecision decision;
            if (accountFree <= 0)
            {
                decision = AdmissionDecision.Throttled;
            }
            else if (runtimeFree.TryGetValue(run.IntegrationRuntimeName, out var free) && free > 0)
            {
                decision = AdmissionDecision.Admitted;
                runtimeFree[run.IntegrationRuntimeName] = free - 1;
                accountFree--;
            }
            else
            {
                decision = AdmissionDecision.Queued;
            }

            plan.Add(new AdmissionAssignment(run.Id, decision));
        }

        return plan;
    }
}

public sealed record AdmissionAssignment(ScanRunId RunId, AdmissionDecision Decision);
