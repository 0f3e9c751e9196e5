using Purview.Core.Links;
using Xunit;

namespace Purview.Core.Tests.Links;

public sealed class LinkDaySumTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_day_sums_each_source_and_sub_artifact_apart_and_keeps_the_latest_run()
    {
        var h1 = Day.AddHours(1);
        var h7 = Day.AddHours(7);
        var hours = new[]
        {
            new LinkAggregate(h1, LinkSourceType.AzureDataFactory, "adf", null, 10, 4, 2, h1.AddMinutes(50)),
            new LinkAggregate(h1, LinkSourceType.AzureDataFactory, "adf", "p/a", 10, 4, 2, h1.AddMinutes(50)),
            new LinkAggregate(h7, LinkSourceType.AzureDataFactory, "adf", null, 5, 1, 1, h7.AddMinutes(3)),
            new LinkAggregate(h7, LinkSourceType.AzureDataFactory, "adf", "p/b", 5, 1, 1, h7.AddMinutes(3)),
            new LinkAggregate(h7, LinkSourceType.AzureSynapse, "syn", null, 7, 0, 1, null),
        };

        var day = LinkAggregator.SumDay(Day, hours).ToDictionary(r => (r.SourceName, r.SubArtifact));

        Assert.Equal(4, day.Count);
        Assert.All(day.Values, r => Assert.Equal(Day, r.Hour));
        var adf = day[("adf", null)];
        Assert.Equal((15L, 5L, 3L), (adf.Assets, adf.Relationships, adf.ActivityRuns));
        Assert.Equal(h7.AddMinutes(3), adf.LastRunTime);
        Assert.Equal(10, day[("adf", "p/a")].Assets);
        Assert.Equal(h1.AddMinutes(50), day[("adf", "p/a")].LastRunTime);
        Assert.Null(day[("syn", null)].LastRunTime);
    }

    [Fact]
    public void A_day_without_hours_has_no_rows()
    {
        Assert.Empty(LinkAggregator.SumDay(Day, []));
    }
}
