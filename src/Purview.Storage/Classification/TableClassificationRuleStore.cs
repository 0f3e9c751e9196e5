using Purview.Core.Classification;

namespace Purview.Storage.Classification;

/// <summary>
/// Classification rules and custom scan rule sets in one small table, <c>{prefix}classificationrules</c>: partition
/// "rule" or "ruleset", row key the lower-cased escaped name, the record as JSON split over 30,000-character properties
/// (<see cref="ChunkedJson"/>). System rule sets are built in, never stored.
/// </summary>
public sealed class TableClassificationRuleStore : IClassificationRuleStore, IStorageUser
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly JsonRows<ClassificationRule> _rules;
    private readonly JsonRows<ScanRuleset> _rulesets;

    public TableClassificationRuleStore(StorageLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var table = layout.Table("classificationrules");
        _rules = new JsonRows<ClassificationRule>(table, "rule", r => r.Name);
        _rulesets = new JsonRows<ScanRuleset>(table, "ruleset", r => r.Name);
    }

    public Task<IReadOnlyList<ClassificationRule>> ListRulesAsync(CancellationToken cancellationToken) => _rules.ListAsync(cancellationToken);

    public Task<ClassificationRule?> GetRuleAsync(string name, CancellationToken cancellationToken) => _rules.GetAsync(name, cancellationToken);

    public Task PutRuleAsync(ClassificationRule rule, CancellationToken cancellationToken) => _rules.PutAsync(rule, cancellationToken);

    public Task DeleteRuleAsync(string name, CancellationToken cancellationToken) => _rules.DeleteAsync(name, cancellationToken);

    public Task<IReadOnlyList<ScanRuleset>> ListRulesetsAsync(CancellationToken cancellationToken) => _rulesets.ListAsync(cancellationToken);

    public Task<ScanRuleset?> GetRulesetAsync(string name, CancellationToken cancellationToken) => _rulesets.GetAsync(name, cancellationToken);

    public Task PutRulesetAsync(ScanRuleset ruleset, CancellationToken cancellationToken) => _rulesets.PutAsync(ruleset, cancellationToken);

    public Task DeleteRulesetAsync(string name, CancellationToken cancellationToken) => _rulesets.DeleteAsync(name, cancellationToken);

    /// <summary>One record kind: its partition, rows keyed by the record's name.</summary>
    private sealed class JsonRows<T>(EntityTable table, string partition, Func<T, string> nameOf)
        where T : class
    {
        public async Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken) =>
            await table.QueryAsync(TableFilter.PartitionKeyEquals(partition), cancellationToken: cancellationToken).Select(Read).ToListAsync(cancellationToken);

        public async Task<T?> GetAsync(string key, CancellationToken cancellationToken) =>
            await table.GetEntityOrDefaultAsync(partition, Key(key), cancellationToken: cancellationToken) is { } e ? Read(e) : null;

        public async Task PutAsync(T value, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(value);
            var entity = ChunkedJson.Write(new TableEntity(partition, Key(nameOf(value))), JsonSerializer.Serialize(value, Json));
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }

        public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken) =>
            table.DeleteEntityIfExistsAsync(partition, Key(key), cancellationToken: cancellationToken);

        private static T Read(TableEntity e) =>
            JsonSerializer.Deserialize<T>(ChunkedJson.Read(e), Json) ?? throw new InvalidDataException($"The stored {typeof(T).Name} '{e.RowKey}' is empty.");

        private static string Key(string name) => TableKeys.Escape(name.ToLowerInvariant());
    }
}
