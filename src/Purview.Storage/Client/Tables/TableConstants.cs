namespace Purview.Storage.Client.Tables;

internal static class TableConstants
{
    public const string PartitionKey = "PartitionKey";
    public const string RowKey = "RowKey";
    public const string Timestamp = "Timestamp";
    public const string OdataEtag = "odata.etag";

    /// <summary>The service's documented limits for one entity-group transaction.</summary>
    public const int MaxTransactionOperations = 100;
    public const int MaxTransactionPayloadBytes = 4 * 1024 * 1024;
    public const int MaxKeyBytes = 1024;
}
