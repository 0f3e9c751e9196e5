using System.Text.Json;
using Purview.Core.Common;

namespace Purview.Core.Links;

/// <summary>A dataset in a native push body.</summary>
public sealed record DatasetRequest(string? QualifiedName = null, string? Type = null, string? Name = null);

/// <summary>The body of <c>POST /links/{sourceType}/{sourceName}/activityruns</c>.</summary>
public sealed record ActivityRunRequest(
    string? PipelineName = null,
    string? ActivityName = null,
    string? ActivityType = null,
    string? ActivityRunId = null,
    string? PipelineRunId = null,
    string? Status = null,
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    IReadOnlyList<DatasetRequest>? Inputs = null,
    IReadOnlyList<DatasetRequest>? Outputs = null,
    JsonElement? ColumnMapping = null);

/// <summary>
/// The checks a push passes before anything is read or written: the link route's source, and an activity run's body
/// (names, ids, status, times, datasets), turned into the <see cref="ActivityRunReport"/> the lineage is planned from.
/// </summary>
public static class LinkPushValidation
{
    public const int MaxDatasetsPerRun = 100;

    public static readonly IReadOnlyList<string> RunStatuses = ["Succeeded", "Failed", "Cancelled"];

    /// <summary>The source type and name of a link route, or the 400 that names the bad one.</summary>
    public static (LinkSourceType Type, Error? Error) ParseSource(string sourceType, string sourceName)
    {
        if (!LinkNames.TryParseType(sourceType, out var type))
        {
            return (default, Error.Validation("sourceType", $"'{sourceType}' is not a link source type: use one of {string.Join(", ", Enum.GetNames<LinkSourceType>())}."));
        }

        return LinkNames.Validate(type, sourceName) is { } nameError ? (type, Error.Validation("sourceName", nameError)) : (type, null);
    }

    public static Result<ActivityRunReport> ValidateActivityRun(ActivityRunRequest? body)
    {
        if (body is null)
        {
            return Error.Validation("body", "The body is an activity run: pipelineName, activityName, activityType, activityRunId, pipelineRunId, status, start, end, inputs, outputs.");
        }

        if (Name(body.PipelineName, "pipelineName") is { } e1)
        {
            return e1;
        }

        if (Name(body.ActivityName, "activityName") is { } e2)
        {
            return e2;
        }

        if (body.ActivityType is null || !LinkLineage.ActivityTypes.Contains(body.ActivityType, StringComparer.Ordinal))
        {
            return Error.Validation("activityType", $"activityType must be one of {string.Join(", ", LinkLineage.ActivityTypes)}.");
        }

        if (Id(body.ActivityRunId, "activityRunId") is { } e3)
        {
            return e3;
        }

        if (Id(body.PipelineRunId, "pipelineRunId") is { } e4)
        {
            return e4;
        }

        if (body.Status is null || !RunStatuses.Contains(body.Status, StringComparer.Ordinal))
        {
            return Error.Validation("status", $"status must be one of {string.Join(", ", RunStatuses)}.");
        }

        if (body.Start is not { } start || start.Year is < 2000 or > 2200)
        {
            return Error.Validation("start", "start is required: the run's start time (ISO 8601, UTC).");
        }

        if (body.End is { } end && (end < start || end.Year > 2200))
        {
            return Error.Validation("end", "end must not be before start.");
        }

        var inputs = Datasets(body.Inputs, "inputs");
        if (!inputs.IsSuccess)
        {
            return inputs.Error!;
        }

        var outputs = Datasets(body.Outputs, "outputs");
        if (!outputs.IsSuccess)
        {
            return outputs.Error!;
        }

        if (body.ColumnMapping is { ValueKind: not (JsonValueKind.Object or JsonValueKind.String or JsonValueKind.Null) })
        {
            return Error.Validation("columnMapping", "columnMapping is an object (the Copy activity's translator) or a JSON string.");
        }

        // Data Flow and SSIS report only their sources and sinks: no column-level mapping.
        var mapping = body.ActivityType == "Copy" && body.ColumnMapping is { ValueKind: JsonValueKind.Object or JsonValueKind.String } m ? m.GetRawText() : null;
        return new ActivityRunReport(body.PipelineName!, body.ActivityName!, body.ActivityType, body.ActivityRunId!, body.PipelineRunId!, body.Status,
            start.ToUniversalTime(), body.End?.ToUniversalTime(), inputs.Value!, outputs.Value!, mapping);
    }

    private static Error? Name(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 260 || value.Any(Purview.Core.Common.UnsafeText.IsUnsafe) || value.Contains('/', StringComparison.Ordinal)
            ? Error.Validation(field, $"{field} is required: 1-260 characters, no '/' or control characters.")
            : null;

    private static Error? Id(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 128 || value.Any(c => Purview.Core.Common.UnsafeText.IsUnsafe(c) || c is '/' or '\\' or '#' or '?')
            ? Error.Validation(field, $"{field} is required: 1-128 characters without / \\ # ? or control characters.")
            : null;

    private static Result<IReadOnlyList<DatasetRef>> Datasets(IReadOnlyList<DatasetRequest>? list, string field)
    {
        if (list is null)
        {
            return Error.Validation(field, $"{field} is required: an array of {{qualifiedName, type, name}} (it may be empty).");
        }

        if (list.Count > MaxDatasetsPerRun)
        {
            return Error.Validation(field, $"{field} holds at most {MaxDatasetsPerRun} datasets.");
        }

        var result = new List<DatasetRef>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var d = list[i];
            if (d is null)
            {
                return Error.Validation($"{field}[{i}]", "A dataset is an object {qualifiedName, type, name}.");
            }

            if (string.IsNullOrWhiteSpace(d.QualifiedName) || d.QualifiedName.Length > 2048 || d.QualifiedName.Any(Purview.Core.Common.UnsafeText.IsUnsafe))
            {
                return Error.Validation($"{field}[{i}].qualifiedName", "qualifiedName is required: 1-2048 characters without control characters.");
            }

            if (string.IsNullOrWhiteSpace(d.Type) || d.Type.Length > 100 || !d.Type.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return Error.Validation($"{field}[{i}].type", "type is required: an Atlas type name (letters, digits, '_'), e.g. azure_blob_path.");
            }

            if (d.Name is { } n && (n.Length > 512 || n.Any(Purview.Core.Common.UnsafeText.IsUnsafe)))
            {
                return Error.Validation($"{field}[{i}].name", "name is at most 512 characters without control characters.");
            }

            result.Add(new DatasetRef(d.QualifiedName, d.Type, d.Name));
        }

        return result;
    }
}
