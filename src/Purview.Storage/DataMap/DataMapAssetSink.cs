using Purview.Core.DataMap;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Storage.DataMap;

/// <summary>
/// What ingestion writes, in one data map: each asset once, as an entity with the GUID the links use
/// (<see cref="DataMapIds.EntityGuid"/>), then the page's relationships. Which assets a data source holds is kept apart,
/// by the run's end (<see cref="IAssetCatalog"/>). Every write is an idempotent upsert keyed by name-based ids, so a
/// repeated page writes the same rows; the run's counts only move with its checkpoint.
/// </summary>
public sealed class DataMapAssetSink(TableDataMap dataMap, TimeProvider time) : IAssetSink
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IngestResult> UpsertAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<DiscoveredAsset> assets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var now = time.GetUtcNow();
        var refused = new List<ScanRunException>();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var entities = new List<DataMapEntity>(assets.Count);
        foreach (var a in assets)
        {
            if (Problem(dataSourceName, a) is { } problem)
            {
                if (failed.Add(a.QualifiedName))
                {
                    refused.Add(new ScanRunException(now, problem.Code, a.QualifiedName, problem.Message));
                }

                continue;
            }

            entities.Add(DataMapEntity.Create(a.Type, a.QualifiedName, a.Name, collectionName, false, now) with
            {
                Scanned = new ScannedAttributes(dataSourceName, a.Size, a.Path, a.LastModified, a.Columns, a.Classifications, runId.ToString(), now),
            });
        }

        var written = await dataMap.WriteScannedEntitiesAsync(entities, cancellationToken);
        // An asset refused, or whose entity another collection owns, counts once, as failed, with its line in the
        // exception log. A name listed twice in one page is one asset written once; it still counts as ingested.
        var rejected = written.Refused.Where(r => failed.Add(r.QualifiedName)).ToList();
        var skipped = written.Skipped.Where(s => failed.Add(s.QualifiedName)).ToList();
        return new IngestResult(
            assets.Count - failed.Count,
            failed.Count,
            [
                .. refused,
                .. rejected.Select(r => new ScanRunException(now, "EntityRejected", r.QualifiedName, r.Reason)),
                .. skipped.Select(s => new ScanRunException(now, OwnedElsewhere, s.QualifiedName, OwnedElsewhereMessage)),
            ]);
    }

    /// <summary>Why the data map cannot hold this asset (a property or the whole entity too large, text that is not Unicode), or null.</summary>
    private static (string Code, string Message)? Problem(string dataSourceName, DiscoveredAsset a)
    {
        var row = new TableEntity
        {
            ["QualifiedName"] = a.QualifiedName,
            ["Name"] = a.Name,
            ["Type"] = a.Type,
            ["Path"] = a.Path,
            ["DataSource"] = dataSourceName,
        };
        if (a.Classifications.Count > 0)
        {
            row["Classifications"] = JsonSerializer.Serialize(a.Classifications, Json);
        }

        // The schema is split over several properties (TableDataMap): only its share of the entity counts here.
        return AssetLimits.Problem(row, a.Columns.Count == 0 ? 0 : JsonSerializer.Serialize(a.Columns, Json).Length * 2L);
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
