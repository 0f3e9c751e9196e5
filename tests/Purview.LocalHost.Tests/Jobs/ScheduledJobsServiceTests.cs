using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Jobs;
using Purview.Testing;
using Xunit;

namespace Purview.LocalHost.Tests.Jobs;

public sealed class ScheduledJobsServiceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
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

    [Fact]
    public async Task Two_hosts_on_one_account_run_each_occurrence_once_and_a_late_host_catches_up_what_nobody_ran()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));
        var runs = new ConcurrentBag<(string Host, DateTimeOffset Occurrence)>();
        var settings = new Dictionary<string, string?> { ["Jobs:Enabled"] = "true", ["Storage:Prefix"] = "j" + Guid.NewGuid().ToString("N")[..8] };
        await using var one = new TestHost(azurite, time, settings, s => s.AddSingleton<IScheduledJob>(new CountingJob(runs, "one")));
        await using var two = new TestHost(azurite, time, settings, s => s.AddSingleton<IScheduledJob>(new CountingJob(runs, "two")));
        _ = one.Client(null);
        _ = two.Client(null);
        // The 09:05 occurrence is inside the one-hour catch-up window and nobody ran it: one of the hosts does, at start.
        await WaitUntil(() => !runs.IsEmpty);

        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 10, 5, 0, TimeSpan.Zero));
        await WaitUntil(() => runs.Count >= 2);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 11, 5, 0, TimeSpan.Zero));
        await WaitUntil(() => runs.Count >= 3);
        await Task.Delay(500);

        Assert.Equal(
            new[] { "09:05", "10:05", "11:05" },
            runs.Select(r => r.Occurrence.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToArray());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), "timed out waiting for the job to run");
    }
}
