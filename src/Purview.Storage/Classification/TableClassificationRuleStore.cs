using Purview.Core.Classification;

namespace Purview.Storage.Classification;

/// <summary>
/// Classification rules and custom scan rule sets in one small table, <c>{prefix}classificationrules</c>: partition
/// "rule" or "ruleset", row key the lower-cased escaped name, the record as JSON split over 30,000-character properties
/// (a property holds at most 32K characters). System rule sets are built in, never stored.
/// </summary>
public sealed class TableClassificationRuleStore(StorageLayout layout) : IClassificationRuleStore, IStorageUser
{
    private const string RulePartition = "rule";
    private const string RulesetPartition = "ruleset";
    private const int ChunkCharacters = 30_000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly EntityTable _table = layout.Table("classificationrules");

    public Task<IReadOnlyList<ClassificationRule>> ListRulesAsync(CancellationToken cancellationToken) => ListAsync<ClassificationRule>(RulePartition, cancellationToken);

    public Task<ClassificationRule?> GetRuleAsync(string name, CancellationToken cancellationToken) => GetAsync<ClassificationRule>(RulePartition, name, cancellationToken);

    public Task PutRuleAsync(ClassificationRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return PutAsync(RulePartition, rule.Name, rule, cancellationToken);
    }

    public Task DeleteRuleAsync(string name, CancellationToken cancellationToken) =>
        _table.DeleteEntityIfExistsAsync(RulePartition, Key(name), cancellationToken: cancellationToken);

    public Task<IReadOnlyList<ScanRuleset>> ListRulesetsAsync(CancellationToken cancellationToken) => ListAsync<ScanRuleset>(RulesetPartition, cancellationToken);

    public Task<ScanRuleset?> GetRulesetAsync(string name, CancellationToken cancellationToken) => GetAsync<ScanRuleset>(RulesetPartition, name, cancellationToken);

    public Task PutRulesetAsync(ScanRuleset ruleset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        return PutAsync(RulesetPartition, ruleset.Name, ruleset, cancellationToken);
    }

    public Task DeleteRulesetAsync(string name, CancellationToken cancellationToken) =>
        _table.DeleteEntityIfExistsAsync(RulesetPartition, Key(name), cancellationToken: cancellationToken);

    private async Task<IReadOnlyList<T>> ListAsync<T>(string partition, CancellationToken cancellationToken) =>
        await _table.QueryAsync(TableFilter.PartitionKeyEquals(partition), cancellationToken: cancellationToken).Select(Read<T>).ToListAsync(cancellationToken);

    private async Task<T?> GetAsync<T>(string partition, string name, CancellationToken cancellationToken)
        where T : class =>
        await _table.GetEntityOrDefaultAsync(partition, Key(name), cancellationToken: cancellationToken) is { } e ? Read<T>(e) : null;

    private async Task PutAsync<T>(string partition, string name, T value, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(value, Json);
        var entity = new TableEntity(partition, Key(name));
        var chunks = json.Chunk(ChunkCharacters).Select(c => new string(c)).ToList();
        entity["Chunks"] = chunks.Count;
        for (var i = 0; i < chunks.Count; i++)
        {
            entity["Json" + i] = chunks[i];
        }

        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    private static T Read<T>(TableEntity e) =>
        JsonSerializer.Deserialize<T>(string.Concat(Enumerable.Range(0, e.GetInt32("Chunks") ?? 0).Select(i => e.GetString("Json" + i))), Json)
        ?? throw new InvalidDataException($"The stored {typeof(T).Name} '{e.RowKey}' is empty.");

    private static string Key(string name) => TableKeys.Escape(name.ToLowerInvariant());
}
