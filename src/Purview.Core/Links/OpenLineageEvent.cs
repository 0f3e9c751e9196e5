using System.Globalization;
using System.Text.Json;
using Purview.Core.Common;

namespace Purview.Core.Links;

public enum OpenLineageEventKind
{
    Run,
    Job,
    Dataset,
}

public sealed record OpenLineageDataset(string Namespace, string Name);

/// <summary>
/// An OpenLineage event (spec 2-0-2) reduced to what the link ingests: a RunEvent, or a JobEvent / DatasetEvent
/// (no run). <see cref="LinkNamespace"/> is the namespace of the link it belongs to: the job's, or the dataset's.
/// </summary>
public sealed record OpenLineageEvent(
    OpenLineageEventKind Kind,
    string? EventType,
    DateTimeOffset EventTime,
    string? RunId,
    string? JobNamespace,
    string? JobName,
    string? ParentNamespace,
    string? ParentName,
    IReadOnlyList<OpenLineageDataset> Inputs,
    IReadOnlyList<OpenLineageDataset> Outputs,
    OpenLineageDataset? Dataset,
    string Producer)
{
    public static readonly IReadOnlyList<string> EventTypes = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"];

    public const int MaxDatasets = 1000;

    public string LinkNamespace => Kind == OpenLineageEventKind.Dataset ? Dataset!.Namespace : JobNamespace!;

    /// <summary>Same run, type and time: the same event (OpenLineage clients retry).</summary>
    public string DedupeKey => Kind switch
    {
        OpenLineageEventKind.Run => $"run|{RunId}|{EventType}|{EventTime.UtcTicks}",
        OpenLineageEventKind.Job => $"job|{JobName}|{EventTime.UtcTicks}",
        _ => $"dataset|{Dataset!.Namespace}|{Dataset.Name}|{EventTime.UtcTicks}",
    };

    /// <summary>The <c>pipeline/activity</c> name: the parent job, then the job; the job alone when there is no parent.</summary>
    public string SubArtifact => Kind == OpenLineageEventKind.Dataset ? Dataset!.Name : ParentName is null ? JobName! : $"{ParentName}/{JobName}";

    public bool IsTerminal => EventType is "COMPLETE" or "FAIL" or "ABORT";

    public bool NamesDatasets => Inputs.Count > 0 || Outputs.Count > 0;

    /// <summary>
    /// Whether the run state row can keep the datasets this event names until the run completes (one table property:
    /// a bound with room for JSON escaping); an event naming more has its lineage written at once.
    /// </summary>
    public bool DatasetsFitRunState => Inputs.Concat(Outputs).Sum(d => ((d.Namespace.Length + d.Name.Length) * 2) + 8) <= 30_000;

    /// <summary>Validates one event; <paramref name="path"/> prefixes field names (<c>[3].</c> inside an array).</summary>
    public static Result<OpenLineageEvent> Parse(JsonElement e, string path = "")
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Fail(path.TrimEnd('.'), "An OpenLineage event is a JSON object.");
        }

        if (RequiredString(e, path, "eventTime", out var timeText) is { } timeError)
        {
            return timeError;
        }

        if (!DateTimeOffset.TryParse(timeText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var eventTime) ||
            !timeText!.Contains('T', StringComparison.Ordinal) || eventTime.Year is < 2000 or > 2200)
        {
            return Fail(path + "eventTime", "eventTime must be an ISO 8601 date-time, e.g. 2026-11-21T10:15:00.000Z.");
        }

        if (Uri(e, path, "producer", required: true) is { } producerError)
        {
            return producerError;
        }

        if (Uri(e, path, "schemaURL", required: true) is { } schemaError)
        {
            return schemaError;
        }

        var producer = e.GetProperty("producer").GetString()!;
        var hasRun = e.TryGetProperty("run", out var run);
        var hasEventType = e.TryGetProperty("eventType", out _);
        var hasDataset = e.TryGetProperty("dataset", out var dataset);
        var hasJob = e.TryGetProperty("job", out var job);

        if (hasDataset && !hasRun && !hasEventType && !hasJob)
        {
            var ds = ParseDataset(dataset, path + "dataset");
            return ds.IsSuccess ? new OpenLineageEvent(OpenLineageEventKind.Dataset, null, eventTime, null, null, null, null, null, [], [], ds.Value, producer) : ds.Error!;
        }

        if (!hasJob)
        {
            return Fail(path + "job", "job is required (with namespace and name); a dataset-only event carries 'dataset' and no run.");
        }

        var jobResult = ParseDataset(job, path + "job");
        if (!jobResult.IsSuccess)
        {
            return jobResult.Error!;
        }

        var inputs = ParseDatasets(e, path, "inputs");
        if (!inputs.IsSuccess)
        {
            return inputs.Error!;
        }

        var outputs = ParseDatasets(e, path, "outputs");
        if (!outputs.IsSuccess)
        {
            return outputs.Error!;
        }

        // No run: a JobEvent (static lineage). Its schema does not define eventType, and does not forbid it: ignored.
        if (!hasRun)
        {
            return new OpenLineageEvent(OpenLineageEventKind.Job, null, eventTime, null, jobResult.Value!.Namespace, jobResult.Value.Name, null, null, inputs.Value!, outputs.Value!, null, producer);
        }

        // eventType is optional in a RunEvent (2-0-2): without it the event only adds metadata to its run.
        string? eventType = null;
        if (hasEventType && e.GetProperty("eventType").ValueKind != JsonValueKind.Null)
        {
            if (RequiredString(e, path, "eventType", out eventType) is { } typeError)
            {
                return typeError;
            }

            if (!EventTypes.Contains(eventType, StringComparer.Ordinal))
            {
                return Fail(path + "eventType", $"eventType must be one of {string.Join(", ", EventTypes)}.");
            }
        }

        if (!hasRun || run.ValueKind != JsonValueKind.Object)
        {
            return Fail(path + "run", "run is required: an object with a runId (UUID).");
        }

        if (RequiredString(run, path + "run.", "runId", out var runId) is { } runError)
        {
            return runError;
        }

        if (!Guid.TryParseExact(runId, "D", out var runGuid))
        {
            return Fail(path + "run.runId", "run.runId must be a UUID, e.g. 3f5e8a2c-1b7d-4c9e-8f00-123456789abc.");
        }

        string? parentNamespace = null, parentName = null;
        if (run.TryGetProperty("facets", out var facets))
        {
            if (facets.ValueKind != JsonValueKind.Object)
            {
                return Fail(path + "run.facets", "run.facets must be an object.");
            }

            if (facets.TryGetProperty("parent", out var parent))
            {
                var parentPath = path + "run.facets.parent";
                if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty("job", out var parentJob))
                {
                    return Fail(parentPath + ".job", "The parent facet needs a job with namespace and name.");
                }

                var parentJobResult = ParseDataset(parentJob, parentPath + ".job");
                if (!parentJobResult.IsSuccess)
                {
                    return parentJobResult.Error!;
                }

                if (parent.TryGetProperty("run", out var parentRun))
                {
                    if (parentRun.ValueKind != JsonValueKind.Object || RequiredString(parentRun, parentPath + ".run.", "runId", out var parentRunId) is not null ||
                        !Guid.TryParseExact(parentRunId, "D", out _))
                    {
                        return Fail(parentPath + ".run.runId", "The parent facet's run.runId must be a UUID.");
                    }
                }

                parentNamespace = parentJobResult.Value!.Namespace;
                parentName = parentJobResult.Value.Name;
            }
        }

        return new OpenLineageEvent(OpenLineageEventKind.Run, eventType, eventTime, runGuid.ToString(), jobResult.Value!.Namespace, jobResult.Value.Name,
            parentNamespace, parentName, inputs.Value!, outputs.Value!, null, producer);
    }

    private static Result<IReadOnlyList<OpenLineageDataset>> ParseDatasets(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return Result<IReadOnlyList<OpenLineageDataset>>.Success([]);
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            return Fail(path + name, $"{name} must be an array of datasets.");
        }

        if (array.GetArrayLength() > MaxDatasets)
        {
            return Fail(path + name, $"{name} holds at most {MaxDatasets} datasets.");
        }

        var list = new List<OpenLineageDataset>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var ds = ParseDataset(item, $"{path}{name}[{i++}]");
            if (!ds.IsSuccess)
            {
                return ds.Error!;
            }

            list.Add(ds.Value!);
        }

        return list;
    }

    private static Result<OpenLineageDataset> ParseDataset(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Fail(path, $"{path} must be an object with namespace and name.");
        }

        if (RequiredString(e, path + ".", "namespace", out var ns) is { } nsError)
        {
            return nsError;
        }

        if (LinkNames.Validate(LinkSourceType.OpenLineage, ns) is { } nsInvalid)
        {
            return Fail(path + ".namespace", nsInvalid);
        }

        if (RequiredString(e, path + ".", "name", out var name) is { } nameError)
        {
            return nameError;
        }

        if (name!.Length > 1024 || name.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
        {
            return Fail(path + ".name", "name is at most 1024 characters without control characters.");
        }

        if (e.TryGetProperty("facets", out var facets) && facets.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return Fail(path + ".facets", "facets must be an object.");
        }

        return new OpenLineageDataset(ns!, name);
    }

    private static Error? RequiredString(JsonElement e, string path, string name, out string? value)
    {
        value = null;
        if (!e.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return Error.Validation(path + name, $"{path}{name} is required.");
        }

        if (p.ValueKind != JsonValueKind.String)
        {
            return Error.Validation(path + name, $"{path}{name} must be a string.");
        }

        value = p.GetString();
        return string.IsNullOrWhiteSpace(value) ? Error.Validation(path + name, $"{path}{name} must not be empty.") : null;
    }

    private static Error? Uri(JsonElement e, string path, string name, bool required)
    {
        if (!required && !e.TryGetProperty(name, out _))
        {
            return null;
        }

        if (RequiredString(e, path, name, out var text) is { } error)
        {
            return error;
        }

        return System.Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "urn" || text!.StartsWith("urn:", StringComparison.Ordinal) && text.Length > 4
            ? null
            : Error.Validation(path + name, $"{path}{name} must be an absolute URI, e.g. https://github.com/OpenLineage/OpenLineage/tree/1.0.0/client/python.");
    }

    private static Error Fail(string field, string message) => Error.Validation(field, message);
}
