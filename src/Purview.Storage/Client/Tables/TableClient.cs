using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace Purview.Storage.Client.Tables;

/// <summary>
/// Entities of one table over the Table REST API (version 2019-02-02, OData JSON). Every failure surfaces as
/// <see cref="StorageException"/>; invalid keys, names and transactions fail with <see cref="ArgumentException"/>
/// before any request is sent. Thread-safe.
/// </summary>
public sealed class TableClient
{
    private static readonly RequestMethod Merge = new("MERGE");
    private readonly StoragePipeline _pipeline;
    private readonly string _tableUrl;

    public TableClient(StorageAccount account, string tableName, StorageClientOptions? options = null, ILogger? logger = null)
        : this(StoragePipeline.Create(account, StorageService.Table, options, logger), tableName)
    {
    }

    internal TableClient(StoragePipeline pipeline, string tableName)
    {
        TableValidation.ValidateTableName(tableName);
        _pipeline = pipeline;
        Name = tableName;
        _tableUrl = pipeline.Endpoint.AbsoluteUri + tableName;
    }

    public string Name { get; }

    /// <summary>Creates the table; fails with 409 TableAlreadyExists when it exists.</summary>
    public Task CreateAsync(CancellationToken cancellationToken = default) => TableServiceClient.CreateTableAsync(_pipeline, Name, cancellationToken);

    /// <summary>Creates the table unless it exists; true when this call created it.</summary>
    public Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        TableServiceClient.CreateTableIfNotExistsAsync(_pipeline, Name, cancellationToken);

    /// <summary>Deletes the table; fails with 404 TableNotFound when it does not exist.</summary>
    public Task DeleteAsync(CancellationToken cancellationToken = default) => TableServiceClient.DeleteTableAsync(_pipeline, Name, cancellationToken);

    /// <summary>Deletes the table if it exists; true when this call deleted it.</summary>
    public Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default) =>
        TableServiceClient.DeleteTableIfExistsAsync(_pipeline, Name, cancellationToken);

    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => TableServiceClient.TableExistsAsync(_pipeline, Name, cancellationToken);

    /// <summary>Inserts the entity and returns its new ETag; an existing entity fails with 409 EntityAlreadyExists.</summary>
    public async Task<ETag> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        TableValidation.ValidateEntityKeys(entity);
        using var message = CreateMessage(RequestMethod.Post, Name, TableConstants.AcceptNoMetadata);
        message.Request.Headers.SetValue("Prefer", TableConstants.ReturnNoContent);
        SetJsonContent(message, entity);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return ETagOf(response);
    }

    /// <summary>Inserts the entity or, when it exists, merges into or replaces it; returns the new ETag.</summary>
    public Task<ETag> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Updates an existing entity if its ETag still matches <paramref name="ifMatch"/> (<see cref="ETag.All"/> for any
    /// version); a stale ETag fails with 412 UpdateConditionNotSatisfied, a missing entity with 404.
    /// </summary>
    public Task<ETag> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        if (ifMatch == default)
        {
            throw new ArgumentException("An update needs the ETag to match; pass ETag.All to update any version.", nameof(ifMatch));
        }

        return WriteAsync(entity, mode, ifMatch, cancellationToken);
    }

    private async Task<ETag> WriteAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        TableValidation.ValidateEntityKeys(entity);
        using var message = CreateMessage(mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put,
            Name + KeyPredicate(entity.PartitionKey, entity.RowKey), TableConstants.AcceptNoMetadata);
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString());
        }

        SetJsonContent(message, entity);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return ETagOf(response);
    }

    /// <summary>Reads one entity, optionally only the <paramref name="select"/>ed properties; a missing entity fails with 404.</summary>
    public async Task<TableEntity> GetEntityAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        await GetEntityCoreAsync(partitionKey, rowKey, select, throwIfMissing: true, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidOperationException("Unreachable: a missing entity throws.");

    /// <summary>Reads one entity, or null when it does not exist, including when its keys could never be stored (a missing table still throws TableNotFound).</summary>
    public Task<TableEntity?> GetEntityOrDefaultAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default) =>
        GetEntityCoreAsync(partitionKey, rowKey, select, throwIfMissing: false, cancellationToken);

    private async Task<TableEntity?> GetEntityCoreAsync(string partitionKey, string rowKey, IEnumerable<string>? select, bool throwIfMissing, CancellationToken cancellationToken)
    {
        if (!throwIfMissing
            && (TableValidation.GetKeyProblem(partitionKey) is not null || TableValidation.GetKeyProblem(rowKey) is not null))
        {
            // No entity can have a key the service would refuse (too long, forbidden characters): it does not exist.
            return null;
        }

        TableValidation.ValidateKey(partitionKey, TableConstants.PartitionKey);
        TableValidation.ValidateKey(rowKey, TableConstants.RowKey);
        using var message = CreateMessage(RequestMethod.Get, Name + KeyPredicate(partitionKey, rowKey), TableConstants.AcceptMinimalMetadata);
        AppendSelect(message, select);
        Response response;
        try
        {
            response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex) when (!throwIfMissing && IsEntityMissing(ex))
        {
            return null;
        }

        var entity = TableEntityJson.ParseEntity(response.Content.ToMemory().Span);
        if (entity.ETag == default && response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }

        return entity;
    }

    /// <summary>Deletes the entity if its ETag matches (any version by default); a missing entity fails with 404.</summary>
    public Task DeleteEntityAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default) =>
        DeleteEntityCoreAsync(partitionKey, rowKey, ifMatch, cancellationToken);

    /// <summary>Deletes the entity if it exists and its ETag matches; false when it did not exist.</summary>
    public async Task<bool> DeleteEntityIfExistsAsync(string partitionKey, string rowKey, ETag ifMatch = default, CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteEntityCoreAsync(partitionKey, rowKey, ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException ex) when (IsEntityMissing(ex))
        {
            return false;
        }
    }

    private async Task DeleteEntityCoreAsync(string partitionKey, string rowKey, ETag ifMatch, CancellationToken cancellationToken)
    {
        TableValidation.ValidateKey(partitionKey, TableConstants.PartitionKey);
        TableValidation.ValidateKey(rowKey, TableConstants.RowKey);
        using var message = CreateMessage(RequestMethod.Delete, Name + KeyPredicate(partitionKey, rowKey), TableConstants.AcceptNoMetadata);
        message.Request.Headers.SetValue("If-Match", ifMatch == default ? "*" : ifMatch.ToString());
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
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

        using var message = CreateMessage(RequestMethod.Get, Name + "()", TableConstants.AcceptMinimalMetadata);
        var uri = message.Request.Uri;
        if (!string.IsNullOrEmpty(filter))
        {
            uri.AppendQuery("$filter", filter, escapeValue: true);
        }

        AppendSelect(message, select);
        if (top is { } t)
        {
            uri.AppendQuery("$top", t.ToString(CultureInfo.InvariantCulture), escapeValue: false);
        }

        if (continuationToken is not null)
        {
            var (nextPartition, nextRow) = ParseContinuation(continuationToken);
            uri.AppendQuery("NextPartitionKey", nextPartition, escapeValue: true);
            if (nextRow.Length > 0)
            {
                uri.AppendQuery("NextRowKey", nextRow, escapeValue: true);
            }
        }

        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var entities = TableEntityJson.ParseEntities(response.Content.ToMemory().Span);
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var npk);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nrk);
        return new TableQueryPage<TableEntity>(entities, string.IsNullOrEmpty(npk) ? null : npk + " " + nrk);
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
    /// Runs the operations as one entity-group transaction: all succeed or none is applied. Validated first
    /// (1-100 operations, one PartitionKey, distinct RowKeys, at most 4 MiB) with <see cref="ArgumentException"/>;
    /// a failing operation throws <see cref="StorageException"/> with its status, code and <see cref="StorageException.FailedOperationIndex"/>.
    /// </summary>
    public async Task<TableTransactionResult> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        TableBatch.Validate(actions);
        var (body, boundary) = TableBatch.Build(_tableUrl, actions);
        if (body.Length > TableConstants.MaxTransactionPayloadBytes)
        {
            throw new ArgumentException(
                $"The transaction's payload is {body.Length:N0} bytes; the service accepts at most {TableConstants.MaxTransactionPayloadBytes:N0}.", nameof(actions));
        }

        using var message = CreateMessage(RequestMethod.Post, "$batch", TableConstants.AcceptMinimalMetadata);
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=" + boundary);
        message.Request.Content = RequestContent.Create(body);
        var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-request-id", out var requestId);
        response.Headers.TryGetValue("Content-Type", out var contentType);
        var etags = TableBatch.ReadResult(contentType ?? string.Empty, response.Content.ToString(), actions.Count, requestId);
        return new TableTransactionResult(etags);
    }

    /// <summary>
    /// The entity address <c>(PartitionKey='..',RowKey='..')</c>: single quotes doubled (OData string literal), then
    /// percent-encoded so spaces, '%', quotes and non-ASCII survive the URL.
    /// </summary>
    internal static string KeyPredicate(string partitionKey, string rowKey) =>
        "(PartitionKey='" + EscapeKey(partitionKey) + "',RowKey='" + EscapeKey(rowKey) + "')";

    internal static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private static bool IsEntityMissing(StorageException ex) => ex.Status == 404 && ex.ErrorCode != "TableNotFound";

    private HttpMessage CreateMessage(RequestMethod method, string path, string accept)
    {
        var message = _pipeline.CreateMessage(method, _pipeline.Endpoint);
        message.Request.Uri.AppendPath(path, escape: false);
        var headers = message.Request.Headers;
        headers.SetValue("Accept", accept);
        headers.SetValue("DataServiceVersion", TableConstants.DataServiceVersion);
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private static void SetJsonContent(HttpMessage message, TableEntity entity)
    {
        message.Request.Headers.SetValue("Content-Type", TableConstants.ContentTypeJson);
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
    }

    private static void AppendSelect(HttpMessage message, IEnumerable<string>? select)
    {
        if (select is null)
        {
            return;
        }

        var names = string.Join(',', select);
        if (names.Length > 0)
        {
            message.Request.Uri.AppendQuery("$select", names, escapeValue: true);
        }
    }

    private static ETag ETagOf(Response response) => response.Headers.ETag ?? default;

    private static (string Partition, string Row) ParseContinuation(string token)
    {
        var space = token.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            throw new ArgumentException("The continuation token is not one this client returned.", nameof(token));
        }

        return (token[..space], token[(space + 1)..]);
    }
}
