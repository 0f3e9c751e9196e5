namespace Purview.Storage.Client.Tables;

/// <summary>
/// One table, over the official <see cref="TableClient"/>, with what the SDK leaves to its callers: keys, property
/// names and transactions checked before anything is sent (<see cref="ArgumentException"/> naming the rule), null
/// properties left out, and every failure surfaced as <see cref="StorageException"/> (see <see cref="StorageErrors"/>).
/// Thread-safe.
/// </summary>
public sealed class EntityTable
{
    private readonly TableClient _table;

    public EntityTable(TableServiceClient service, string tableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        TableValidation.ValidateTableName(tableName);
        _table = service.GetTableClient(tableName);
        Name = tableName;
    }

    public string Name { get; }

    /// <summary>Creates the table unless it exists; true when this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            return response?.GetRawResponse().Status is 201 or 204;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>Deletes the table if it exists; true when this call deleted it.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await _table.DeleteAsync(cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>Inserts the entity and returns its new ETag; an existing entity fails with 409 EntityAlreadyExists.</summary>
    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        var sent = Prepare(entity);
        try
        {
            var response = await _table.AddEntityAsync(sent, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag ?? default;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>
    /// Inserts the entity unless one with its keys exists; false when it existed (409, nothing written): how a store
    /// learns that another writer, or an earlier attempt of its own, got there first.
    /// </summary>
    public async Task<bool> TryAddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        try
        {
            await AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException ex) when (ex.IsConflict)
        {
            return false;
        }
    }

    /// <summary>Inserts the entity or, when it exists, merges into or replaces it; returns the new ETag.</summary>
    public async Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        var sent = Prepare(entity);
        try
        {
            var response = await _table.UpsertEntityAsync(sent, mode, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag ?? default;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>
    /// Updates an existing entity if its ETag still matches <paramref name="ifMatch"/> (<see cref="ETag.All"/> for any
    /// version); a stale ETag fails with 412 UpdateConditionNotSatisfied, a missing entity with 404.
    /// </summary>
    public async Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs the ETag to match; pass ETag.All to update any version.", nameof(ifMatch));
        }

        var sent = Prepare(entity);
        try
        {
            var response = await _table.UpdateEntityAsync(sent, ifMatch, mode, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag ?? default;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>
    /// Updates the entity if it is still the version <paramref name="ifMatch"/> names: the new ETag, or null when another
    /// writer changed or deleted it since (412, or 404 for the entity; nothing written). A missing table still throws.
    /// </summary>
    public async Task<ETag?> TryUpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpdateEntityAsync(entity, ifMatch, mode, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (ex.IsPreconditionFailed || (ex.IsNotFound && ex.ErrorCode != "TableNotFound"))
        {
            return null;
        }
    }

    /// <summary>Reads one entity, optionally only the <paramref name="select"/>ed properties; a missing entity fails with 404.</summary>
    public async Task<TableEntity> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        TableValidation.ValidateKey(partitionKey, TableConstants.PartitionKey);
        TableValidation.ValidateKey(rowKey, TableConstants.RowKey);
        try
        {
            return (await _table.GetEntityAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>Reads one entity, or null when it does not exist, including when its keys could never be stored.</summary>
    public async Task<TableEntity?> GetEntityOrDefaultAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        if (TableValidation.GetKeyProblem(partitionKey) is not null || TableValidation.GetKeyProblem(rowKey) is not null)
        {
            // No entity can have a key the service would refuse (too long, forbidden characters): it does not exist.
            return null;
        }

        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken).ConfigureAwait(false);
            if (response.HasValue)
            {
                return response.Value;
            }

            // The SDK answers every 404 with "no value", a missing table too: that is a broken deployment, not a missing entity.
            var raw = response.GetRawResponse();
            var (code, message) = StorageErrors.ParseErrorBody(raw.Content.ToString());
            if (code == "TableNotFound")
            {
                raw.Headers.TryGetValue("x-ms-request-id", out var requestId);
                throw new StorageException(raw.Status, code, requestId, message ?? $"The table {Name} does not exist.");
            }

            return null;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>Deletes the entity if its ETag matches (any version by default); a missing entity fails with 404.</summary>
    public async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        if (!await DeleteEntityIfExistsAsync(partitionKey, rowKey, ifMatch, cancellationToken).ConfigureAwait(false))
        {
            throw new StorageException(404, "ResourceNotFound", null, $"The entity ({partitionKey}, {rowKey}) of table {Name} does not exist.");
        }
    }

    /// <summary>Deletes the entity if it exists and its ETag matches; false when it did not exist.</summary>
    public async Task<bool> DeleteEntityIfExistsAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        TableValidation.ValidateKey(partitionKey, TableConstants.PartitionKey);
        TableValidation.ValidateKey(rowKey, TableConstants.RowKey);
        try
        {
            // The SDK answers a missing entity with its 404 response rather than an exception.
            var response = await _table.DeleteEntityAsync(partitionKey, rowKey, ifMatch == default ? ETag.All : ifMatch, cancellationToken).ConfigureAwait(false);
            return response.Status != 404;
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>
    /// One page of a query. <paramref name="filter"/> is an OData expression (build it with <see cref="TableFilter"/>);
    /// <paramref name="top"/> caps the page (the service caps it at 1,000); pass the previous page's token to continue.
    /// A page may be empty yet carry a token: keep going until the token is null.
    /// </summary>
    public async Task<TableQueryPage<TableEntity>> QueryPageAsync(
        string? filter = null, IEnumerable<string>? select = null, int? top = null, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        if (top is <= 0 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, "top must be 1 to 1,000.");
        }

        if (continuationToken is not null && continuationToken.IndexOf(' ', StringComparison.Ordinal) <= 0)
        {
            throw new ArgumentException("The continuation token is not one this client returned.", nameof(continuationToken));
        }

        try
        {
            var pages = _table.QueryAsync<TableEntity>(string.IsNullOrEmpty(filter) ? null : filter, top, select, cancellationToken)
                .AsPages(continuationToken, top);
            await foreach (var page in pages.ConfigureAwait(false))
            {
                return new TableQueryPage<TableEntity>(page.Values, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
            }

            return new TableQueryPage<TableEntity>([], null);
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    /// <summary>Every entity matching <paramref name="filter"/>, following continuation tokens; <paramref name="pageSize"/> bounds each request.</summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string? filter = null, IEnumerable<string>? select = null, int? pageSize = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selected = select?.ToArray();
        string? token = null;
        do
        {
            var page = await QueryPageAsync(filter, selected, pageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Items)
            {
                yield return entity;
            }

            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    /// <summary>
    /// Runs the operations as one entity-group transaction: all succeed or none is applied. Checked first
    /// (1-100 operations, one PartitionKey, distinct RowKeys, at most 4 MiB) with <see cref="ArgumentException"/>;
    /// a failing operation throws <see cref="StorageException"/> with its status, code and <see cref="StorageException.FailedOperationIndex"/>.
    /// </summary>
    public async Task<TableTransactionResult> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        var sent = TableValidation.ValidateTransaction(actions);
        try
        {
            var responses = (await _table.SubmitTransactionAsync(sent, cancellationToken).ConfigureAwait(false)).Value;
            var etags = new ETag[responses.Count];
            for (var i = 0; i < etags.Length; i++)
            {
                etags[i] = responses[i].Headers.ETag ?? default;
            }

            return new TableTransactionResult(etags);
        }
        catch (Exception ex) when (StorageErrors.TryMap(ex, cancellationToken, out var error))
        {
            throw error;
        }
    }

    private static TableEntity Prepare(TableEntity entity)
    {
        TableValidation.ValidateEntity(entity);
        return TableValidation.AsSent(entity);
    }
}

/// <summary>The outcome of a committed transaction: one ETag per operation, in order (default for deletes).</summary>
public sealed record TableTransactionResult(IReadOnlyList<ETag> ETags);

/// <summary>One page of a query: the entities and the token for the next page, null on the last page.</summary>
public sealed record TableQueryPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
