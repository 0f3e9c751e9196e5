using System.Text.RegularExpressions;

namespace Purview.Core.Links;

/// <summary>The services that push lineage over a link.</summary>
public enum LinkSourceType
{
    AzureDataFactory,
    AzureSynapse,
    OpenLineage,
}

/// <summary>A connected source: which collection its assets land in and which principals may push for it.</summary>
public sealed record Link(LinkSourceType SourceType, string Name, string Collection, IReadOnlyList<string> Writers, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset ModifiedAt)
{
    /// <summary>The storage identity of the source: ADF and Synapse names are case-insensitive, OpenLineage namespaces are not.</summary>
    public string Key => LinkNames.Key(SourceType, Name);

    public bool IsWriter(string principal) => Writers.Any(w => string.Equals(w, principal, StringComparison.OrdinalIgnoreCase));
}

public static partial class LinkNames
{
    public static string Key(LinkSourceType type, string name) =>
        type == LinkSourceType.OpenLineage ? $"{type}|{name}" : $"{type}|{name.ToLowerInvariant()}";

    public static bool TryParseType(string? text, out LinkSourceType type) =>
        Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type) && !int.TryParse(text, out _);

    /// <summary>Null when valid, else what is wrong. ADF factory / Synapse workspace names: letters, digits, hyphens; OpenLineage namespaces: URI characters.</summary>
    public static string? Validate(LinkSourceType type, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "The source name is required.";
        }

        return type switch
        {
            LinkSourceType.OpenLineage when !NamespacePattern().IsMatch(name) =>
                "An OpenLineage namespace is 1-256 URI characters (letters, digits and - . _ ~ : / @ ! $ & ' ( ) * + , ; = %), e.g. 'airflow-prod' or 's3://bucket'; encode '/' as %2F in the route.",
            // A namespace names a scheduler or a store, never a relative path: "." and ".." segments only serve tricks.
            LinkSourceType.OpenLineage when name.Split('/').Any(segment => segment is "." or "..") =>
                "An OpenLineage namespace cannot have '.' or '..' path segments.",
            LinkSourceType.AzureDataFactory or LinkSourceType.AzureSynapse when !ResourceNamePattern().IsMatch(name) =>
                "A factory or workspace name is 1-63 letters, digits and hyphens, starting and ending with a letter or digit.",
            _ => null,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9._~:/@!$&'()*+,;=%-]{1,256}$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex ResourceNamePattern();
}

/// <summary>
/// The <c>reportLineageToPurview</c> section of an activity run's output. <see cref="Skipped"/> (an extension, absent
/// when empty) names the entities the push named but did not write because another collection owns them.
/// </summary>
public sealed record LineageReport(string Status, string? Reason, int AssetsIngested, int RelationshipsIngested)
{
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LineageSkip>? Skipped { get; init; }

    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string NotReported = "NotReported";
}

/// <summary>An entity a push named but did not write, and why.</summary>
public sealed record LineageSkip(string TypeName, string QualifiedName, string Reason)
{
    public const string OwnedByAnotherCollection = "OwnedByAnotherCollection";
}

/// <summary>A dataset read or written by an activity run, as Atlas names it.</summary>
public sealed record DatasetRef(string QualifiedName, string Type, string? Name);

/// <summary>What a Data Factory or Synapse activity run reports.</summary>
public sealed record ActivityRunReport(
    string PipelineName,
    string ActivityName,
    string ActivityType,
    string ActivityRunId,
    string PipelineRunId,
    string Status,
    DateTimeOffset Start,
    DateTimeOffset? End,
    IReadOnlyList<DatasetRef> Inputs,
    IReadOnlyList<DatasetRef> Outputs,
    string? ColumnMapping);

/// <summary>
/// A run as the link remembers it: the native push's report, or the last state of an OpenLineage run. An OpenLineage
/// state row also keeps the datasets its event named (<see cref="Inputs"/>, <see cref="Outputs"/>), so that the run's
/// lineage is the union of all its events ("all metadata is additive"). <see cref="State"/> is empty for a RunEvent
/// without eventType (metadata only).
/// </summary>
public sealed record LinkRun(
    LinkSourceType SourceType,
    string SourceName,
    string RunId,
    string Pipeline,
    string Activity,
    string State,
    DateTimeOffset EventTime,
    LineageReport Report,
    IReadOnlyList<OpenLineageDataset>? Inputs = null,
    IReadOnlyList<OpenLineageDataset>? Outputs = null);

/// <summary>
/// One raw event for hourly aggregation, kept in the partition of its event-time hour. <see cref="DedupeKey"/> is unique
/// per source: a second event with the same key is a duplicate and counts nothing.
/// </summary>
public sealed record LinkEvent(
    LinkSourceType SourceType,
    string SourceName,
    string SubArtifact,
    string DedupeKey,
    DateTimeOffset EventTime,
    DateTimeOffset ReceivedAt,
    string Kind,
    int Assets,
    int Relationships,
    bool IsRun)
{
    public string SourceKey => LinkNames.Key(SourceType, SourceName);
}

/// <summary>One hour's totals for a source (<see cref="SubArtifact"/> null) or for one of its <c>pipeline/activity</c> sub-artifacts.</summary>
public sealed record LinkAggregate(
    DateTimeOffset Hour,
    LinkSourceType SourceType,
    string SourceName,
    string? SubArtifact,
    long Assets,
    long Relationships,
    long ActivityRuns,
    DateTimeOffset? LastRunTime);
