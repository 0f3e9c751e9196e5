using Purview.Core.DataMap;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Storage.ScanRuns;

namespace Purview.Storage.DataMap;

/// <summary>
/// What ingestion writes, in one data map: the assets table (by data source, for the scan engine) and, for the Atlas
/// reads, the same assets as entities with the GUIDs the links use (<see cref="DataMapIds.EntityGuid"/>), then the
/// page's relationships. Every write is an idempotent upsert keyed by name-based ids, so a repeated page writes the same
/// rows; the run's counts only move with its checkpoint.
/// </summary>
public sealed class DataMapAssetSink(TableAssetCatalog table, TableDataMap dataMap, TimeProvider time) : IAssetSink
{
    public async Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var now = time.GetUtcNow();
        var entities = assets
            .Select(a => DataMapEntity.Create(a.Type, a.QualifiedName, a.Name, collectionName, false, now) with
            {
                Scanned = new ScannedAttributes(dataSourceName, a.Size, a.Path, a.LastModified, a.Columns, a.Classifications, runId.ToString(), now),
            })
            .ToList();
        // Both tables at once: the page's time is the slower write, not the sum (each is spread over its own partitions).
        var catalog = table.UpsertAsync(dataSourceName, collectionName, runId, assets, cancellationToken);
        var entityWrites = dataMap.WriteScannedEntitiesAsync(entities, cancellationToken);
        await Task.WhenAll(catalog, entityWrites);
        var result = await catalog;
        var written = await entityWrites;
        // An asset either table refused, or whose entity another collection owns, counts once, as failed, with its line
        // in the exception log (a row the catalog alone refused - one that passed its size checks and still failed - may
        // stand in the data map until a later run writes both again).
        var failed = result.Exceptions.Select(e => e.OperationItem).ToHashSet(StringComparer.Ordinal);
        var refused = written.Refused.Where(r => failed.Add(r.QualifiedName)).ToList();
        var skipped = written.Skipped.Where(s => failed.Add(s.QualifiedName)).ToList();
        var left = refused.Count + skipped.Count;
        if (left == 0)
        {
            return result;
        }

        return new IngestResult(
            result.Succeeded - left,
            result.Failed + left,
            [
                .. result.Exceptions,
                .. refused.Select(r => new ScanRunException(now, "EntityRejected", r.QualifiedName, r.Reason)),
                .. skipped.Select(s => new ScanRunException(now, OwnedElsewhere, s.QualifiedName, OwnedElsewhereMessage)),
            ]);
    }

    /// <summary>The exception-log code of an asset (or relationship) left alone because another collection owns it.</summary>
    public const string OwnedElsewhere = "EntityOwnedByAnotherCollection";

    // The owner is not named: the run's readers may have no role there.
    private const string OwnedElsewhereMessage =
        "Not written: this entity belongs to another collection, which put it in the data map first. An admin of that collection can move it (POST /datamap/api/entity/moveTo).";

    public async Task<IngestResult> UpsertRelationshipsAsync(string dataSourceName, string collectionName, ScanRunId runId, StagedPage page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (page.Relationships.Count == 0)
        {
            return new IngestResult(0, 0, []);
        }

        var now = time.GetUtcNow();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var asset in page.Assets)
        {
            types[asset.QualifiedName] = asset.Type;
        }

        var resolved = new List<DataMapRelationship>(page.Relationships.Count);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var exceptions = new List<ScanRunException>();
        foreach (var r in page.Relationships)
        {
            var fromType = r.FromTypeName ?? types.GetValueOrDefault(r.FromQualifiedName);
            var toType = r.ToTypeName ?? types.GetValueOrDefault(r.ToQualifiedName);
            if (fromType is null || toType is null)
            {
                exceptions.Add(new ScanRunException(now, "RelationshipEndUnknown", $"{r.FromQualifiedName} -> {r.ToQualifiedName}",
                    $"The {r.TypeName} relationship names an end whose entity type is unknown ({(fromType is null ? r.FromQualifiedName : r.ToQualifiedName)})."));
                continue;
            }

            var relationship = DataMapRelationship.Create(KindOf(r.TypeName), r.TypeName, DataMapIds.EntityGuid(fromType, r.FromQualifiedName), DataMapIds.EntityGuid(toType, r.ToQualifiedName));
            resolved.Add(relationship);
            names[relationship.Id] = $"{r.FromQualifiedName} -> {r.ToQualifiedName}";
        }

        // A relationship touching an entity another collection owns would change that collection's lineage: left out.
        var owners = resolved.Count == 0 ? new Dictionary<string, string?>() : await dataMap.GetOwnersAsync(resolved.SelectMany(r => new[] { r.FromGuid, r.ToGuid }).ToHashSet(StringComparer.Ordinal), cancellationToken);
        bool Foreign(string guid) => owners.TryGetValue(guid, out var owner) && !string.Equals(owner, collectionName, StringComparison.OrdinalIgnoreCase);
        var kept = new List<DataMapRelationship>(resolved.Count);
        foreach (var r in resolved)
        {
            if (Foreign(r.FromGuid) || Foreign(r.ToGuid))
            {
                exceptions.Add(new ScanRunException(now, OwnedElsewhere, names[r.Id], $"Not written: the {r.TypeName} relationship joins an entity that belongs to another collection."));
            }
            else
            {
                kept.Add(r);
            }
        }

        // Every kept relationship counts as ingested, new or already there: a retried page counts the same.
        await dataMap.UpsertRelationshipsAsync(kept, cancellationToken);
        return new IngestResult(kept.Count, exceptions.Count, exceptions);
    }

    /// <summary>Foreign keys are references between tables; any other relationship a scanner reports is lineage.</summary>
    public static RelationKind KindOf(string relationshipType) =>
        string.Equals(relationshipType, SqlRelationshipTypes.ForeignKey, StringComparison.Ordinal) ? RelationKind.Reference : RelationKind.Lineage;
}
