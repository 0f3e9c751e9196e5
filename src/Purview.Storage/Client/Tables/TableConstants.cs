namespace Purview.Storage.Client.Tables;

internal static class TableConstants
{
    public const string PartitionKey = "PartitionKey";
    public const string RowKey = "RowKey";
    public const string Timestamp = "Timestamp";
    public const string OdataType = "@odata.type";
    public const string OdataEtag = "odata.etag";
    public const string AcceptMinimalMetadata = "application/json;odata=minimalmetadata";
    public const string AcceptNoMetadata = "application/json;odata=nometadata";
    public const string ContentTypeJson = "application/json";
    public const string DataServiceVersion = "3.0";
    public const string ReturnNoContent = "return-no-content";

    /// <summary>The service's documented limits for one entity-group transaction.</summary>
    public const int MaxTransactionOperations = 100;
    public const int MaxTransactionPayloadBytes = 4 * 1024 * 1024;
    public const int MaxKeyBytes = 1024;
}

/// <summary>How an upsert or update treats properties that the stored entity has but the sent one lacks.</summary>
public enum TableUpdateMode
{
    /// <summary>Keep them: only the sent properties change.</summary>
    Merge,

    /// <summary>Drop them: the stored entity becomes exactly the sent one.</summary>
    Replace,
}
