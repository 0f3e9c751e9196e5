using Purview.Core.Alerts;
using Purview.Core.Links;
using Purview.Core.Monitoring;
using Purview.Core.ScanRuns.Execution;
using Purview.Testing;
using Xunit;

namespace Purview.Core.Tests.Alerts;

/// <summary>The rules as pure functions and the state machine, driven by a manual clock.</summary>
public sealed class AlertEvaluationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static AlertRule Rule(AlertKind kind, int? threshold = null, int? windowDays = null, int? days = null, double? factor = null,
        string? ds = null, string? scan = null, string? sourceType = null, string? sourceName = null) =>
        new("r1", kind, true, threshold, windowDays, days, factor, ds, scan, sourceType, sourceName, null, null, null, Start, "admin", Start);

    /// <summary>Applies the state machine to each condition in turn, as the job does each minute; returns the transitions.</summary>
    private static List<AlertTransition> Run(ManualTimeProvider clock, IEnumerable<AlertCondition> conditions)
    {
        var state = AlertState.Initial("v0");
        var transitions = new List<AlertTransition>();
        foreach (var condition in conditions)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            if (AlertEvaluation.Next("r1", state, condition, clock.GetUtcNow()) is { } t)
            {
                transitions.Add(t);
                state = new AlertState(t.To, t.Sequence, t.At, t.Detail, "v" + t.Sequence);
            }
        }

        return transitions;
    }

    [Fact]
    public void A_rule_fires_once_stays_firing_while_its_condition_holds_and_resolves_once()
    {
        var clock = new ManualTimeProvider(Start);
        var rule = Rule(AlertKind.ScanRunFailures, threshold: 3);
        IReadOnlyList<DayKindCount> Failures(int n) => [new(DateOnly.FromDateTime(Start.UtcDateTime), "AzureStorage", RunBucket.Failed, n), new(DateOnly.FromDateTime(Start.UtcDateTime), "AzureStorage", RunBucket.Succeeded, 10)];

        var transitions = Run(clock, new[] { 1, 2, 3, 4, 5, 3, 2, 0, 0 }.Select(n => AlertEvaluation.ScanRunFailures(rule, Failures(n))));

        Assert.Collection(transitions,
            t =>
            {
                Assert.Equal(AlertStatus.Firing, t.To);
                Assert.Equal(1, t.Sequence);
                Assert.Equal(Start.AddMinutes(3), t.At);
                Assert.Contains("3 failed and 0 canceled", t.Detail, StringComparison.Ordinal);
            },
            t =>
            {
                Assert.Equal(AlertStatus.Ok, t.To);
                Assert.Equal(2, t.Sequence);
                Assert.Equal(Start.AddMinutes(7), t.At);
            });
    }

    [Fact]
    public void Canceled_runs_count_with_failed_ones_and_the_window_covers_whole_UTC_days_ending_today()
    {
        var rule = Rule(AlertKind.ScanRunFailures, threshold: 2, windowDays: 3);
        var day = DateOnly.FromDateTime(Start.UtcDateTime);
        Assert.True(AlertEvaluation.ScanRunFailures(rule, [new(day, "Sql", RunBucket.Failed, 1), new(day.AddDays(-2), "Sql", RunBucket.Canceled, 1)]).Holds);
        Assert.False(AlertEvaluation.ScanRunFailures(rule, [new(day, "Sql", RunBucket.Failed, 1), new(day, "Sql", RunBucket.InProgress, 5)]).Holds);
        Assert.Equal([day.AddDays(-2), day.AddDays(-1), day], AlertEvaluation.WindowDays(Start, 3));
    }

    [Fact]
    public void A_scan_without_success_in_the_window_fires_and_a_targeted_scan_without_any_run_fires_too()
    {
        var day = DateOnly.FromDateTime(Start.UtcDateTime);
        IReadOnlyList<DayScanCount> counts =
        [
            new("c", day, "ds1", "daily", "AzureStorage", RunBucket.Failed, 2),
            new("c", day, "ds2", "daily", "AzureStorage", RunBucket.Succeeded, 1),
            new("c", day, "ds2", "daily", "AzureStorage", RunBucket.Failed, 4),
            new("c", day, "ds4", "hourly", "AzureStorage", RunBucket.InProgress, 1),
        ];
        var any = AlertEvaluation.ScanNotSucceeded(Rule(AlertKind.ScanNotSucceeded, days: 2), counts);
        Assert.True(any.Holds);
        Assert.Contains("ds1/daily", any.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("ds2/daily", any.Detail, StringComparison.Ordinal);
        // A run still in progress has not failed: that scan is not named.
        Assert.DoesNotContain("ds4/hourly", any.Detail, StringComparison.Ordinal);

        Assert.False(AlertEvaluation.ScanNotSucceeded(Rule(AlertKind.ScanNotSucceeded, days: 2, ds: "DS2", scan: "Daily"), counts).Holds);
        Assert.True(AlertEvaluation.ScanNotSucceeded(Rule(AlertKind.ScanNotSucceeded, days: 2, ds: "ds3", scan: "weekly"), counts).Holds);
        Assert.False(AlertEvaluation.ScanNotSucceeded(Rule(AlertKind.ScanNotSucceeded, days: 2), counts.Skip(1).ToList()).Holds);
    }

    [Fact]
    public void A_link_is_silent_past_factor_times_its_learned_interval_and_never_before_it_has_history()
    {
        var link = new Link(LinkSourceType.AzureDataFactory, "factory1", "finance", ["w"], Start, "admin", Start);
        var hour0 = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        // Active every 2 hours: 00:00, 02:00, 04:00, 06:00 (the last hour ends at 07:00).
        var hours = Enumerable.Range(0, 4).Select(i => new LinkAggregate(hour0.AddHours(2 * i), LinkSourceType.AzureDataFactory, "factory1", null, 1, 1, 1, null)).ToList();
        var rule = Rule(AlertKind.LinkSilent, factor: 3);
        var clock = new ManualTimeProvider(hour0.AddHours(7));

        var conditions = new List<AlertCondition>();
        for (var step = 0; step < 8; step++)
        {
            // 07:00 + 1 h per step: quiet 0..7 h; the limit is 3 x 2 h = 6 h, so 07:00 + 6 h + 1 min fires.
            conditions.Add(AlertEvaluation.LinkSilent(rule, [link], hours, clock.GetUtcNow().AddHours(step)));
        }

        Assert.Equal([false, false, false, false, false, false, false, true], conditions.Select(c => c.Holds));
        Assert.Contains("usually every 2 h", conditions[^1].Detail, StringComparison.Ordinal);

        // Pushes again: resolved by the next aggregate hour.
        var resumed = hours.Append(new LinkAggregate(hour0.AddHours(13), LinkSourceType.AzureDataFactory, "factory1", null, 1, 1, 1, null)).ToList();
        Assert.False(AlertEvaluation.LinkSilent(rule, [link], resumed, hour0.AddHours(14).AddMinutes(30)).Holds);

        // Two active hours are not a history: no usual interval, never silent.
        Assert.False(AlertEvaluation.LinkSilent(rule, [link], hours.Take(2).ToList(), hour0.AddDays(3)).Holds);
        // A targeted rule watches its link only (names of Data Factory are case-insensitive).
        Assert.True(AlertEvaluation.LinkSilent(Rule(AlertKind.LinkSilent, factor: 3, sourceType: "AzureDataFactory", sourceName: "FACTORY1"), [link], hours, hour0.AddDays(1)).Holds);
        Assert.False(AlertEvaluation.LinkSilent(Rule(AlertKind.LinkSilent, factor: 3, sourceType: "OpenLineage", sourceName: "factory1"), [link], hours, hour0.AddDays(1)).Holds);
    }

    [Fact]
    public void A_connector_day_fires_on_a_missing_log_or_failures_over_the_threshold_and_not_with_auditing_off()
    {
        var day = new DateOnly(2026, 11, 30);
        var rule = Rule(AlertKind.ConnectorAdminLog, threshold: 5);
        Assert.False(AlertEvaluation.ConnectorAdminLog(rule, [new("c1", day, true, 5, 100)], auditingEnabled: true).Holds);
        Assert.True(AlertEvaluation.ConnectorAdminLog(rule, [new("c1", day, true, 6, 100)], auditingEnabled: true).Holds);
        var missing = AlertEvaluation.ConnectorAdminLog(rule, [new("c1", day, true, 0, 100), new("c2", day, false, 0, 0)], auditingEnabled: true);
        Assert.True(missing.Holds);
        Assert.Contains("c2: no admin log for 2026-11-30", missing.Detail, StringComparison.Ordinal);
        Assert.False(AlertEvaluation.ConnectorAdminLog(rule, [new("c2", day, false, 0, 0)], auditingEnabled: false).Holds);
    }

    [Fact]
    public void The_admin_log_of_a_day_is_due_at_one_oclock_UTC_the_next_day()
    {
        Assert.Equal(new DateOnly(2026, 11, 29), AlertEvaluation.LastDueAdminLogDay(new DateTimeOffset(2026, 12, 1, 0, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 11, 30), AlertEvaluation.LastDueAdminLogDay(new DateTimeOffset(2026, 12, 1, 1, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Retries_back_off_from_30_seconds_doubling_to_at_most_an_hour()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), AlertMonitor.Backoff(1));
        Assert.Equal(TimeSpan.FromMinutes(1), AlertMonitor.Backoff(2));
        Assert.Equal(TimeSpan.FromMinutes(16), AlertMonitor.Backoff(6));
        Assert.Equal(TimeSpan.FromHours(1), AlertMonitor.Backoff(8));
        Assert.Equal(TimeSpan.FromHours(1), AlertMonitor.Backoff(40));
    }

    [Fact]
    public void A_delivery_is_signed_over_its_exact_body_and_its_id_names_the_rule_and_transition()
    {
        var rule = Rule(AlertKind.ScanRunFailures, threshold: 1);
        var delivery = AlertMonitor.NewDelivery(rule, new AlertTransition("r1", 7, AlertStatus.Firing, Start, "1 failed"));
        Assert.Equal("r1:7", delivery.Id);
        Assert.Contains("\"state\":\"firing\"", delivery.Body, StringComparison.Ordinal);
        var signature = AlertSignature.Sign("s3cret", delivery.Body);
        // HMAC-SHA256 computed independently of AlertSignature.
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes("s3cret"));
        Assert.Equal("sha256=" + Convert.ToHexStringLower(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(delivery.Body))), signature);
        Assert.True(AlertSignature.Verify("s3cret", delivery.Body, signature));
        Assert.False(AlertSignature.Verify("other", delivery.Body, signature));
        Assert.False(AlertSignature.Verify("s3cret", delivery.Body + " ", signature));
    }

    [Theory]
    [InlineData(null, "kind")]
    [InlineData("nope", "kind")]
    [InlineData("3", "kind")]
    public void A_rule_without_a_known_kind_is_refused_naming_kind(string? kind, string field)
    {
        var result = AlertService.Validate(new AlertRuleInput(kind, null, 1, null, null, null, null, null, null, null, null, null, null));
        Assert.False(result.IsSuccess);
        Assert.Equal(field, Assert.Single(result.Error!.Fields).Field);
    }

    [Fact]
    public void Parameters_out_of_range_or_foreign_to_the_kind_are_refused_naming_the_field()
    {
        static string? Field(AlertRuleInput input) => AlertService.Validate(input).Error?.Fields.Single().Field;
        Assert.Equal("threshold", Field(new("scanRunFailures", null, 0, null, null, null, null, null, null, null, null, null, null)));
        Assert.Equal("windowDays", Field(new("scanRunFailures", null, 1, 31, null, null, null, null, null, null, null, null, null)));
        Assert.Equal("days", Field(new("scanRunFailures", null, 1, null, 3, null, null, null, null, null, null, null, null)));
        Assert.Equal("days", Field(new("scanNotSucceeded", null, null, null, 0, null, null, null, null, null, null, null, null)));
        Assert.Equal("scan", Field(new("scanNotSucceeded", null, null, null, 3, null, "ds", null, null, null, null, null, null)));
        Assert.Equal("factor", Field(new("linkSilent", null, null, null, null, 1.0, null, null, null, null, null, null, null)));
        Assert.Equal("sourceType", Field(new("linkSilent", null, null, null, null, null, null, null, "Kafka", "x", null, null, null)));
        Assert.Equal("connectorId", Field(new("connectorAdminLog", null, null, null, null, null, null, null, null, null, "a\u202Eb", null, null)));
        Assert.Null(Field(new("linkSilent", null, null, null, null, null, null, null, "openlineage", "airflow", null, null, null)));
        Assert.Equal("OpenLineage", AlertService.Validate(new("linkSilent", null, null, null, null, null, null, null, "openlineage", "airflow", null, null, null)).Value!.SourceType);
    }
}
