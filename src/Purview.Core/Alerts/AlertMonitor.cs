using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Purview.Core.Access;
using Purview.Core.Connectors;
using Purview.Core.Jobs;
using Purview.Core.Links;
using Purview.Core.ScanRuns.Execution;
using Purview.Core.Telemetry;

namespace Purview.Core.Alerts;

/// <summary>Reads the signal of each rule kind from the monitoring read ports (counters, link aggregates, admin logs).</summary>
public sealed class AlertSignals(
    IRunCounterStore counters, AccessService access, ILinkRepository links, ILinkAggregateStore aggregates,
    IConnectorStore connectors, IImportStore imports, IAdminLogStore logs)
{
    public async Task<AlertCondition> EvaluateAsync(AlertRule rule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        switch (rule.Kind)
        {
            case AlertKind.ScanRunFailures:
            {
                var rows = await counters.ReadKindCountsAsync(await CollectionsAsync(cancellationToken), AlertEvaluation.WindowDays(now, rule.WindowDays ?? 1), rule.SourceType, cancellationToken);
                return AlertEvaluation.ScanRunFailures(rule, rows);
            }

            case AlertKind.ScanNotSucceeded:
            {
                var (counts, _) = await counters.ReadScanCountsAsync(await CollectionsAsync(cancellationToken), AlertEvaluation.WindowDays(now, rule.Days ?? 1), cancellationToken);
                return AlertEvaluation.ScanNotSucceeded(rule, counts);
            }

            case AlertKind.LinkSilent:
            {
                var all = await links.ListAsync(cancellationToken);
                var hourNow = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);
                var hours = await aggregates.QueryAsync(hourNow - AlertEvaluation.LinkHistory, hourNow + TimeSpan.FromHours(1), null, wholeDays: false, cancellationToken);
                return AlertEvaluation.LinkSilent(rule, all, hours, now);
            }

            default:
            {
                var settings = await connectors.GetSettingsAsync(cancellationToken);
                var day = AlertEvaluation.LastDueAdminLogDay(now);
                var days = new List<ConnectorDay>();
                foreach (var connector in await connectors.ListAsync(cancellationToken))
                {
                    if ((rule.ConnectorId is not null && !string.Equals(connector.Id, rule.ConnectorId, StringComparison.Ordinal))
                        || DateOnly.FromDateTime(connector.CreatedAt.UtcDateTime) > day)
                    {
                        // A connector created after the day has no log to miss.
                        continue;
                    }

                    long failed = 0, forImport = 0;
                    await foreach (var s in imports.ListSummariesAsync(connector.Id, day, cancellationToken))
                    {
                        failed += s.ItemsFailed;
                        forImport += s.ItemsAvailableForImport;
                    }

                    days.Add(new ConnectorDay(connector.Id, day, await logs.ExistsAsync(connector.Id, day, cancellationToken), failed, forImport));
                }

                return AlertEvaluation.ConnectorAdminLog(rule, days, settings.AuditingEnabled);
            }
        }
    }

    private async Task<IReadOnlyCollection<string>> CollectionsAsync(CancellationToken cancellationToken) =>
        (await access.GetSnapshotAsync(cancellationToken)).Collections.Select(c => c.Name).ToList();
}

/// <summary>
/// The alert loop of both hosts: evaluates every enabled rule and writes each transition once (with its history entry
/// and delivery, over the state version it was computed from), then delivers due webhooks: each delivery is leased
/// (ETag) before it is sent, so two hosts never send it at once; a failed attempt is retried with exponential backoff
/// (30 s doubling, at most 1 h apart, 8 attempts), every attempt recorded.
/// </summary>
public sealed class AlertMonitor(IAlertStore store, AlertSignals signals, IWebhookSender sender, TimeProvider time)
{
    public const int MaxAttempts = 8;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxRetry = TimeSpan.FromHours(1);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Evaluates every enabled rule; returns the transitions this call wrote.</summary>
    public async Task<IReadOnlyList<AlertTransition>> EvaluateAsync(CancellationToken cancellationToken)
    {
        var written = new List<AlertTransition>();
        var failures = new List<Exception>();
        foreach (var (rule, state) in await store.ListAsync(cancellationToken))
        {
            if (!rule.Enabled)
            {
                continue;
            }

            using var activity = PurviewTelemetry.Source.StartActivity("alerts.evaluate " + AlertService.Wire(rule.Kind));
            activity?.SetTag("purview.alert.rule", rule.Name);
            try
            {
                var now = time.GetUtcNow();
                var condition = await signals.EvaluateAsync(rule, now, cancellationToken);
                activity?.SetTag("purview.alert.holds", condition.Holds);
                if (AlertEvaluation.Next(rule.Name, state, condition, now) is not { } transition)
                {
                    continue;
                }

                var delivery = rule.WebhookUrl is null ? null : NewDelivery(rule, transition);
                if (await store.TryTransitionAsync(state, transition, delivery, cancellationToken))
                {
                    written.Add(transition);
                    PurviewTelemetry.AlertTransitions.Add(1, new("kind", AlertService.Wire(rule.Kind)), new("state", transition.To == AlertStatus.Firing ? "firing" : "resolved"));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One rule whose signal cannot be read must not keep the others from being evaluated; the job still fails.
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                failures.Add(ex);
            }
        }

        return failures.Count == 0 ? written : throw new AggregateException("Some alert rules could not be evaluated.", failures);
    }

    /// <summary>Sends every due delivery of every rule; returns how many attempts this call made.</summary>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        foreach (var (rule, _) in await store.ListAsync(cancellationToken))
        {
            if (rule.WebhookUrl is null || rule.WebhookSecret is null)
            {
                continue;
            }

            foreach (var pending in await store.ListPendingDeliveriesAsync(rule.Name, cancellationToken))
            {
                var now = time.GetUtcNow();
                if (pending.NextAttemptAt > now || pending.LeaseUntil > now)
                {
                    continue;
                }

                // The lease is the claim: of several hosts only the one whose write lands sends this attempt.
                var leased = await store.TryUpdateDeliveryAsync(pending with { LeaseUntil = now + Lease, Attempts = pending.Attempts + 1 }, cancellationToken);
                if (leased is null)
                {
                    continue;
                }

                attempts++;
                await AttemptAsync(rule, leased, cancellationToken);
            }
        }

        return attempts;
    }

    private async Task AttemptAsync(AlertRule rule, AlertDelivery leased, CancellationToken cancellationToken)
    {
        using var activity = PurviewTelemetry.Source.StartActivity("alerts.deliver", ActivityKind.Producer);
        activity?.SetTag("purview.alert.rule", rule.Name);
        activity?.SetTag("purview.alert.delivery", leased.Id);
        activity?.SetTag("purview.alert.attempt", leased.Attempts);
        var headers = new List<KeyValuePair<string, string>>
        {
            new(AlertSignature.Header, AlertSignature.Sign(rule.WebhookSecret!, leased.Body)),
            new(AlertSignature.DeliveryHeader, leased.Id),
            new(AlertSignature.EventHeader, leased.Body.Contains("\"state\":\"firing\"", StringComparison.Ordinal) ? "alert.firing" : "alert.resolved"),
        };
        WebhookResult result;
        try
        {
            result = await sender.SendAsync(rule.WebhookUrl!, leased.Body, headers, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever went wrong sending is this attempt's failure, recorded and retried like an error status.
            result = new WebhookResult(null, ex.GetType().Name + ": " + ex.Message);
        }

        var now = time.GetUtcNow();
        var history = leased.History.Append(new DeliveryAttempt(now, result.StatusCode, result.Error)).TakeLast(MaxAttempts).ToList();
        AlertDelivery outcome;
        string tag;
        if (result.Succeeded)
        {
            outcome = leased with { Status = DeliveryStatus.Delivered, DeliveredAt = now, LeaseUntil = null, History = history };
            tag = "delivered";
        }
        else if (leased.Attempts >= MaxAttempts)
        {
            outcome = leased with { Status = DeliveryStatus.Failed, LeaseUntil = null, History = history };
            tag = "failed";
        }
        else
        {
            outcome = leased with { NextAttemptAt = now + Backoff(leased.Attempts), LeaseUntil = null, History = history };
            tag = "retry";
        }

        activity?.SetTag("purview.alert.delivery.outcome", tag);
        PurviewTelemetry.AlertDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", tag));
        // Lost only if our lease expired and another host took the delivery over: its own attempt is then recorded.
        await store.TryUpdateDeliveryAsync(outcome, CancellationToken.None);
    }

    /// <summary>Wait after the <paramref name="attempt"/>-th failed attempt: 30 s, 1 min, 2 min, ... at most 1 h.</summary>
    public static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks * (1L << Math.Clamp(attempt - 1, 0, 20))));

    public static AlertDelivery NewDelivery(AlertRule rule, AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(transition);
        var id = string.Create(CultureInfo.InvariantCulture, $"{rule.Name}:{transition.Sequence}");
        var body = JsonSerializer.Serialize(new WebhookBody(id, rule.Name, AlertService.Wire(rule.Kind), transition.To == AlertStatus.Firing ? "firing" : "resolved",
            transition.Sequence, transition.At, transition.Detail, rule.Page), Json);
        return new AlertDelivery(rule.Name, transition.Sequence, id, body, DeliveryStatus.Pending, 0, transition.At, null, null, [], string.Empty);
    }

    private sealed record WebhookBody(string Id, string Rule, string Kind, string State, long Sequence, DateTimeOffset At, string Detail, string Page);
}

/// <summary>Every minute (UTC): evaluate the alert rules, then deliver their webhooks.</summary>
public sealed class AlertJob(AlertMonitor monitor) : IScheduledJob
{
    public const string Cron = "0 * * * * *";

    public string Name => "alerts";

    public string Schedule => Cron;

    /// <summary>Evaluation is of "now", so old occurrences add nothing; a short window still retries a failed minute.</summary>
    public TimeSpan CatchUpWindow => TimeSpan.FromMinutes(2);

    public async Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        await monitor.EvaluateAsync(cancellationToken);
        await monitor.DeliverAsync(cancellationToken);
    }
}
