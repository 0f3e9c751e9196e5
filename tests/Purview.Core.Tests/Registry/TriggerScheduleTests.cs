using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Xunit;

namespace Purview.Core.Tests.Registry;

public sealed class TriggerScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static ScanTriggerDefinition Trigger(string frequency, int interval = 1, DateTimeOffset? start = null, DateTimeOffset? end = null) =>
        new("ds", "scan", frequency, interval, start ?? Start, end, ScanLevel.Full, Start, Start);

    [Theory]
    [InlineData("Minute", 1, "2026-11-01T00:00:00Z", "2026-11-01T00:01:00Z")]
    [InlineData("Minute", 15, "2026-11-01T00:14:59Z", "2026-11-01T00:15:00Z")]
    [InlineData("Hour", 1, "2026-11-01T00:00:00Z", "2026-11-01T01:00:00Z")]
    [InlineData("Hour", 6, "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z")]
    [InlineData("Hour", 6, "2026-11-01T06:00:00Z", "2026-11-01T12:00:00Z")]
    [InlineData("Day", 1, "2026-11-03T12:00:00Z", "2026-11-04T00:00:00Z")]
    [InlineData("Day", 3, "2026-11-02T00:00:00Z", "2026-11-04T00:00:00Z")]
    [InlineData("Week", 1, "2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z")]
    [InlineData("Week", 2, "2026-11-09T00:00:00Z", "2026-11-15T00:00:00Z")]
    [InlineData("Month", 1, "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z")]
    [InlineData("Month", 1, "2026-12-15T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("Month", 3, "2026-11-02T00:00:00Z", "2027-02-01T00:00:00Z")]
    [InlineData("Month", 12, "2030-06-01T00:00:00Z", "2030-11-01T00:00:00Z")]
    public void Next_occurrence_is_the_first_due_time_strictly_after(string frequency, int interval, string after, string expected)
    {
        var next = TriggerSchedule.NextOccurrence(Trigger(frequency, interval), DateTimeOffset.Parse(after));
        Assert.Equal(DateTimeOffset.Parse(expected), next);
    }

    [Fact]
    public void Before_the_start_the_next_occurrence_is_the_start()
    {
        Assert.Equal(Start, TriggerSchedule.NextOccurrence(Trigger("Day"), Start.AddDays(-10)));
        Assert.Equal(Start, TriggerSchedule.NextOccurrence(Trigger("Day"), Start.AddTicks(-1)));
    }

    [Fact]
    public void Months_are_counted_from_the_start_so_month_ends_do_not_drift()
    {
        var trigger = Trigger("Month", start: new DateTimeOffset(2027, 1, 31, 8, 0, 0, TimeSpan.Zero));
        var feb = TriggerSchedule.NextOccurrence(trigger, new DateTimeOffset(2027, 1, 31, 8, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2027, 2, 28, 8, 0, 0, TimeSpan.Zero), feb);
        Assert.Equal(new DateTimeOffset(2027, 3, 31, 8, 0, 0, TimeSpan.Zero), TriggerSchedule.NextOccurrence(trigger, feb!.Value));
    }

    [Fact]
    public void A_disabled_trigger_has_no_due_time()
    {
        var trigger = Trigger("Hour") with { Enabled = false };
        Assert.Null(TriggerSchedule.NextOccurrence(trigger, Start.AddDays(-1)));
        Assert.Empty(TriggerSchedule.DueTimes(trigger, Start, Start.AddDays(2), limit: 10));
        Assert.Equal(10, TriggerSchedule.DueTimes(trigger with { Enabled = true }, Start, Start.AddDays(2), limit: 10).Count);
    }

    [Fact]
    public void The_end_time_is_inclusive_and_nothing_is_due_after_it()
    {
        var trigger = Trigger("Day", end: Start.AddDays(2));
        Assert.Equal(Start.AddDays(2), TriggerSchedule.NextOccurrence(trigger, Start.AddDays(1)));
        Assert.Null(TriggerSchedule.NextOccurrence(trigger, Start.AddDays(2)));
        Assert.Empty(TriggerSchedule.DueTimes(trigger, Start.AddDays(2), Start.AddDays(30)));
    }

    [Fact]
    public void Due_times_fall_in_the_half_open_window_last_checked_exclusive_now_inclusive()
    {
        var trigger = Trigger("Hour");
        Assert.Equal([Start.AddHours(1)], TriggerSchedule.DueTimes(trigger, Start, Start.AddHours(1)));
        Assert.Empty(TriggerSchedule.DueTimes(trigger, Start.AddHours(1), Start.AddHours(1).AddMinutes(59)));
        Assert.Equal([Start], TriggerSchedule.DueTimes(trigger, Start.AddSeconds(-1), Start));
    }

    [Fact]
    public void Checking_every_minute_yields_each_due_time_exactly_once()
    {
        var trigger = Trigger("Hour", 2);
        var seen = new List<DateTimeOffset>();
        var last = Start.AddMinutes(-1);
        for (var now = Start; now <= Start.AddDays(1); now = now.AddMinutes(1))
        {
            seen.AddRange(TriggerSchedule.DueTimes(trigger, last, now, limit: 10));
            last = now;
        }

        Assert.Equal(Enumerable.Range(0, 13).Select(i => Start.AddHours(2 * i)), seen);
    }

    [Fact]
    public void A_long_outage_yields_only_the_latest_due_times_up_to_the_limit()
    {
        var trigger = Trigger("Minute");
        var due = TriggerSchedule.DueTimes(trigger, Start, Start.AddYears(1), limit: 3);
        Assert.Equal([Start.AddYears(1).AddMinutes(-2), Start.AddYears(1).AddMinutes(-1), Start.AddYears(1)], due);
        Assert.Single(TriggerSchedule.DueTimes(Trigger("Month"), Start, Start.AddYears(5)));
    }

    [Fact]
    public void Offsets_other_than_utc_name_the_same_instants()
    {
        var trigger = Trigger("Day", start: new DateTimeOffset(2026, 11, 1, 2, 0, 0, TimeSpan.FromHours(2)));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), TriggerSchedule.NextOccurrence(trigger, Start));
    }
}
