namespace Purview.Core.Alerts;

/// <summary>What a rule watches (docs/OPERATIONS.md).</summary>
public enum AlertKind
{
    /// <summary>Scan runs failed or canceled, at least <c>threshold</c> within the last <c>windowDays</c> UTC days.</summary>
    ScanRunFailures,

    /// <summary>A scan (one, or any that ran) without a succeeded run within the last <c>days</c> UTC days.</summary>
    ScanNotSucceeded,

    /// <summary>A link (one, or any) silent for longer than <c>factor</c> times its usual interval, learned from its hours.</summary>
    LinkSilent,

    /// <summary>A connector's last complete day: its admin log was not generated, or more than <c>threshold</c> items failed.</summary>
    ConnectorAdminLog,
}

public enum AlertStatus
{
    Ok,
    Firing,
}

/// <summary>
/// A rule as a root Collection admin wrote it. Parameters not used by its kind are null. <see cref="WebhookSecret"/> is
/// the HMAC key of its deliveries (created by the service, stored encrypted, shown once).
/// </summary>
public sealed record AlertRule(
    string Name,
    AlertKind Kind,
    bool Enabled,
    int? Threshold,
    int? WindowDays,
    int? Days,
    double? Factor,
    string? DataSource,
    string? Scan,
    string? SourceType,
    string? SourceName,
    string? ConnectorId,
    Uri? WebhookUrl,
    string? WebhookSecret,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset ModifiedAt)
{
    /// <summary>The dashboard page whose badge shows this rule's firing state.</summary>
    public string Page => Kind switch
    {
        AlertKind.LinkSilent => "links",
        AlertKind.ConnectorAdminLog => "connectors",
        _ => "scans",
    };
}

/// <summary>
/// A rule's current state. <see cref="Sequence"/> counts its transitions; <see cref="Version"/> is the store's opaque
/// concurrency token (an ETag): a transition is written only over the version it was computed from.
/// </summary>
public sealed record AlertState(AlertStatus Status, long Sequence, DateTimeOffset? Since, string? Detail, string Version)
{
    public static AlertState Initial(string version) => new(AlertStatus.Ok, 0, null, null, version);
}

/// <summary>What a rule's signal says now: whether its condition holds, and a sentence naming what it saw.</summary>
public sealed record AlertCondition(bool Holds, string Detail);

/// <summary>One change of state (firing or resolved), kept in the rule's history.</summary>
public sealed record AlertTransition(string Rule, long Sequence, AlertStatus To, DateTimeOffset At, string Detail);

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

public sealed record DeliveryAttempt(DateTimeOffset At, int? StatusCode, string? Error);

/// <summary>
/// The outbox row of one transition's webhook delivery, written with the transition. <see cref="Id"/> is the
/// idempotency key receivers dedupe on (sent as <c>X-Purview-Delivery</c>); <see cref="Body"/> is fixed at the
/// transition, so every attempt sends - and signs - the same bytes.
/// </summary>
public sealed record AlertDelivery(
    string Rule,
    long Sequence,
    string Id,
    string Body,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? LeaseUntil,
    DateTimeOffset? DeliveredAt,
    IReadOnlyList<DeliveryAttempt> History,
    string Version);

/// <summary>A rule with its state, as listed.</summary>
public sealed record AlertRuleWithState(AlertRule Rule, AlertState State);
