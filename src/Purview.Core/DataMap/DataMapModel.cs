// Atlas calls an entity's id "guid" on the wire and in its API; the data map keeps that name.
#pragma warning disable CA1720
using System.Security.Cryptography;
using System.Text;

namespace Purview.Core.DataMap;

/// <summary>
/// An Atlas entity as the data map keeps it: unique by <see cref="TypeName"/> + <see cref="QualifiedName"/>, with a GUID
/// derived from both. Entities written by scan ingestion also carry what the scan found (<see cref="Scanned"/>).
/// </summary>
public sealed record DataMapEntity(string Guid, string TypeName, string QualifiedName, string Name, string? Collection, bool IsProcess, DateTimeOffset CreatedAt)
{
    /// <summary>What the last scan that ingested this entity found; null for entities only pushed by links.</summary>
    public ScannedAttributes? Scanned { get; init; }

    /// <summary>
    /// For an entity that pushed lineage rolls up: a process's runs, or a resource set's raw partition paths (read
    /// with the entity by <see cref="DataMapReader"/>); null otherwise.
    /// </summary>
    public RollupSummary? Rollup { get; init; }

    public static DataMapEntity Create(string typeName, string qualifiedName, string name, string? collection, bool isProcess, DateTimeOffset at) =>
        new(DataMapIds.EntityGuid(typeName, qualifiedName), typeName, qualifiedName, name, collection, isProcess, at);
}

/// <summary>The attributes a scan stores on an asset: where it was found, its schema and classifications.</summary>
public sealed record ScannedAttributes(
    string DataSource,
    long Size,
    string Path,
    DateTimeOffset? LastModified,
    IReadOnlyList<Scanners.AssetColumn> Columns,
    IReadOnlyList<string> Classifications,
    string LastRunId,
    DateTimeOffset UpdatedAt);

/// <summary>
/// How two entities relate: <see cref="Lineage"/> (data flows from → to), <see cref="Parent"/> (from is the parent of to)
/// or <see cref="Reference"/> (from refers to to, e.g. a SQL foreign key from the referencing table to the referenced one).
/// </summary>
public enum RelationKind
{
    Lineage,
    Parent,
    Reference,
}

/// <summary>A relationship between two entities; its id is derived from its kind and ends, so re-sending it creates nothing.</summary>
public sealed record DataMapRelationship(string Id, RelationKind Kind, string TypeName, string FromGuid, string ToGuid)
{
    public static DataMapRelationship Create(RelationKind kind, string typeName, string fromGuid, string toGuid) =>
        new(DataMapIds.RelationshipId(kind, fromGuid, toGuid), kind, typeName, fromGuid, toGuid);
}

/// <summary>
/// One writer's share of a batched data-map write (<see cref="IDataMap.WriteAsync"/>): what it puts into the map, and
/// the key of what it stands for (a link event), which each row it creates carries so that a retry is credited again.
/// </summary>
public sealed record DataMapWrite(string CreatorKey, IReadOnlyList<DataMapEntity> Entities, IReadOnlyList<DataMapRelationship> Relationships);

/// <summary>What a scanned write left out: entities the store refused, and entities another collection owns.</summary>
public sealed record ScannedWriteResult(IReadOnlyList<EntityRefused> Refused, IReadOnlyList<EntitySkipped> Skipped);

/// <summary>An entity the store refused to hold (too large, invalid).</summary>
public sealed record EntityRefused(string QualifiedName, string Reason);

/// <summary>An entity a write left alone because another collection (<see cref="Owner"/>, null for the root) owns it.</summary>
public sealed record EntitySkipped(string Guid, string TypeName, string QualifiedName, string? Owner);

/// <summary>How many entities and relationships a <see cref="DataMapWrite"/> is credited with creating.</summary>
public sealed record DataMapWriteCounts(int Entities, int Relationships);

public enum LineageDirection
{
    Input,
    Output,
    Both,
}

/// <summary>The lineage graph around one entity (Atlas <c>AtlasLineageInfo</c> without its wire shape).</summary>
public sealed record LineageGraph(
    string BaseEntityGuid,
    IReadOnlyDictionary<string, DataMapEntity> Entities,
    IReadOnlyList<DataMapRelationship> Relations,
    IReadOnlyList<DataMapRelationship> ParentRelations,
    LineageDirection Direction,
    int Depth);

/// <summary>Deterministic ids: name-based (version 5, SHA-1) UUIDs, so the scan engine and the links compute the same GUID for the same asset.</summary>
public static class DataMapIds
{
    // A fixed namespace for Purview Monitor's data map names.
    private static readonly Guid Namespace = new("6f1c3b8e-2a4d-5e7f-9a0b-1c2d3e4f5a6b");

    public static string EntityGuid(string typeName, string qualifiedName) => NameBased($"{typeName}|{qualifiedName}");

    public static string RelationshipId(RelationKind kind, string fromGuid, string toGuid) => NameBased($"{kind}|{fromGuid}|{toGuid}");

    public static string NameBased(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        ns.CopyTo(input);
        nameBytes.CopyTo(input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 prescribes for version-5 UUIDs; it is not used for security.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}

/// <summary>
/// The lineage data map: entities and relationships, written idempotently. Upserts report how many were new, which is
/// what link monitoring counts as "ingested".
/// </summary>
public interface IDataMap
{
    /// <summary>Writes the entities that do not exist yet; returns how many were created by this call.</summary>
    Task<int> UpsertEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken);

    /// <summary>Writes the relationships that do not exist yet; returns how many were created by this call.</summary>
    Task<int> UpsertRelationshipsAsync(IReadOnlyList<DataMapRelationship> relationships, CancellationToken cancellationToken);

    /// <summary>
    /// Writes many writers' entities and relationships together (batched by partition) and credits each one that did not
    /// exist to exactly one writer: the first in the list that names it. A row that exists already is credited to the
    /// writer whose <see cref="DataMapWrite.CreatorKey"/> it carries (so a write retried after a crash is credited again)
    /// and to nobody else. Returns one count per write, in order. Creator keys must be distinct within one call.
    /// </summary>
    Task<IReadOnlyList<DataMapWriteCounts>> WriteAsync(IReadOnlyList<DataMapWrite> writes, CancellationToken cancellationToken);

    Task<DataMapEntity?> GetEntityByGuidAsync(string guid, CancellationToken cancellationToken);

    Task<DataMapEntity?> GetByUniqueAttributeAsync(string typeName, string qualifiedName, CancellationToken cancellationToken);

    /// <summary>Every relationship with <paramref name="guid"/> at either end (lineage, reference and parent): the rows of one node, for <see cref="LineageWalk"/>.</summary>
    Task<IReadOnlyList<DataMapRelationship>> GetRelationshipsOfAsync(string guid, CancellationToken cancellationToken);

    /// <summary>
    /// Writes scanned assets as entities of their <see cref="DataMapEntity.Collection"/> (replacing what an earlier scan of
    /// that collection wrote for the same GUID), in batches. Idempotent. An entity another collection owns is not written
    /// (<see cref="ScannedWriteResult.Skipped"/>); the store may refuse some (too large, invalid), which are not readable afterwards.
    /// </summary>
    Task<ScannedWriteResult> WriteScannedEntitiesAsync(IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="collection"/> the owner of every entity that has none yet (a conditional insert: of two
    /// collections claiming one entity at once exactly one owns it) and returns the owner of each entity's GUID afterwards.
    /// </summary>
    Task<IReadOnlyDictionary<string, string?>> ClaimAsync(string collection, IReadOnlyList<DataMapEntity> entities, CancellationToken cancellationToken);

    /// <summary>The owning collection of each GUID that is in the data map (null: the root, for entities written without one).</summary>
    Task<IReadOnlyDictionary<string, string?>> GetOwnersAsync(IReadOnlyCollection<string> guids, CancellationToken cancellationToken);

    /// <summary>Moves the entity to <paramref name="to"/> if <paramref name="from"/> still owns it; false when it does not exist or is owned by another collection now.</summary>
    Task<bool> MoveAsync(string guid, string? from, string to, CancellationToken cancellationToken);

    /// <summary>Whether any entity belongs to <paramref name="collection"/>.</summary>
    Task<bool> AnyOwnedByAsync(string collection, CancellationToken cancellationToken);

    /// <summary>One page of entities matching <paramref name="query"/> among those <paramref name="visible"/> accepts, in a stable order.</summary>
    Task<DataMapSearchPage> SearchAsync(DataMapQuery query, Func<DataMapEntity, bool> visible, CancellationToken cancellationToken);
}

/// <summary>
/// A data-map search: every term of <see cref="Keywords"/> (case-insensitive) in the name or qualified name, and the
/// optional exact type, collection and qualified-name prefix. <see cref="ContinuationToken"/> is what the previous page returned.
/// </summary>
public sealed record DataMapQuery(
    IReadOnlyList<string> Keywords,
    string? TypeName,
    string? Collection,
    string? QualifiedNamePrefix,
    int Limit,
    string? ContinuationToken,
    SearchCondition? Filter = null,
    IReadOnlyList<SearchOrder>? OrderBy = null,
    IReadOnlyList<SearchFacetRequest>? Facets = null)
{
    /// <summary>The exact type every match has, if any: storage reads only those rows.</summary>
    public string? ExactType => TypeName ?? Filter?.RequiredType;

    /// <summary>Ordering and facets need every match (no index keeps them): the reader reads them all, within a bound.</summary>
    public bool NeedsAllMatches => OrderBy is { Count: > 0 } || Facets is { Count: > 0 };

    public bool Matches(DataMapEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return (Filter?.Matches(entity) ?? true)
               && (TypeName is null || string.Equals(entity.TypeName, TypeName, StringComparison.Ordinal))
               && (Collection is null || string.Equals(entity.Collection, Collection, StringComparison.OrdinalIgnoreCase))
               && (QualifiedNamePrefix is null || entity.QualifiedName.StartsWith(QualifiedNamePrefix, StringComparison.Ordinal))
               && Keywords.All(k => entity.Name.Contains(k, StringComparison.OrdinalIgnoreCase) || entity.QualifiedName.Contains(k, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>
/// A page of search results and the token of the next page (null: no more); <see cref="Count"/> and
/// <see cref="Facets"/> when the whole result set was read (an ordered or faceted search).
/// </summary>
public sealed record DataMapSearchPage(
    IReadOnlyList<DataMapEntity> Entities,
    string? ContinuationToken,
    int? Count = null,
    IReadOnlyDictionary<string, IReadOnlyList<SearchFacetValue>>? Facets = null);
