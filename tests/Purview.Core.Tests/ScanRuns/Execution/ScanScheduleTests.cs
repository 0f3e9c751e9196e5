using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Xunit;

namespace Purview.Core.Tests.ScanRuns.Execution;

public sealed class ScanScheduleTests
{
    private static readonly ScanTriggerDefinition Hourly = new("ds", "scan", "Hour", 1, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), null, ScanLevel.Full, default, default);

    [Fact]
    public void The_due_time_at_the_end_of_the_window_is_due()
    {
        var now = new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(now, ScanSchedule.LatestDueTime(Hourly, now.AddMinutes(-5), now));
    }

    [Fact]
    public void A_due_time_before_the_window_is_not_due_again()
    {
        var now = new DateTimeOffset(2026, 11, 2, 10, 1, 0, TimeSpan.Zero);

        Assert.Null(ScanSchedule.LatestDueTime(Hourly, now.AddMinutes(-0.5), now));
    }
}
