using System.Buffers.Text;
using Purview.Core.Connectors;

namespace Purview.Storage.Connectors;

/// <summary>
/// Settings and connectors in one small table (partitions "settings" and "connector"); user mappings in a table
/// partitioned by connector, keyed by the source user id (case-insensitively), written in transactions of up to 100.
/// </summary>
public sealed class TableConnectorStore(StorageLayout layout) : IConnectorStore, IStorageUser
{
    private const string SettingsPartition = "settings";
    private const string ConnectorPartition = "connector";
    private readonly EntityTable _connectors = layout.Table("connectors");
    private readonly EntityTable _mappings = layout.Table("connectormappings");

    public async Task<ConnectorSettings> GetSettingsAsync(CancellationToken cancellationToken)
    {
        var entity = await _connectors.GetEntityOrDefaultAsync(SettingsPartition, "organisation", cancellationToken: cancellationToken);
        return entity is null ? ConnectorSettings.Default : new ConnectorSettings(entity.GetBoolean("AuditingEnabled") ?? true);
    }

    public Task SaveSettingsAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return _connectors.UpsertEntityAsync(new TableEntity(SettingsPartition, "organisation") { ["AuditingEnabled"] = settings.AuditingEnabled }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<Connector?> GetAsync(string connectorId, CancellationToken cancellationToken)
    {
        var entity = await _connectors.GetEntityOrDefaultAsync(ConnectorPartition, connectorId.ToLowerInvariant(), cancellationToken: cancellationToken);
        return entity is null ? null : ToConnector(entity);
    }

    public async Task<IReadOnlyList<Connector>> ListAsync(CancellationToken cancellationToken) =>
        await _connectors.QueryAsync(TableFilter.PartitionKeyEquals(ConnectorPartition), cancellationToken: cancellationToken).Select(ToConnector).ToListAsync(cancellationToken);

    public Task SaveAsync(Connector connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        var entity = new TableEntity(ConnectorPartition, connector.Id.ToLowerInvariant())
        {
            ["Id"] = connector.Id,
            ["Name"] = connector.Name,
            ["SourceType"] = connector.SourceType,
            ["CreatedAt"] = connector.CreatedAt,
            ["CreatedBy"] = connector.CreatedBy,
            ["LastModifiedAt"] = connector.LastModifiedAt,
        };
        return _connectors.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string connectorId, CancellationToken cancellationToken)
    {
        if (!await _connectors.DeleteEntityIfExistsAsync(ConnectorPartition, connectorId.ToLowerInvariant(), cancellationToken: cancellationToken))
        {
            return false;
        }

        await DeleteMappingsAsync(connectorId, keep: null, cancellationToken);
        return true;
    }

    public Task MergeMappingsAsync(string connectorId, IReadOnlyList<UserMapping> mappings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        var partition = Partition(connectorId);
        var batches = mappings.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(m.SourceUserId))
            {
                ["SourceUserId"] = m.SourceUserId,
                ["UserPrincipalName"] = m.UserPrincipalName,
            }))
            .Chunk(100)
            .ToList();
        return Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (batch, ct) => await _mappings.SubmitTransactionAsync(batch, ct));
    }

    public async Task ReplaceMappingsAsync(string connectorId, IReadOnlyList<UserMapping> mappings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mappings);
        await MergeMappingsAsync(connectorId, mappings, cancellationToken);
        await DeleteMappingsAsync(connectorId, mappings.Select(m => RowKey(m.SourceUserId)).ToHashSet(StringComparer.Ordinal), cancellationToken);
    }

    public async Task<(IReadOnlyList<UserMapping> Page, string? ContinuationToken)> PageMappingsAsync(string connectorId, int top, string? continuationToken, CancellationToken cancellationToken)
    {
        // Our token is the table's, bound to the connector it was issued for: "{connector}\n{next partition} {next row}", base64url.
        var partition = Partition(connectorId);
        string? token = null;
        if (continuationToken is not null)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuationToken));
            }
            catch (FormatException ex)
            {
                throw new ArgumentException("The continuation token is not one this API returned.", nameof(continuationToken), ex);
            }

            var newline = decoded.IndexOf('\n', StringComparison.Ordinal);
            if (newline <= 0 || !string.Equals(decoded[..newline], partition, StringComparison.Ordinal) || decoded.IndexOf(' ', newline) <= newline + 1)
            {
                throw new ArgumentException("The continuation token is not one this API returned for this connector.", nameof(continuationToken));
            }

            token = decoded[(newline + 1)..];
        }

        TableQueryPage<TableEntity> page;
        try
        {
            page = await _mappings.QueryPageAsync(TableFilter.PartitionKeyEquals(partition), top: top, continuationToken: token, cancellationToken: cancellationToken);
        }
        catch (StorageException ex) when (token is not null && ex.Status == 400)
        {
            throw new ArgumentException("The continuation token is not one this API returned.", nameof(continuationToken), ex);
        }

        var next = page.ContinuationToken is { } t ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(partition + "\n" + t)) : null;
        return (page.Items.Select(ToMapping).ToList(), next);
    }

    public async Task<IReadOnlyDictionary<string, string>> LoadMappingsAsync(string connectorId, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var e in _mappings.QueryAsync(TableFilter.PartitionKeyEquals(Partition(connectorId)), cancellationToken: cancellationToken))
        {
            var m = ToMapping(e);
            map[m.SourceUserId] = m.UserPrincipalName;
        }

        return map;
    }

    private async Task DeleteMappingsAsync(string connectorId, HashSet<string>? keep, CancellationToken cancellationToken)
    {
        var doomed = _mappings.QueryAsync(TableFilter.PartitionKeyEquals(Partition(connectorId)), select: TableBatches.KeyColumns, cancellationToken: cancellationToken)
            .Where(e => keep is null || !keep.Contains(e.RowKey));
        await TableBatches.DeleteAllAsync(_mappings, doomed, cancellationToken);
    }

    private static string Partition(string connectorId) => connectorId.ToLowerInvariant();

    private static string RowKey(string sourceUserId) => TableKeys.Escape(sourceUserId.ToUpperInvariant());

    private static UserMapping ToMapping(TableEntity e) => new(e.GetString("SourceUserId") ?? TableKeys.Unescape(e.RowKey), e.GetString("UserPrincipalName") ?? string.Empty);

    private static Connector ToConnector(TableEntity e) => new(
        e.GetString("Id") ?? e.RowKey, e.GetString("Name") ?? string.Empty, e.GetString("SourceType") ?? "Generic",
        e.GetDateTimeOffset("CreatedAt") ?? default, e.GetString("CreatedBy") ?? string.Empty, e.GetDateTimeOffset("LastModifiedAt") ?? default);
}
