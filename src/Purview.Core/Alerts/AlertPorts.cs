using System.Security.Cryptography;
using System.Text;

namespace Purview.Core.Alerts;

/// <summary>
/// Rules, their state, history and delivery outbox. A transition, its history entry and its delivery are written
/// together or not at all, over the state version they were computed from: of several hosts evaluating the same rule
/// at once exactly one writes each transition.
/// </summary>
public interface IAlertStore
{
    Task<IReadOnlyList<AlertRuleWithState>> ListAsync(CancellationToken cancellationToken);

    Task<AlertRuleWithState?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Creates (with an Ok state) or replaces the rule; true when created.</summary>
    Task<bool> PutAsync(AlertRule rule, CancellationToken cancellationToken);

    /// <summary>Drops the rule with its state, history and deliveries; false when there was none.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>Writes the transition (state, history, and the delivery when there is one) if the state is still <paramref name="from"/>; false otherwise.</summary>
    Task<bool> TryTransitionAsync(AlertState from, AlertTransition transition, AlertDelivery? delivery, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AlertTransition>> ListHistoryAsync(string name, int top, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(string name, int top, CancellationToken cancellationToken);

    /// <summary>The rule's deliveries still pending, oldest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> ListPendingDeliveriesAsync(string name, CancellationToken cancellationToken);

    /// <summary>Replaces the delivery if it is still at its <see cref="AlertDelivery.Version"/>; the stored copy (new version), or null when another writer moved it.</summary>
    Task<AlertDelivery?> TryUpdateDeliveryAsync(AlertDelivery delivery, CancellationToken cancellationToken);
}

/// <summary>The answer of a webhook endpoint: a status code, or why there was none.</summary>
public sealed record WebhookResult(int? StatusCode, string? Error)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>Posts a delivery's body to a rule's webhook (through the outbound endpoint policy).</summary>
public interface IWebhookSender
{
    Task<WebhookResult> SendAsync(Uri url, string body, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);
}

/// <summary>How receivers authenticate a delivery: HMAC-SHA256 of the exact body bytes under the rule's secret.</summary>
public static class AlertSignature
{
    public const string Header = "X-Purview-Signature";
    public const string DeliveryHeader = "X-Purview-Delivery";
    public const string EventHeader = "X-Purview-Event";

    public static string Sign(string secret, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
    }

    /// <summary>Constant-time check of a received signature header (what a receiver does).</summary>
    public static bool Verify(string secret, string body, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(header));

    /// <summary>A new secret: 32 random bytes, base64url.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
