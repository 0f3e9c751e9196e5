using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>One host for the malformed-request table: nothing these requests send may change anything.</summary>
public sealed class MalformedLinksFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public LinksHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Host = await LinksHost.StartAsync(_azurite);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    /// <summary>Links, the raw events of the hours the bodies use, and the run the native bodies name.</summary>
    public async Task<string> StateAsync()
    {
        var links = await Host.Admin.GetStringAsync(new Uri("/links", UriKind.Relative));
        var events = await Host.Host.Services.GetEventsAsync(LinksHost.Start);
        using var admin = Host.Admin;
        using var run = await admin.GetAsync(new Uri("/links/AzureDataFactory/factory1/activityruns/bad-run", UriKind.Relative));
        return $"{links}\n{events.Count}\n{(int)run.StatusCode}";
    }
}

/// <summary>Table-driven malformed native pushes and OpenLineage events: each is 400 naming the field, and nothing changes.</summary>
public sealed class MalformedLinkRequestTests(MalformedLinksFixture fixture) : IClassFixture<MalformedLinksFixture>
{
    public sealed record Case(string Name, string Path, string Body, string? Field, string Who)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<object[]> Cases() => All().Select(c => new object[] { c });

    private static JsonObject Native() => JsonSerializer.SerializeToNode(LinksHost.CopyRun("bad-run", LinksHost.Start))!.AsObject();

    private static JsonObject Event() => JsonSerializer.SerializeToNode(LinksHost.RunEvent("COMPLETE", "3f5e8a2c-1b7d-4c9e-8f00-123456789abc", LinksHost.Start.AddMinutes(1)))!.AsObject();

    private static Case NativeCase(string name, string? field, Action<JsonObject> change, string path = "/links/AzureDataFactory/factory1/activityruns")
    {
        var body = Native();
        change(body);
        return new Case("native: " + name, path, body.ToJsonString(), field, "adf-writer");
    }

    private static Case EventCase(string name, string? field, Action<JsonObject> change)
    {
        var body = Event();
        change(body);
        return new Case("openlineage: " + name, "/api/v1/lineage", body.ToJsonString(), field, "ol-writer");
    }

    private static JsonArray Many(int count, Func<int, JsonNode> item) => new(Enumerable.Range(0, count).Select(item).ToArray());

    public static IEnumerable<Case> All()
    {
        yield return NativeCase("pipelineName missing", "pipelineName", b => b.Remove("pipelineName"));
        yield return NativeCase("pipelineName with a slash", "pipelineName", b => b["pipelineName"] = "a/b");
        yield return NativeCase("activityName empty", "activityName", b => b["activityName"] = "");
        yield return NativeCase("activityType unknown", "activityType", b => b["activityType"] = "Lookup");
        yield return NativeCase("activityType missing", "activityType", b => b.Remove("activityType"));
        yield return NativeCase("activityRunId missing", "activityRunId", b => b.Remove("activityRunId"));
        yield return NativeCase("activityRunId with #", "activityRunId", b => b["activityRunId"] = "a#b");
        yield return NativeCase("activityRunId a number", "activityRunId", b => b["activityRunId"] = 5);
        yield return NativeCase("pipelineRunId too long", "pipelineRunId", b => b["pipelineRunId"] = new string('p', 200));
        yield return NativeCase("status unknown", "status", b => b["status"] = "Done");
        yield return NativeCase("start missing", "start", b => b.Remove("start"));
        yield return NativeCase("start not a date", "start", b => b["start"] = "yesterday");
        yield return NativeCase("end before start", "end", b => b["end"] = "2026-11-21T09:00:00Z");
        yield return NativeCase("inputs missing", "inputs", b => b.Remove("inputs"));
        yield return NativeCase("inputs a string", "inputs", b => b["inputs"] = "x");
        yield return NativeCase("inputs huge", "inputs", b => b["inputs"] = Many(101, i => new JsonObject { ["qualifiedName"] = $"https://a/{i}", ["type"] = "azure_blob_path" }));
        yield return NativeCase("input without qualifiedName", "inputs[0].qualifiedName", b => b["inputs"]![0]!.AsObject().Remove("qualifiedName"));
        yield return NativeCase("input type not an Atlas name", "inputs[0].type", b => b["inputs"]![0]!["type"] = "bad type!");
        yield return NativeCase("output name with a control character", "outputs[0].name", b => b["outputs"]![0]!["name"] = "a\u0001b");
        yield return NativeCase("columnMapping a number", "columnMapping", b => b["columnMapping"] = 42);
        yield return NativeCase("unknown field", "extra", b => b["extra"] = 1);
        yield return NativeCase("unknown source type", "sourceType", _ => { }, "/links/Informatica/factory1/activityruns");
        yield return NativeCase("bad factory name", "sourceName", _ => { }, "/links/AzureDataFactory/bad_name!/activityruns");
        yield return new Case("native: not an object", "/links/AzureDataFactory/factory1/activityruns", "[]", null, "adf-writer");
        yield return new Case("native: not JSON", "/links/AzureDataFactory/factory1/activityruns", "{\"pipelineName\":", null, "adf-writer");

        yield return EventCase("eventType unknown", "eventType", b => b["eventType"] = "DONE");
        yield return EventCase("eventType lower case", "eventType", b => b["eventType"] = "complete");
        yield return EventCase("eventType a number", "eventType", b => b["eventType"] = 5);
        yield return EventCase("eventTime not a date", "eventTime", b => b["eventTime"] = "not a date");
        yield return EventCase("eventTime without a time", "eventTime", b => b["eventTime"] = "2026-11-21");
        yield return EventCase("eventTime missing", "eventTime", b => b.Remove("eventTime"));
        yield return EventCase("runId not a UUID", "run.runId", b => b["run"]!["runId"] = "abc");
        yield return EventCase("runId missing", "run.runId", b => b["run"]!.AsObject().Remove("runId"));
        // Without run the event is a JobEvent (OpenLineage 2-0-2 oneOf), which is valid: see Conformance/OpenLineageConformanceTests.
        yield return EventCase("run null", "run", b => b["run"] = null);
        yield return EventCase("run a string", "run", b => b["run"] = "x");
        yield return EventCase("run facets a string", "run.facets", b => b["run"]!["facets"] = "x");
        yield return EventCase("job missing", "job", b => { b.Remove("job"); });
        yield return EventCase("job namespace missing", "job.namespace", b => b["job"]!.AsObject().Remove("namespace"));
        yield return EventCase("job name empty", "job.name", b => b["job"]!["name"] = "");
        yield return EventCase("job name a number", "job.name", b => b["job"]!["name"] = 5);
        yield return EventCase("job namespace with a space", "job.namespace", b => b["job"]!["namespace"] = "has space");
        yield return EventCase("producer not a URI", "producer", b => b["producer"] = "not a uri");
        yield return EventCase("producer missing", "producer", b => b.Remove("producer"));
        yield return EventCase("schemaURL relative", "schemaURL", b => b["schemaURL"] = "relative/path");
        yield return EventCase("inputs an object", "inputs", b => b["inputs"] = new JsonObject());
        yield return EventCase("inputs huge", "inputs", b => b["inputs"] = Many(1001, i => new JsonObject { ["namespace"] = "n", ["name"] = $"t{i}" }));
        yield return EventCase("input without name", "inputs[0].name", b => b["inputs"]![0]!.AsObject().Remove("name"));
        yield return EventCase("output namespace with a space", "outputs[0].namespace", b => b["outputs"]![0]!["namespace"] = "s3 lake");
        yield return EventCase("parent without job", "run.facets.parent.job", b => b["run"]!["facets"]!["parent"]!.AsObject().Remove("job"));
        yield return EventCase("parent runId not a UUID", "run.facets.parent.run.runId", b => b["run"]!["facets"]!["parent"]!["run"]!["runId"] = "x");
        yield return new Case("openlineage: second of an array invalid", "/api/v1/lineage", new JsonArray(Event(), Mutated(e => e["eventType"] = "NOPE")).ToJsonString(), "[1].eventType", "ol-writer");
        yield return new Case("openlineage: empty array", "/api/v1/lineage", "[]", "body", "ol-writer");
        yield return new Case("openlineage: not JSON", "/api/v1/lineage", "{", "body", "ol-writer");
        yield return new Case("openlineage: a number", "/api/v1/lineage", "42", null, "ol-writer");
    }

    private static JsonObject Mutated(Action<JsonObject> change)
    {
        var e = Event();
        change(e);
        return e;
    }

    [Fact]
    public void The_table_has_at_least_40_cases() => Assert.True(All().Count() >= 40);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_request_is_400_naming_the_field_and_changes_nothing(Case c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var before = await fixture.StateAsync();
        using var client = fixture.Host.Host.Client(c.Who);
        using var content = new StringContent(c.Body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(c.Path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.BadRequest, $"{c}: {(int)response.StatusCode} {text}");
        if (c.Field is not null)
        {
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(c.Field, out _), $"{c}: expected field '{c.Field}' in {text}");
        }

        Assert.Equal(before, await fixture.StateAsync());
    }
}
