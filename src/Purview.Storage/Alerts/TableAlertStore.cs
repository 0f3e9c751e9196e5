using Microsoft.AspNetCore.DataProtection;
using Purview.Core.Alerts;

namespace Purview.Storage.Alerts;

/// <summary>
/// One table, one partition per rule (its lower-cased name), so that a transition is one entity-group transaction:
/// RowKey <c>rule</c> (the rule; the webhook secret protected with Data Protection like credentials' secrets),
/// <c>state</c> (replaced If-Match the ETag the evaluation read), <c>h|{reverse sequence}</c> (history, newest first) and
/// <c>d|{reverse sequence}</c> (the delivery outbox, inserted with its transition; leased and updated If-Match).
/// Rules, states, history and deliveries are separate row kinds rather than tables because a transaction cannot span tables.
/// </summary>
public sealed class TableAlertStore(StorageLayout layout, IDataProtectionProvider dataProtection) : IAlertStore, IStorageUser
{
    public const string ProtectorPurpose = "Purview.Alerts.WebhookSecret";
    private const string RuleRow = "rule";
    private const string StateRow = "state";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly EntityTable _table = layout.Table("alerts");
    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose);

    public async Task<IReadOnlyList<AlertRuleWithState>> ListAsync(CancellationToken cancellationToken)
    {
        // Rules and states only (a range per row kind would need a partition list; the table holds one partition per rule).
        var filter = TableFilter.Or(TableFilter.RowKeyEquals(RuleRow), TableFilter.RowKeyEquals(StateRow));
        var rules = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var states = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var e in _table.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            (e.RowKey == RuleRow ? rules : states)[e.PartitionKey] = e;
        }

        return rules.Select(r => new AlertRuleWithState(ToRule(r.Value), states.TryGetValue(r.Key, out var s) ? ToState(s) : AlertState.Initial(string.Empty))).ToList();
    }

    public async Task<AlertRuleWithState?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var pk = Partition(name);
        var rule = _table.GetEntityOrDefaultAsync(pk, RuleRow, cancellationToken: cancellationToken);
        var state = _table.GetEntityOrDefaultAsync(pk, StateRow, cancellationToken: cancellationToken);
        await Task.WhenAll(rule, state);
        return await rule is { } r ? new AlertRuleWithState(ToRule(r), await state is { } s ? ToState(s) : AlertState.Initial(string.Empty)) : null;
    }

    public async Task<bool> PutAsync(AlertRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var entity = FromRule(rule);
        try
        {
            // A new rule and its Ok state together, so a rule is never seen without a state to transition from.
            await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, entity),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, FromState(rule.Name, AlertState.Initial(string.Empty))),
            ], cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.IsConflict)
        {
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            return false;
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var pk = Partition(name);
        var rows = await _table.QueryAsync(TableFilter.PartitionKeyEquals(pk), TableBatches.KeyColumns, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        if (!rows.Any(r => r.RowKey == RuleRow))
        {
            return false;
        }

        // The rule row last: a delete interrupted half-way leaves a rule that can be deleted again, never orphan rows.
        await TableBatches.DeleteAllAsync(_table, rows.Where(r => r.RowKey != RuleRow).ToAsyncEnumerable(), cancellationToken);
        await _table.DeleteEntityIfExistsAsync(pk, RuleRow, cancellationToken: cancellationToken);
        return true;
    }

    public async Task<bool> TryTransitionAsync(AlertState from, AlertTransition transition, AlertDelivery? delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(transition);
        var pk = Partition(transition.Rule);
        var state = FromState(transition.Rule, new AlertState(transition.To, transition.Sequence, transition.At, transition.Detail, string.Empty));
        var history = new TableEntity(pk, HistoryRow(transition.Sequence))
        {
            ["Sequence"] = transition.Sequence,
            ["To"] = transition.To.ToString(),
            ["At"] = transition.At,
            ["Detail"] = transition.Detail,
        };
        var actions = new List<TableTransactionAction>
        {
            from.Version.Length == 0
                ? new TableTransactionAction(TableTransactionActionType.Add, state)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, new ETag(from.Version)),
            new(TableTransactionActionType.Add, history),
        };
        if (delivery is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, FromDelivery(delivery)));
        }

        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed || ex.IsConflict || ex.IsNotFound)
        {
            // Another host wrote this transition (or the rule was deleted): nothing of ours was applied.
            return false;
        }
    }

    public async Task<IReadOnlyList<AlertTransition>> ListHistoryAsync(string name, int top, CancellationToken cancellationToken)
    {
        var pk = Partition(name);
        var page = await _table.QueryPageAsync(TableFilter.And(TableFilter.PartitionKeyEquals(pk), TableFilter.RowKeyRange("h|", "h}")), top: top, cancellationToken: cancellationToken);
        return page.Items.Select(e => new AlertTransition(name, e.GetInt64("Sequence") ?? 0, Enum.Parse<AlertStatus>(e.GetString("To")!), e.GetDateTimeOffset("At") ?? default, e.GetString("Detail") ?? string.Empty)).ToList();
    }

    public async Task<IReadOnlyList<AlertDelivery>> ListDeliveriesAsync(string name, int top, CancellationToken cancellationToken)
    {
        var page = await _table.QueryPageAsync(TableFilter.And(TableFilter.PartitionKeyEquals(Partition(name)), TableFilter.RowKeyRange("d|", "d}")), top: top, cancellationToken: cancellationToken);
        return page.Items.Select(ToDelivery).ToList();
    }

    public async Task<IReadOnlyList<AlertDelivery>> ListPendingDeliveriesAsync(string name, CancellationToken cancellationToken)
    {
        var filter = TableFilter.And(TableFilter.PartitionKeyEquals(Partition(name)), TableFilter.RowKeyRange("d|", "d}"), TableFilter.Equal("Status", nameof(DeliveryStatus.Pending)));
        return await _table.QueryAsync(filter, cancellationToken: cancellationToken).Select(ToDelivery).OrderBy(d => d.Sequence).ToListAsync(cancellationToken);
    }

    public async Task<AlertDelivery?> TryUpdateDeliveryAsync(AlertDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return await _table.TryUpdateEntityAsync(FromDelivery(delivery), new ETag(delivery.Version), TableUpdateMode.Replace, cancellationToken) is { } etag
            ? delivery with { Version = etag.ToString() }
            : null;
    }

    private static string Partition(string name) => name.ToLowerInvariant();

    private static string HistoryRow(long sequence) => "h|" + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    private static string DeliveryRow(long sequence) => "d|" + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    private TableEntity FromRule(AlertRule r) => new(Partition(r.Name), RuleRow)
    {
        ["Name"] = r.Name,
        ["Kind"] = r.Kind.ToString(),
        ["Enabled"] = r.Enabled,
        ["Threshold"] = r.Threshold,
        ["WindowDays"] = r.WindowDays,
        ["Days"] = r.Days,
        ["Factor"] = r.Factor,
        ["DataSource"] = r.DataSource,
        ["Scan"] = r.Scan,
        ["SourceType"] = r.SourceType,
        ["SourceName"] = r.SourceName,
        ["ConnectorId"] = r.ConnectorId,
        ["WebhookUrl"] = r.WebhookUrl?.AbsoluteUri,
        ["ProtectedSecret"] = r.WebhookSecret is null ? null : _protector.Protect(r.WebhookSecret),
        ["CreatedAt"] = r.CreatedAt,
        ["CreatedBy"] = r.CreatedBy,
        ["ModifiedAt"] = r.ModifiedAt,
    };

    private AlertRule ToRule(TableEntity e) => new(
        e.GetString("Name")!, Enum.Parse<AlertKind>(e.GetString("Kind")!), e.GetBoolean("Enabled") ?? true,
        e.GetInt32("Threshold"), e.GetInt32("WindowDays"), e.GetInt32("Days"), e.GetDouble("Factor"),
        e.GetString("DataSource"), e.GetString("Scan"), e.GetString("SourceType"), e.GetString("SourceName"), e.GetString("ConnectorId"),
        e.GetString("WebhookUrl") is { } url ? new Uri(url) : null,
        e.GetString("ProtectedSecret") is { } secret ? _protector.Unprotect(secret) : null,
        e.GetDateTimeOffset("CreatedAt") ?? default, e.GetString("CreatedBy") ?? string.Empty, e.GetDateTimeOffset("ModifiedAt") ?? default);

    private static TableEntity FromState(string rule, AlertState s) => new(Partition(rule), StateRow)
    {
        ["Status"] = s.Status.ToString(),
        ["Sequence"] = s.Sequence,
        ["Since"] = s.Since,
        ["Detail"] = s.Detail,
    };

    private static AlertState ToState(TableEntity e) => new(
        Enum.Parse<AlertStatus>(e.GetString("Status") ?? nameof(AlertStatus.Ok)), e.GetInt64("Sequence") ?? 0, e.GetDateTimeOffset("Since"), e.GetString("Detail"), e.ETag.ToString());

    private static TableEntity FromDelivery(AlertDelivery d) => new(Partition(d.Rule), DeliveryRow(d.Sequence))
    {
        ["Rule"] = d.Rule,
        ["Sequence"] = d.Sequence,
        ["DeliveryId"] = d.Id,
        ["Body"] = d.Body,
        ["Status"] = d.Status.ToString(),
        ["Attempts"] = d.Attempts,
        ["NextAttemptAt"] = d.NextAttemptAt,
        ["LeaseUntil"] = d.LeaseUntil,
        ["DeliveredAt"] = d.DeliveredAt,
        ["History"] = JsonSerializer.Serialize(d.History, Json),
    };

    private static AlertDelivery ToDelivery(TableEntity e) => new(
        e.GetString("Rule")!, e.GetInt64("Sequence") ?? 0, e.GetString("DeliveryId")!, e.GetString("Body") ?? string.Empty,
        Enum.Parse<DeliveryStatus>(e.GetString("Status") ?? nameof(DeliveryStatus.Pending)), e.GetInt32("Attempts") ?? 0,
        e.GetDateTimeOffset("NextAttemptAt") ?? default, e.GetDateTimeOffset("LeaseUntil"), e.GetDateTimeOffset("DeliveredAt"),
        JsonSerializer.Deserialize<List<DeliveryAttempt>>(e.GetString("History") ?? "[]", Json) ?? [], e.ETag.ToString());
}
