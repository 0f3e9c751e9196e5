namespace Purview.Core.Jobs;

/// <summary>
/// A job run on a schedule: the local host's timer service and a Functions timer function both call
/// <see cref="RunAsync"/> with the occurrence they fire for. Jobs are idempotent per occurrence: the runner makes
/// sure one host runs an occurrence to completion, and re-runs it only if that host died before finishing.
/// </summary>
public interface IScheduledJob
{
    /// <summary>A stable name (letters, digits, dashes): the key of the job's occurrence records.</summary>
    string Name { get; }

    /// <summary>Six-field NCRONTAB, seconds first, UTC (the Functions TimerTrigger syntax).</summary>
    string Schedule { get; }

    /// <summary>How far back a starting host looks for occurrences that no host completed (downtime, crashes).</summary>
    TimeSpan CatchUpWindow => TimeSpan.FromHours(1);

    Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken);
}

/// <summary>Claims of job occurrences, shared by every host on the storage account.</summary>
public interface IJobOccurrenceStore
{
    /// <summary>
    /// True when this host may run the occurrence now: nobody claimed it, or the claim of a host that did not
    /// finish expired. False when it is done or another host holds a live claim.
    /// </summary>
    Task<bool> TryClaimAsync(string job, DateTimeOffset occurrence, string owner, TimeSpan lease, CancellationToken cancellationToken);

    Task CompleteAsync(string job, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken);

    /// <summary>Releases a claim after a failure so another attempt can run at once.</summary>
    Task ReleaseAsync(string job, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken);
}
