using Purview.Core.DataMap;

namespace Purview.Core.Links;

/// <summary>
/// The entities and relationships one report puts into the data map, and the <see cref="Sightings"/> it adds to the
/// entities that stand for many (the run of each process, the raw path of each resource set).
/// </summary>
public sealed record LineagePlan(IReadOnlyList<DataMapEntity> Entities, IReadOnlyList<DataMapRelationship> Relationships)
{
    public IReadOnlyList<RollupSighting> Sightings { get; init; } = [];
}

/// <summary>
/// Turns pushed reports into Atlas entities and relationships. Data Factory: <c>azure_data_factory</c> →
/// <c>adf_pipeline</c> → <c>adf_*_activity</c> → <c>adf_*_operation</c> (one operation per sink), datasets by their own
/// Atlas type; Synapse: the same with <c>azure_synapse_*</c>; OpenLineage: <c>openlineage_namespace</c> →
/// (parent) <c>openlineage_job</c> → <c>openlineage_job</c>, datasets <c>openlineage_dataset</c>.
/// Lineage: input → operation (or job) → output; parent relations container → pipeline → activity → operation.
/// </summary>
public static class LinkLineage
{
    /// <summary>The Atlas dataset types whose lineage is kept; inputs and outputs of other types are dropped.</summary>
    public static readonly IReadOnlySet<string> SupportedDatasetTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "azure_blob_path", "azure_blob_resource_set", "azure_datalake_gen1_path", "azure_datalake_gen1_resource_set",
        "azure_datalake_gen2_path", "azure_datalake_gen2_resource_set", "azure_file", "azure_sql_table", "azure_sql_view",
        "azure_sql_dw_table", "azure_sql_mi_table", "mssql_table", "mssql_view", "azure_cosmosdb_sqlapi_collection",
        "azure_synapse_dedicated_sql_table", "azure_synapse_serverless_sql_table", "azure_mysql_table", "azure_postgresql_table",
        "azure_data_explorer_table", "oracle_table", "teradata_table", "sap_s4hana_table", "snowflake_table", "amazon_s3_object",
        "hive_table", "postgresql_table", "mysql_table",
    };

    public static readonly IReadOnlyList<string> ActivityTypes = ["Copy", "DataFlow", "ExecuteSSISPackage"];

    public static string ContainerQualifiedName(LinkSourceType type, string name) => type switch
    {
        LinkSourceType.AzureDataFactory => $"/providers/Microsoft.DataFactory/factories/{name.ToLowerInvariant()}",
        LinkSourceType.AzureSynapse => $"/providers/Microsoft.Synapse/workspaces/{name.ToLowerInvariant()}",
        _ => name,
    };

    /// <summary>The plan for a native activity run (inputs and outputs already filtered to supported types).</summary>
    public static LineagePlan ForActivityRun(Link link, ActivityRunReport run, IReadOnlyList<DatasetRef> inputs, IReadOnlyList<DatasetRef> outputs, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(run);
        // Partitioned paths become their resource sets first, so every run names the same datasets and operations.
        var runTime = run.End ?? run.Start;
        var sightings = new List<RollupSighting>();
        inputs = RollUp(inputs, link.Collection, runTime, at, sightings);
        outputs = RollUp(outputs, link.Collection, runTime, at, sightings);
        var synapse = link.SourceType == LinkSourceType.AzureSynapse;
        var p = synapse ? "azure_synapse_" : "adf_";
        var kind = run.ActivityType switch
        {
            "Copy" => "copy",
            "DataFlow" => "dataflow",
            _ => "executeSsisPackage",
        };
        var container = DataMapEntity.Create(synapse ? "azure_synapse_workspace" : "azure_data_factory", ContainerQualifiedName(link.SourceType, link.Name), link.Name, link.Collection, false, at);
        var pipeline = DataMapEntity.Create(p + "pipeline", $"{container.QualifiedName}/pipelines/{run.PipelineName}", run.PipelineName, link.Collection, false, at);
        var activity = DataMapEntity.Create($"{p}{kind}_activity", $"{pipeline.QualifiedName}/activities/{run.ActivityName}", run.ActivityName, link.Collection, true, at);
        var entities = new List<DataMapEntity> { container, pipeline, activity };
        var relations = new List<DataMapRelationship>
        {
            DataMapRelationship.Create(RelationKind.Parent, $"{p}pipeline_parent", container.Guid, pipeline.Guid),
            DataMapRelationship.Create(RelationKind.Parent, $"{p}activity_parent", pipeline.Guid, activity.Guid),
        };
        var sources = inputs.Select(d => Dataset(d, link.Collection, at)).ToList();
        entities.AddRange(sources);
        foreach (var output in outputs)
        {
            var sink = Dataset(output, link.Collection, at);
            var operation = DataMapEntity.Create($"{p}{kind}_operation", $"{activity.QualifiedName}#{output.QualifiedName}#{output.Type}", run.ActivityName, link.Collection, true, at);
            entities.Add(sink);
            entities.Add(operation);
            relations.Add(DataMapRelationship.Create(RelationKind.Parent, $"{p}operation_parent", activity.Guid, operation.Guid));
            relations.AddRange(sources.Select(s => DataMapRelationship.Create(RelationKind.Lineage, "dataset_process_inputs", s.Guid, operation.Guid)));
            relations.Add(DataMapRelationship.Create(RelationKind.Lineage, "process_dataset_outputs", operation.Guid, sink.Guid));
        }

        sightings.AddRange(entities.Where(e => e.IsProcess).Select(e => new RollupSighting(e.Guid, run.ActivityRunId, runTime)));
        return new LineagePlan(entities.DistinctBy(e => e.Guid).ToList(), relations.DistinctBy(r => r.Id).ToList()) { Sightings = sightings.Distinct().ToList() };
    }

    /// <summary>The plan for an OpenLineage COMPLETE run or job event: the job as the process between its inputs and outputs.</summary>
    public static LineagePlan ForOpenLineageJob(Link link, OpenLineageEvent e, DateTimeOffset at)
    {
        var ns = DataMapEntity.Create("openlineage_namespace", e.JobNamespace!, e.JobNamespace!, link.Collection, false, at);
        var job = DataMapEntity.Create("openlineage_job", $"{e.JobNamespace}/{e.JobName}", e.JobName!, link.Collection, true, at);
        var entities = new List<DataMapEntity> { ns, job };
        var relations = new List<DataMapRelationship>();
        var sightings = new List<RollupSighting>();
        if (e.RunId is { } runId)
        {
            sightings.Add(new RollupSighting(job.Guid, runId, e.EventTime));
        }

        if (e.ParentName is not null)
        {
            var parent = DataMapEntity.Create("openlineage_job", $"{e.ParentNamespace}/{e.ParentName}", e.ParentName, link.Collection, false, at);
            entities.Add(parent);
            relations.Add(DataMapRelationship.Create(RelationKind.Parent, "openlineage_job_parent", ns.Guid, parent.Guid));
            relations.Add(DataMapRelationship.Create(RelationKind.Parent, "openlineage_job_parent", parent.Guid, job.Guid));
        }
        else
        {
            relations.Add(DataMapRelationship.Create(RelationKind.Parent, "openlineage_job_parent", ns.Guid, job.Guid));
        }

        foreach (var input in e.Inputs)
        {
            var ds = OpenLineageDataset(input, link.Collection, at);
            AddSighting(sightings, ds, input, e.EventTime);
            entities.Add(ds);
            relations.Add(DataMapRelationship.Create(RelationKind.Lineage, "dataset_process_inputs", ds.Guid, job.Guid));
        }

        foreach (var output in e.Outputs)
        {
            var ds = OpenLineageDataset(output, link.Collection, at);
            AddSighting(sightings, ds, output, e.EventTime);
            entities.Add(ds);
            relations.Add(DataMapRelationship.Create(RelationKind.Lineage, "process_dataset_outputs", job.Guid, ds.Guid));
        }

        return new LineagePlan(entities.DistinctBy(x => x.Guid).ToList(), relations.DistinctBy(r => r.Id).ToList()) { Sightings = sightings.Distinct().ToList() };
    }

    /// <summary>The plan for an OpenLineage dataset event: the dataset (its resource set, with the raw path as a sighting).</summary>
    public static LineagePlan ForOpenLineageDataset(Link link, OpenLineageEvent e, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(e);
        var ds = OpenLineageDataset(e.Dataset!, link.Collection, at);
        var sightings = new List<RollupSighting>();
        AddSighting(sightings, ds, e.Dataset!, e.EventTime);
        return new LineagePlan([ds], []) { Sightings = sightings };
    }

    /// <summary>An OpenLineage dataset's entity: a partitioned file path is named by its resource set (<see cref="LineageRollup"/>).</summary>
    public static DataMapEntity OpenLineageDataset(OpenLineageDataset d, string collection, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(d);
        var named = LineageRollup.ResourceSetOf(d) ?? d;
        return DataMapEntity.Create("openlineage_dataset", $"{named.Namespace}/{named.Name}", named.Name, collection, false, at);
    }

    private static void AddSighting(List<RollupSighting> sightings, DataMapEntity entity, OpenLineageDataset raw, DateTimeOffset runTime)
    {
        var rawName = $"{raw.Namespace}/{raw.Name}";
        if (!string.Equals(entity.QualifiedName, rawName, StringComparison.Ordinal))
        {
            sightings.Add(new RollupSighting(entity.Guid, rawName, runTime));
        }
    }

    private static List<DatasetRef> RollUp(IReadOnlyList<DatasetRef> datasets, string collection, DateTimeOffset runTime, DateTimeOffset at, List<RollupSighting> sightings)
    {
        var result = new List<DatasetRef>(datasets.Count);
        foreach (var d in datasets)
        {
            if (LineageRollup.ResourceSetOf(d) is { } set)
            {
                sightings.Add(new RollupSighting(Dataset(set, collection, at).Guid, d.QualifiedName, runTime));
                result.Add(set);
            }
            else
            {
                result.Add(d);
            }
        }

        return result;
    }

    private static DataMapEntity Dataset(DatasetRef d, string collection, DateTimeOffset at) =>
        DataMapEntity.Create(d.Type, d.QualifiedName, d.Name ?? LastSegment(d.QualifiedName), collection, false, at);

    private static string LastSegment(string qualifiedName)
    {
        var trimmed = qualifiedName.TrimEnd('/');
        var i = trimmed.LastIndexOf('/');
        return i >= 0 && i < trimmed.Length - 1 ? trimmed[(i + 1)..] : trimmed;
    }
}
