using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Jobs;
using Purview.Storage.Jobs;
using Purview.Testing;
using Xunit;

namespace Purview.LocalHost.Tests.Jobs;

public sealed class ScheduledJobsServiceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private sealed class CountingJob(ConcurrentBag<(string Host, DateTimeOffset Occurrence)> runs, string host) : IScheduledJob
    {
        public string Name => "counting";

        public string Schedule => "0 5 * * * *";

        public Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
        {
            runs.Add((host, occurrence));
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// The real claims in storage, with each host's decisions recorded: once both hosts have asked for an occurrence
    /// and its winner has completed it, nothing more can run it, so the test knows when to count without waiting a while.
    /// </summary>
    private sealed class RecordedClaims(IJobOccurrenceStore inner, ConcurrentBag<(DateTimeOffset Occurrence, string What)> log) : IJobOccurrenceStore
    {
        public async Task<bool> TryClaimAsync(string job, DateTimeOffset occurrence, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            var claimed = await inner.TryClaimAsync(job, occurrence, owner, lease, cancellationToken);
            log.Add((occurrence, claimed ? "claimed" : "declined"));
            return claimed;
        }

        public async Task CompleteAsync(string job, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken)
        {
            await inner.CompleteAsync(job, occurrence, owner, cancellationToken);
            log.Add((occurrence, "completed"));
        }

        public Task ReleaseAsync(string job, DateTimeOffset occurrence, string owner, CancellationToken cancellationToken) =>
            inner.ReleaseAsync(job, occurrence, owner, cancellationToken);
    }

    [Fact]
    public async Task Two_hosts_on_one_account_run_each_occurrence_once_and_a_late_host_catches_up_what_nobody_ran()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));
        var runs = new ConcurrentBag<(string Host, DateTimeOffset Occurrence)>();
        var claims = new ConcurrentBag<(DateTimeOffset Occurrence, string What)>();
        var settings = new Dictionary<string, string?> { ["Jobs:Enabled"] = "true", ["Storage:Prefix"] = "j" + Guid.NewGuid().ToString("N")[..8] };
        await using var one = new TestHost(azurite, time, settings, Services(runs, claims, "one"));
        await using var two = new TestHost(azurite, time, settings, Services(runs, claims, "two"));
        _ = one.Client(null);
        _ = two.Client(null);
        // The 09:05 occurrence is inside the one-hour catch-up window and nobody ran it: one of the hosts does, at start.
        await SettledAsync(claims, At(9));

        time.SetUtcNow(At(10));
        await SettledAsync(claims, At(10));
        time.SetUtcNow(At(11));
        await SettledAsync(claims, At(11));

        Assert.Equal(
            new[] { "09:05", "10:05", "11:05" },
            runs.Select(r => r.Occurrence.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToArray());
        // Each occurrence: one claim won, one declined (the other host saw the claim), one completion.
        foreach (var hour in new[] { 9, 10, 11 })
        {
            Assert.Equal(["claimed", "completed", "declined"], claims.Where(c => c.Occurrence == At(hour)).Select(c => c.What).Order(StringComparer.Ordinal).ToArray());
        }
    }

    private static DateTimeOffset At(int hour) => new(2026, 11, 22, hour, 5, 0, TimeSpan.Zero);

    private static Action<IServiceCollection> Services(ConcurrentBag<(string, DateTimeOffset)> runs, ConcurrentBag<(DateTimeOffset, string)> claims, string host) => s =>
    {
        s.AddSingleton<IScheduledJob>(new CountingJob(runs, host));
        s.AddSingleton<IJobOccurrenceStore>(sp => new RecordedClaims(sp.GetRequiredService<TableJobOccurrenceStore>(), claims));
    };

    /// <summary>Polls (with a deadline) until both hosts have decided about the occurrence and its winner has completed it.</summary>
    private static async Task SettledAsync(ConcurrentBag<(DateTimeOffset Occurrence, string What)> claims, DateTimeOffset occurrence)
    {
        bool Settled()
        {
            var decisions = claims.Where(c => c.Occurrence == occurrence).Select(c => c.What).ToList();
            return decisions.Count(d => d is "claimed" or "declined") >= 2 && decisions.Contains("completed");
        }

        var deadline = DateTime.UtcNow + Deadline;
        while (!Settled() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        Assert.True(Settled(), $"both hosts did not settle the {occurrence:HH:mm} occurrence within {Deadline.TotalSeconds} s");
    }
}
