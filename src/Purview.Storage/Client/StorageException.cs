namespace Purview.Storage.Client;

/// <summary>
/// The one exception every storage call throws on failure: the HTTP status, the storage error code
/// (e.g. <c>TableNotFound</c>, <c>UpdateConditionNotSatisfied</c>), the service request id and, for an
/// entity-group transaction, the index of the operation that failed.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(string message)
        : base(message)
    {
    }

    public StorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StorageException()
    {
    }

    public StorageException(int status, string? errorCode, string? requestId, string message, int? failedOperationIndex = null, Exception? inner = null)
        : base(Describe(status, errorCode, requestId, message, failedOperationIndex), inner)
    {
        Status = status;
        ErrorCode = errorCode;
        RequestId = requestId;
        ServiceMessage = message;
        FailedOperationIndex = failedOperationIndex;
    }

    /// <summary>HTTP status, or 0 when no response was received.</summary>
    public int Status { get; }
    public string? ErrorCode { get; }
    public string? RequestId { get; }
    public string? ServiceMessage { get; }
    /// <summary>For a transaction: the zero-based index of the failed operation, when the service says.</summary>
    public int? FailedOperationIndex { get; }

    public bool IsNotFound => Status == 404;
    public bool IsConflict => Status == 409;
    public bool IsPreconditionFailed => Status == 412;

    private static string Describe(int status, string? code, string? requestId, string message, int? index) =>
        $"Storage request failed: {status} {code ?? "(no error code)"}" +
        (index is { } i ? $" at operation {i} of the transaction" : string.Empty) +
        $": {message}" + (requestId is null ? string.Empty : $" (request id {requestId})");
}
