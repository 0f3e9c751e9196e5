namespace Purview.Storage.Client;

public enum StorageService
{
    Blob,
    Queue,
    Table,
}
