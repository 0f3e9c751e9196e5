using Azure;

namespace Purview.Storage.Client.Tables;

public enum TableTransactionActionType
{
    /// <summary>Insert; fails with EntityAlreadyExists when the entity exists.</summary>
    Add,

    /// <summary>Insert or merge.</summary>
    UpsertMerge,

    /// <summary>Insert or replace.</summary>
    UpsertReplace,

    /// <summary>Merge into an existing entity, conditional on <see cref="TableTransactionAction.ETag"/>.</summary>
    UpdateMerge,

    /// <summary>Replace an existing entity, conditional on <see cref="TableTransactionAction.ETag"/>.</summary>
    UpdateReplace,

    /// <summary>Delete an existing entity, conditional on <see cref="TableTransactionAction.ETag"/>.</summary>
    Delete,
}

/// <summary>
/// One operation of an entity-group transaction. For updates and deletes a default <paramref name="ETag"/> means
/// "any version" (<see cref="ETag.All"/>); the entity must still exist.
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);

/// <summary>The outcome of a committed transaction: one ETag per operation, in order (default for deletes).</summary>
public sealed record TableTransactionResult(IReadOnlyList<ETag> ETags);

/// <summary>One page of a query: the entities and the token for the next page, null on the last page.</summary>
public sealed record TableQueryPage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
