using System.Net;
using System.Text.RegularExpressions;
using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Links;
using Purview.Core.Scanners;

namespace Purview.Core.Alerts;

/// <summary>What a caller sends to create or replace a rule (fields not used by its kind must be left out).</summary>
public sealed record AlertRuleInput(
    string? Kind, bool? Enabled, int? Threshold, int? WindowDays, int? Days, double? Factor, string? DataSource, string? Scan,
    string? SourceType, string? SourceName, string? ConnectorId, string? WebhookUrl, bool? RotateSecret);

/// <summary>A saved rule; <see cref="NewSecret"/> is set only when the webhook secret was created or rotated by this call (shown once).</summary>
public sealed record AlertRuleSaved(AlertRule Rule, AlertState State, bool Created, string? NewSecret);

/// <summary>Firing rules per dashboard page (scans, links, connectors).</summary>
public sealed record AlertSummary(int Firing, IReadOnlyDictionary<string, int> Pages);

/// <summary>
/// Alert rules (root Collection admins, checked by the route group): validation, the webhook endpoint through the
/// outbound policy scans use, the secret created here, and the audit of every change.
/// </summary>
public sealed partial class AlertService(IAlertStore store, AccessService access, ScanTargetOptions targets, IHostResolver resolver, TimeProvider time)
{
    public const int MaxRules = 200;
    public static readonly string[] Pages = ["scans", "links", "connectors"];

    public async Task<IReadOnlyList<AlertRuleWithState>> ListAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(cancellationToken)).OrderBy(r => r.Rule.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public async Task<Result<AlertRuleWithState>> GetAsync(string name, CancellationToken cancellationToken) =>
        ValidateName(name) is { } invalid ? invalid
        : await store.GetAsync(name, cancellationToken) is { } found ? found
        : Error.NotFound($"There is no alert rule '{name}'.");

    public async Task<Result<AlertRuleSaved>> PutAsync(Principal caller, string name, AlertRuleInput? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (ValidateName(name) is { } invalidName)
        {
            return invalidName;
        }

        if (input is null)
        {
            return Error.Validation("kind", "The body is a rule: {\"kind\": \"scanRunFailures\", \"threshold\": 3, \"windowDays\": 1, \"webhookUrl\": \"https://...\"}.");
        }

        var validated = Validate(input);
        if (!validated.IsSuccess)
        {
            return validated.Error!;
        }

        Uri? webhook = null;
        if (input.WebhookUrl is not null)
        {
            var checkedUrl = await CheckWebhookAsync(input.WebhookUrl, cancellationToken);
            if (!checkedUrl.IsSuccess)
            {
                return checkedUrl.Error!;
            }

            webhook = checkedUrl.Value;
        }

        var existing = await store.GetAsync(name, cancellationToken);
        if (existing is null && (await store.ListAsync(cancellationToken)).Count >= MaxRules)
        {
            return Error.Conflict("TooManyRules", $"At most {MaxRules} alert rules can exist; delete one first.");
        }

        var now = time.GetUtcNow();
        string? newSecret = null;
        var secret = existing?.Rule.WebhookSecret;
        if (webhook is not null && (secret is null || input.RotateSecret == true))
        {
            secret = newSecret = AlertSignature.NewSecret();
        }

        var v = validated.Value!;
        var rule = v with
        {
            Name = existing?.Rule.Name ?? name,
            WebhookUrl = webhook,
            WebhookSecret = webhook is null ? null : secret,
            CreatedAt = existing?.Rule.CreatedAt ?? now,
            CreatedBy = existing?.Rule.CreatedBy ?? caller.Name,
            ModifiedAt = now,
        };
        var created = await store.PutAsync(rule, cancellationToken);
        await access.AuditAsync(caller, created ? "alert.create" : "alert.update", rule.Name, null,
            $"kind={rule.Kind}; enabled={rule.Enabled}; webhook={(webhook is null ? "none" : webhook.GetLeftPart(UriPartial.Path))}{(newSecret is null ? string.Empty : "; secret issued")}", cancellationToken);
        var saved = await store.GetAsync(rule.Name, cancellationToken);
        return new AlertRuleSaved(rule, saved?.State ?? AlertState.Initial(string.Empty), created, newSecret);
    }

    public async Task<Result<bool>> DeleteAsync(Principal caller, string name, CancellationToken cancellationToken)
    {
        if (ValidateName(name) is { } invalid)
        {
            return invalid;
        }

        if (!await store.DeleteAsync(name, cancellationToken))
        {
            return Error.NotFound($"There is no alert rule '{name}'.");
        }

        await access.AuditAsync(caller, "alert.delete", name, null, null, cancellationToken);
        return true;
    }

    public async Task<Result<IReadOnlyList<AlertTransition>>> HistoryAsync(string name, int? top, CancellationToken cancellationToken)
    {
        if (await CheckAsync(name, top, cancellationToken) is { } error)
        {
            return error;
        }

        return Result<IReadOnlyList<AlertTransition>>.Success(await store.ListHistoryAsync(name, top ?? 50, cancellationToken));
    }

    public async Task<Result<IReadOnlyList<AlertDelivery>>> DeliveriesAsync(string name, int? top, CancellationToken cancellationToken)
    {
        if (await CheckAsync(name, top, cancellationToken) is { } error)
        {
            return error;
        }

        return Result<IReadOnlyList<AlertDelivery>>.Success(await store.ListDeliveriesAsync(name, top ?? 50, cancellationToken));
    }

    public async Task<AlertSummary> SummaryAsync(CancellationToken cancellationToken)
    {
        var firing = (await store.ListAsync(cancellationToken)).Where(r => r.Rule.Enabled && r.State.Status == AlertStatus.Firing).ToList();
        return new AlertSummary(firing.Count, Pages.ToDictionary(p => p, p => firing.Count(r => r.Rule.Page == p), StringComparer.Ordinal));
    }

    private async Task<Error?> CheckAsync(string name, int? top, CancellationToken cancellationToken)
    {
        if (ValidateName(name) is { } invalid)
        {
            return invalid;
        }

        if (top is < 1 or > 200)
        {
            return Error.Validation("top", "top is between 1 and 200.");
        }

        return await store.GetAsync(name, cancellationToken) is null ? Error.NotFound($"There is no alert rule '{name}'.") : null;
    }

    public static Error? ValidateName(string? name) =>
        name is null || !NamePattern().IsMatch(name) || string.Equals(name, "summary", StringComparison.OrdinalIgnoreCase)
            ? Error.Validation("alertName", "An alert rule's name is 1-63 letters, digits, '-' or '_', starting with a letter or digit ('summary' is reserved).")
            : null;

    /// <summary>The rule the input describes (name, webhook and times are filled in by the caller), or the first invalid field.</summary>
    public static Result<AlertRule> Validate(AlertRuleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Kind is null || !Enum.TryParse<AlertKind>(input.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(input.Kind, out _))
        {
            return Error.Validation("kind", "kind is one of scanRunFailures, scanNotSucceeded, linkSilent, connectorAdminLog.");
        }

        var used = kind switch
        {
            AlertKind.ScanRunFailures => new[] { "threshold", "windowDays", "sourceType" },
            AlertKind.ScanNotSucceeded => ["days", "dataSource", "scan"],
            AlertKind.LinkSilent => ["factor", "sourceType", "sourceName"],
            _ => ["threshold", "connectorId"],
        };
        var present = new (string Field, bool Set)[]
        {
            ("threshold", input.Threshold is not null), ("windowDays", input.WindowDays is not null), ("days", input.Days is not null),
            ("factor", input.Factor is not null), ("dataSource", input.DataSource is not null), ("scan", input.Scan is not null),
            ("sourceType", input.SourceType is not null), ("sourceName", input.SourceName is not null), ("connectorId", input.ConnectorId is not null),
        };
        foreach (var (field, set) in present)
        {
            if (set && !used.Contains(field))
            {
                return Error.Validation(field, $"{field} is not a parameter of {Wire(kind)} rules (they take {string.Join(", ", used)}).");
            }
        }

        foreach (var (field, value) in new[] { ("dataSource", input.DataSource), ("scan", input.Scan), ("sourceType", input.SourceType), ("sourceName", input.SourceName), ("connectorId", input.ConnectorId) })
        {
            if (value is not null && (value.Length is 0 or > 256 || value.Any(UnsafeText.IsUnsafe) || string.IsNullOrWhiteSpace(value)))
            {
                return Error.Validation(field, $"{field} is 1-256 characters without control or bidirectional characters.");
            }
        }

        switch (kind)
        {
            case AlertKind.ScanRunFailures:
                if (input.Threshold is not (>= 1 and <= 100_000))
                {
                    return Error.Validation("threshold", "threshold (failed + canceled runs that fire the rule) is required, 1 to 100,000.");
                }

                if (input.WindowDays is not null and not (>= 1 and <= 30))
                {
                    return Error.Validation("windowDays", "windowDays is 1 to 30 UTC days (default 1: today).");
                }

                break;
            case AlertKind.ScanNotSucceeded:
                if (input.Days is not (>= 1 and <= 90))
                {
                    return Error.Validation("days", "days (without a succeeded run) is required, 1 to 90.");
                }

                if ((input.DataSource is null) != (input.Scan is null))
                {
                    return Error.Validation(input.DataSource is null ? "dataSource" : "scan", "dataSource and scan name one scan together; leave both out to watch every scan that ran.");
                }

                break;
            case AlertKind.LinkSilent:
                if (input.Factor is not null and not (>= 1.5 and <= 100) || input.Factor is { } f && !double.IsFinite(f))
                {
                    return Error.Validation("factor", "factor (times the link's usual interval) is 1.5 to 100 (default 3).");
                }

                if ((input.SourceType is null) != (input.SourceName is null))
                {
                    return Error.Validation(input.SourceType is null ? "sourceType" : "sourceName", "sourceType and sourceName name one link together; leave both out to watch every link.");
                }

                if (input.SourceType is not null && (!Enum.TryParse<LinkSourceType>(input.SourceType, ignoreCase: true, out var type) || !Enum.IsDefined(type) || int.TryParse(input.SourceType, out _)))
                {
                    return Error.Validation("sourceType", "sourceType is AzureDataFactory, Synapse or OpenLineage.");
                }

                break;
            default:
                if (input.Threshold is not null and not (>= 0 and <= 1_000_000_000))
                {
                    return Error.Validation("threshold", "threshold (failed items a day may have without firing) is 0 to 1,000,000,000 (default 0).");
                }

                break;
        }

        return new AlertRule(string.Empty, kind, input.Enabled ?? true,
            input.Threshold ?? (kind == AlertKind.ConnectorAdminLog ? 0 : null),
            kind == AlertKind.ScanRunFailures ? input.WindowDays ?? 1 : null,
            input.Days,
            kind == AlertKind.LinkSilent ? input.Factor ?? 3 : null,
            input.DataSource, input.Scan,
            kind == AlertKind.LinkSilent && input.SourceType is not null ? Enum.Parse<LinkSourceType>(input.SourceType, ignoreCase: true).ToString() : input.SourceType,
            input.SourceName, input.ConnectorId, null, null, default, string.Empty, default);
    }

    public static string Wire(AlertKind kind) => kind switch
    {
        AlertKind.ScanRunFailures => "scanRunFailures",
        AlertKind.ScanNotSucceeded => "scanNotSucceeded",
        AlertKind.LinkSilent => "linkSilent",
        _ => "connectorAdminLog",
    };

    /// <summary>
    /// The webhook goes through the outbound policy of scans (Scanning:Targets): no metadata or link-local address, no
    /// loopback or private network unless allowed (loopback is allowed in Development only), https unless RequireTls is off.
    /// The same policy is applied again to every connection a delivery opens.
    /// </summary>
    private async Task<Result<Uri>> CheckWebhookAsync(string url, CancellationToken cancellationToken)
    {
        const string field = "webhookUrl";
        if (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment) || url.Any(UnsafeText.IsUnsafe))
        {
            return Error.Validation(field, "webhookUrl is an absolute http(s) URL of at most 2,048 characters, without user info or fragment.");
        }

        if (targets.RequireTls && uri.Scheme != Uri.UriSchemeHttps)
        {
            return Refused($"{uri.Host}: webhooks must use https here (Scanning:Targets:RequireTls).");
        }

        string host;
        try
        {
            host = uri.IdnHost;
        }
        catch (UriFormatException)
        {
            return Error.Validation(field, "webhookUrl's host name is not a valid internationalised name.");
        }

        if (host.Length is 0 or > 253)
        {
            return Error.Validation(field, "webhookUrl's host name is 1-253 characters.");
        }

        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Count == 0)
        {
            return Refused($"{uri.Host} does not resolve.");
        }

        foreach (var address in addresses)
        {
            if (ScanTargetRules.OutboundRefusal(host, address, targets) is { } refusal)
            {
                return Refused(refusal.Replace("scans may not", "webhooks may not", StringComparison.Ordinal).Replace("scans never", "webhooks never", StringComparison.Ordinal));
            }
        }

        return uri;

        static Error Refused(string message) => new(ErrorKind.Validation, "EndpointNotAllowed", message, [new ValidationError(field, message)]);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
