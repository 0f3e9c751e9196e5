using Purview.Core.Scanners;

namespace Purview.Core.ScanRuns.Execution;

/// <summary>
/// One activity's allowance of further steps, and the reads it started ahead: the next listing page, and staged
/// pages already written to the data map. Work started ahead that no step takes is only observed.
/// </summary>
internal sealed class StepBudget(ScanRunExecutionOptions options, TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private readonly Dictionary<int, Task<PageIngested>> _ingesting = [];
    private int _steps = 1;
    private (string Token, Task<ScanPageResult> Page)? _listing;

    public bool MayContinue => _steps < options.StepsPerActivity && time.GetElapsedTime(_started) < options.ActivityBudget;

    public bool TryTakeStep()
    {
        if (!MayContinue)
        {
            return false;
        }

        _steps++;
        return true;
    }

    public void ListAhead(string token, Task<ScanPageResult> page)
    {
        Observe(_listing?.Page);
        _listing = (token, page);
    }

    public Task<ScanPageResult>? TakeListing(string? token)
    {
        if (_listing is not { } listing)
        {
            return null;
        }

        _listing = null;
        if (string.Equals(listing.Token, token, StringComparison.Ordinal))
        {
            return listing.Page;
        }

        Observe(listing.Page);
        return null;
    }

    public void IngestAhead(int page, Func<Task<PageIngested>> start)
    {
        if (!_ingesting.ContainsKey(page))
        {
            _ingesting[page] = start();
        }
    }

    public Task<PageIngested>? TakeIngested(int page) => _ingesting.Remove(page, out var task) ? task : null;

    public void Abandon()
    {
        Observe(_listing?.Page);
        _listing = null;
        foreach (var task in _ingesting.Values)
        {
            Observe(task);
        }

        _ingesting.Clear();
    }

    private static void Observe(Task? task) =>
        task?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}

/// <summary>What ingesting one staged page wrote: its assets and its relationships.</summary>
internal sealed record PageIngested(IngestResult Assets, IngestResult Relationships);
