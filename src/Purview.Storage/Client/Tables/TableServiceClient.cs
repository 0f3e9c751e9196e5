using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace Purview.Storage.Client.Tables;

/// <summary>The Table service of one account: tables themselves, and <see cref="TableClient"/>s sharing one pipeline.</summary>
public sealed class TableServiceClient
{
    private readonly StoragePipeline _pipeline;

    public TableServiceClient(StorageAccount account, StorageClientOptions? options = null, ILogger? logger = null)
    {
        _pipeline = StoragePipeline.Create(account, StorageService.Table, options, logger);
    }

    public StorageAccount Account => _pipeline.Account;

    public TableClient GetTableClient(string tableName) => new(_pipeline, tableName);

    public Task CreateTableAsync(string tableName, CancellationToken cancellationToken = default) => CreateTableAsync(_pipeline, tableName, cancellationToken);

    /// <summary>Creates the table unless it exists; true when this call created it.</summary>
    public Task<bool> CreateTableIfNotExistsAsync(string tableName, CancellationToken cancellationToken = default) =>
        CreateTableIfNotExistsAsync(_pipeline, tableName, cancellationToken);

    /// <summary>Deletes the table; a missing table fails with 404 TableNotFound.</summary>
    public Task DeleteTableAsync(string tableName, CancellationToken cancellationToken = default) => DeleteTableAsync(_pipeline, tableName, cancellationToken);

    public Task<bool> DeleteTableIfExistsAsync(string tableName, CancellationToken cancellationToken = default) =>
        DeleteTableIfExistsAsync(_pipeline, tableName, cancellationToken);

    public Task<bool> TableExistsAsync(string tableName, CancellationToken cancellationToken = default) => TableExistsAsync(_pipeline, tableName, cancellationToken);

    /// <summary>Names of the tables matching the optional OData <paramref name="filter"/> (e.g. on TableName), following continuations.</summary>
    public async IAsyncEnumerable<string> QueryTablesAsync(string? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? next = null;
        do
        {
            using var message = CreateMessage(_pipeline, RequestMethod.Get, "Tables");
            if (!string.IsNullOrEmpty(filter))
            {
                message.Request.Uri.AppendQuery("$filter", filter, escapeValue: true);
            }

            if (next is not null)
            {
                message.Request.Uri.AppendQuery("NextTableName", next, escapeValue: true);
            }

            var response = await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var names = new List<string>();
            using (var doc = JsonDocument.Parse(response.Content.ToMemory()))
            {
                if (doc.RootElement.TryGetProperty("value", out var value))
                {
                    foreach (var table in value.EnumerateArray())
                    {
                        names.Add(table.GetProperty("TableName").GetString()!);
                    }
                }
            }

            foreach (var name in names)
            {
                yield return name;
            }

            response.Headers.TryGetValue("x-ms-continuation-NextTableName", out next);
            next = string.IsNullOrEmpty(next) ? null : next;
        }
        while (next is not null);
    }

    internal static async Task CreateTableAsync(StoragePipeline pipeline, string tableName, CancellationToken cancellationToken)
    {
        TableValidation.ValidateTableName(tableName);
        using var message = CreateMessage(pipeline, RequestMethod.Post, "Tables");
        message.Request.Headers.SetValue("Content-Type", TableConstants.ContentTypeJson);
        message.Request.Headers.SetValue("Prefer", TableConstants.ReturnNoContent);
        // Table names are ASCII letters and digits (validated), so no JSON escaping is needed.
        message.Request.Content = RequestContent.Create(BinaryData.FromString(string.Create(CultureInfo.InvariantCulture, $"{{\"TableName\":\"{tableName}\"}}")));
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<bool> CreateTableIfNotExistsAsync(StoragePipeline pipeline, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            await CreateTableAsync(pipeline, tableName, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    internal static async Task DeleteTableAsync(StoragePipeline pipeline, string tableName, CancellationToken cancellationToken)
    {
        TableValidation.ValidateTableName(tableName);
        using var message = CreateMessage(pipeline, RequestMethod.Delete, "Tables('" + tableName + "')");
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<bool> DeleteTableIfExistsAsync(StoragePipeline pipeline, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteTableAsync(pipeline, tableName, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    internal static async Task<bool> TableExistsAsync(StoragePipeline pipeline, string tableName, CancellationToken cancellationToken)
    {
        TableValidation.ValidateTableName(tableName);
        using var message = CreateMessage(pipeline, RequestMethod.Get, "Tables('" + tableName + "')");
        try
        {
            await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    private static HttpMessage CreateMessage(StoragePipeline pipeline, RequestMethod method, string path)
    {
        var message = pipeline.CreateMessage(method, pipeline.Endpoint);
        message.Request.Uri.AppendPath(path, escape: false);
        message.Request.Headers.SetValue("Accept", TableConstants.AcceptNoMetadata);
        message.Request.Headers.SetValue("DataServiceVersion", TableConstants.DataServiceVersion);
        return message;
    }
}
