using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Links;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>
/// Long ranges read one daily rollup row per key for each whole day and hourly rows only at the edges; whatever the
/// range, the totals must be exactly those of the hourly rows.
/// </summary>
public sealed class LinkDailyRollupTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
    private static readonly (LinkSourceType Type, string Name)[] Sources = [(LinkSourceType.AzureDataFactory, "factory1"), (LinkSourceType.OpenLineage, "airflow")];
    private readonly ManualTimeProvider _time = new(Day0.AddDays(6));
    private TestHost _host = null!;
    private ILinkAggregateStore _store = null!;

    public async Task InitializeAsync()
    {
        _host = new TestHost(azurite, _time, new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });
        _store = _host.Services.GetRequiredService<ILinkAggregateStore>();
        await Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Four and a bit days of hourly rows with random values (and some empty hours), then every day rolled up.</summary>
    private async Task SeedAsync()
    {
        var random = new Random(20261122);
        var hours = Enumerable.Range(0, (4 * 24) + 7).Select(h => Day0.AddHours(h)).Where(_ => random.Next(5) > 0).ToList();
        foreach (var hour in hours)
        {
            var rows = new List<LinkAggregate>();
            foreach (var (type, name) in Sources)
            {
                var subs = Enumerable.Range(0, 3).Where(_ => random.Next(3) > 0)
                    .Select(a => new LinkAggregate(hour, type, name, $"pipe{a % 2}/act{a}", random.Next(10), random.Next(10), random.Next(1, 4), hour.AddMinutes(random.Next(60))))
                    .ToList();
                if (subs.Count > 0)
                {
                    rows.Add(new LinkAggregate(hour, type, name, null, subs.Sum(s => s.Assets), subs.Sum(s => s.Relationships), subs.Sum(s => s.ActivityRuns), subs.Max(s => s.LastRunTime)));
                    rows.AddRange(subs);
                }
            }

            await _store.ReplaceHourAsync(hour, rows, CancellationToken.None);
        }

        foreach (var day in hours.Select(h => new DateTimeOffset(h.UtcDateTime.Date, TimeSpan.Zero)).Distinct())
        {
            await _host.Services.GetRequiredService<LinkAggregator>().RollUpDayAsync(day, CancellationToken.None);
        }
    }

    private static Dictionary<string, (long Assets, long Relationships, long Runs, DateTimeOffset? Last)> Totals(IEnumerable<LinkAggregate> rows) =>
        rows.GroupBy(r => $"{r.SourceType}/{r.SourceName}/{r.SubArtifact}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.Assets), g.Sum(r => r.Relationships), g.Sum(r => r.ActivityRuns), g.Max(r => r.LastRunTime)), StringComparer.Ordinal);

    [Fact]
    public async Task Whole_day_reads_give_exactly_the_hourly_totals_for_any_range_and_read_one_row_per_day()
    {
        await SeedAsync();
        var random = new Random(7);
        var ranges = new List<(DateTimeOffset From, DateTimeOffset To)>
        {
            (Day0, Day0.AddDays(2)),                                  // exactly whole days
            (Day0.AddHours(5), Day0.AddDays(3).AddHours(9)),          // starting and ending mid-day
            (Day0.AddHours(5).AddMinutes(17), Day0.AddDays(4).AddMinutes(1)),
            (Day0.AddHours(3), Day0.AddHours(20)),                    // inside one day
            (Day0.AddDays(1), Day0.AddDays(5).AddHours(6)),           // ending in the partial last day
        };
        for (var i = 0; i < 25; i++)
        {
            var from = Day0.AddMinutes(random.Next(5 * 24 * 60));
            ranges.Add((from, from.AddMinutes(random.Next(60, 5 * 24 * 60))));
        }

        foreach (var (from, to) in ranges)
        {
            foreach (var sourceKey in new string?[] { null, LinkNames.Key(Sources[0].Type, Sources[0].Name), LinkNames.Key(Sources[1].Type, Sources[1].Name) })
            {
                var hourly = await _store.QueryAsync(from, to, sourceKey, wholeDays: false, CancellationToken.None);
                var daily = await _store.QueryAsync(from, to, sourceKey, wholeDays: true, CancellationToken.None);
                Assert.Equal(Totals(hourly), Totals(daily));
            }
        }

        var fourDaysHourly = await _store.QueryAsync(Day0, Day0.AddDays(4), null, wholeDays: false, CancellationToken.None);
        var fourDaysDaily = await _store.QueryAsync(Day0, Day0.AddDays(4), null, wholeDays: true, CancellationToken.None);
        Assert.True(fourDaysHourly.Count > 100, $"{fourDaysHourly.Count} hourly rows");
        Assert.Equal(4 * Sources.Length, fourDaysDaily.Count);
        Assert.All(fourDaysDaily, r => Assert.Equal(TimeSpan.Zero, r.Hour.TimeOfDay));
    }

    [Fact]
    public async Task Rolling_up_a_day_again_gives_the_same_rows_and_follows_a_replaced_hour()
    {
        await SeedAsync();
        var before = Totals(await _store.QueryAsync(Day0, Day0.AddDays(1), null, wholeDays: true, CancellationToken.None));
        await _host.Services.GetRequiredService<LinkAggregator>().RollUpDayAsync(Day0.AddHours(13), CancellationToken.None);
        Assert.Equal(before, Totals(await _store.QueryAsync(Day0, Day0.AddDays(1), null, wholeDays: true, CancellationToken.None)));

        // A late event re-aggregated hour 10 with one source only: the other source's row of that hour is gone from the day too.
        var hour = Day0.AddHours(10);
        await _store.ReplaceHourAsync(hour, [new LinkAggregate(hour, Sources[0].Type, Sources[0].Name, null, 1000, 1000, 1, hour.AddMinutes(59))], CancellationToken.None);
        await _host.Services.GetRequiredService<LinkAggregator>().RollUpDayAsync(hour, CancellationToken.None);
        Assert.Equal(
            Totals(await _store.QueryAsync(Day0, Day0.AddDays(1), null, wholeDays: false, CancellationToken.None)),
            Totals(await _store.QueryAsync(Day0, Day0.AddDays(1), null, wholeDays: true, CancellationToken.None)));
    }

    [Fact]
    public async Task A_day_aggregated_without_its_rollup_is_rolled_up_by_the_next_hourly_run()
    {
        // As a host stopped between an hour's rows and its day's rollup would leave it (or data from before rollups).
        var hour = Day0.AddDays(2).AddHours(8);
        var token = await _store.BeginHourAsync(hour, CancellationToken.None);
        await _store.ReplaceHourAsync(hour, [new LinkAggregate(hour, Sources[0].Type, Sources[0].Name, null, 5, 6, 2, hour.AddMinutes(30))], CancellationToken.None);
        await _store.CompleteHourAsync(hour, token, hour.AddHours(1), CancellationToken.None);
        Assert.Empty(await _store.QueryAsync(Day0.AddDays(2), Day0.AddDays(3), null, wholeDays: true, CancellationToken.None));
        Assert.Equal(new[] { Day0.AddDays(2) }, await _store.ListDaysToRollUpAsync(Day0, CancellationToken.None));

        await _host.Services.GetRequiredService<LinkAggregator>().RunAsync(_time.GetUtcNow(), CancellationToken.None);

        var rows = await _store.QueryAsync(Day0.AddDays(2), Day0.AddDays(3), null, wholeDays: true, CancellationToken.None);
        var row = Assert.Single(rows);
        Assert.Equal((5L, 6L, 2L), (row.Assets, row.Relationships, row.ActivityRuns));
        Assert.Empty(await _store.ListDaysToRollUpAsync(Day0, CancellationToken.None));
    }
}
