using System.Text.Json;
using Purview.Core.Links;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Links;

public sealed class LinkPushValidationTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(2));

    private static ActivityRunRequest Valid() => new("daily", "copy", "Copy", "run-1", "prun-1", "Succeeded", Start, Start.AddMinutes(3),
        [new DatasetRequest("https://a.blob.core.windows.net/c/f.csv", "azure_blob_path")], [new DatasetRequest("mssql://s/db/dbo/t", "azure_sql_table", "t")],
        JsonDocument.Parse("""{"type":"TabularTranslator"}""").RootElement);

    [Fact]
    public void A_valid_run_is_read_in_utc_and_a_copy_keeps_its_column_mapping()
    {
        var run = Ok(LinkPushValidation.ValidateActivityRun(Valid()));

        Assert.Equal(TimeSpan.Zero, run.Start.Offset);
        Assert.Equal(Start.UtcDateTime, run.Start.UtcDateTime);
        Assert.Equal("""{"type":"TabularTranslator"}""", run.ColumnMapping);
        Assert.Null(Ok(LinkPushValidation.ValidateActivityRun(Valid() with { ActivityType = "DataFlow" })).ColumnMapping);
    }

    public static TheoryData<ActivityRunRequest?, string> Invalid_runs() => new()
    {
        { null, "body" },
        { Valid() with { PipelineName = "a/b" }, "pipelineName" },
        { Valid() with { ActivityName = "" }, "activityName" },
        { Valid() with { ActivityType = "Lookup" }, "activityType" },
        { Valid() with { ActivityRunId = "run#1" }, "activityRunId" },
        { Valid() with { PipelineRunId = null }, "pipelineRunId" },
        { Valid() with { Status = "succeeded" }, "status" },
        { Valid() with { Start = null }, "start" },
        { Valid() with { End = Start.AddMinutes(-1) }, "end" },
        { Valid() with { Inputs = null }, "inputs" },
        { Valid() with { Outputs = [new DatasetRequest("", "azure_sql_table")] }, "outputs[0].qualifiedName" },
        { Valid() with { Inputs = [new DatasetRequest("x", "bad type")] }, "inputs[0].type" },
        { Valid() with { Inputs = Enumerable.Repeat(new DatasetRequest("x", "azure_blob_path"), LinkPushValidation.MaxDatasetsPerRun + 1).ToList() }, "inputs" },
        { Valid() with { ColumnMapping = JsonDocument.Parse("[1]").RootElement }, "columnMapping" },
    };

    [Theory]
    [MemberData(nameof(Invalid_runs))]
    public void An_invalid_run_names_its_first_bad_field(ActivityRunRequest? body, string field)
    {
        Invalid(LinkPushValidation.ValidateActivityRun(body), field);
    }

    [Theory]
    [InlineData("azuresynapse", "ws-1", LinkSourceType.AzureSynapse, null)]
    [InlineData("1", "ws-1", default(LinkSourceType), "sourceType")]
    [InlineData("OpenLineage", "s3://bucket/../x", LinkSourceType.OpenLineage, "sourceName")]
    public void A_link_route_names_a_known_type_and_a_valid_name(string type, string name, LinkSourceType expected, string? field)
    {
        var (parsed, error) = LinkPushValidation.ParseSource(type, name);

        Assert.Equal(field, error?.Fields.Single().Field);
        Assert.Equal(expected, parsed);
    }
}
