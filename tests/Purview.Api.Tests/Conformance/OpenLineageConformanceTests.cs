using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Purview.Api.Tests.Links;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Conformance;

/// <summary>
/// OpenLineage 2-0-2 conformance against the real host: Marquez's seed (docker/metadata.template.json) and test events
/// (api/src/test/resources/open_lineage), and the OpenLineage spec's test facets (spec/tests), vendored under tests/specs.
/// </summary>
public sealed class OpenLineageConformanceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private LinksHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LinksHost.StartAsync(azurite);
        foreach (var ns in new[] { "food_delivery", "my-scheduler-namespace", "my-namespace", "my-dataset-namespace", "openlineage-spec" })
        {
            await _host.ConnectAsync("OpenLineage", ns, "finance", "ol-writer");
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string DatasetGuid(string ns, string name) => DataMapIds.EntityGuid("openlineage_dataset", $"{ns}/{name}");

    private static string JobGuid(string ns, string name) => DataMapIds.EntityGuid("openlineage_job", $"{ns}/{name}");

    private async Task<JsonElement> PostAsync(HttpClient client, string json, int expected = 201)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await LinksHost.JsonAsync(await client.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content), expected);
    }

    [Fact]
    public async Task Marquez_seed_leaves_every_job_and_dataset_readable_because_a_runs_events_are_merged()
    {
        // The template's placeholders, as Marquez's seed command fills them: the run start, and ends N minutes later.
        var template = File.ReadAllText(SpecFiles.PathOf("marquez/metadata.template.json"));
        var start = LinksHost.Start;
        template = template.Replace("{{RUN_START_TIME}}", start.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        for (var minutes = 1; minutes <= 60; minutes++)
        {
            template = template.Replace($"{{{{RUN_END_TIME_AFTER_{minutes}_MINUTES}}}}", start.AddMinutes(minutes).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("{{", template, StringComparison.Ordinal);
        var events = JsonDocument.Parse(template).RootElement.EnumerateArray().ToList();
        Assert.Equal(26, events.Count);

        using var writer = _host.Host.Client("ol-writer");
        var assets = 0;
        foreach (var e in events)
        {
            assets += (await PostAsync(writer, e.GetRawText())).GetProperty("reportLineageToPurview").GetProperty("assetsIngested").GetInt32();
        }

        // The namespace, 13 jobs and the 13 datasets their STARTs name (their COMPLETEs name none).
        Assert.Equal(27, assets);
        using var reader = _host.Host.Client("rita");
        var datasets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start1 in events.Where(e => e.GetProperty("eventType").GetString() == "START"))
        {
            var job = start1.GetProperty("job");
            var jobGuid = JobGuid(job.GetProperty("namespace").GetString()!, job.GetProperty("name").GetString()!);
            var lineage = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/lineage/{jobGuid}?direction=BOTH&depth=1", UriKind.Relative)), 200);
            var relations = lineage.GetProperty("relations").EnumerateArray().Select(r => (r.GetProperty("fromEntityId").GetString(), r.GetProperty("toEntityId").GetString())).ToHashSet();
            foreach (var input in start1.TryGetProperty("inputs", out var ins) ? ins.EnumerateArray() : default)
            {
                Assert.Contains((DatasetGuid(input.GetProperty("namespace").GetString()!, input.GetProperty("name").GetString()!), jobGuid), relations);
            }

            foreach (var output in start1.TryGetProperty("outputs", out var outs) ? outs.EnumerateArray() : default)
            {
                var guid = DatasetGuid(output.GetProperty("namespace").GetString()!, output.GetProperty("name").GetString()!);
                Assert.Contains((jobGuid, guid), relations);
                datasets.Add(guid);
            }
        }

        Assert.Equal(13, datasets.Count);
        foreach (var guid in datasets)
        {
            await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/entity/guid/{guid}", UriKind.Relative)), 200);
        }

        _host.Time.SetUtcNow(start.AddHours(1).AddMinutes(5));
        await _host.Host.Services.RunHourlyAsync(_host.Time.GetUtcNow());
        var sources = await LinksHost.JsonAsync(await _host.Admin.GetAsync(new Uri("/monitoring/links?period=7d", UriKind.Relative)), 200);
        var food = sources.GetProperty("value").EnumerateArray().Single(r => r.GetProperty("sourceName").GetString() == "food_delivery");
        Assert.Equal(27, food.GetProperty("assetsIngested").GetInt64());
        Assert.Equal(13, food.GetProperty("activityRuns").GetInt64());
    }

    [Fact]
    public async Task Datasets_named_before_or_after_the_COMPLETE_of_a_run_join_its_lineage()
    {
        using var writer = _host.Host.Client("ol-writer");
        var runId = Guid.NewGuid().ToString();
        var complete = LinksHost.RunEvent("COMPLETE", runId, LinksHost.Start.AddMinutes(5), job: "late_start", parent: null, ns: "food_delivery", inputs: 0, outputs: 0);
        var report = (await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", complete), 201)).GetProperty("reportLineageToPurview");
        Assert.Equal("NotReported", report.GetProperty("status").GetString());

        // The START arrives late (out of order) and names the datasets: the completed run's lineage gets them at once.
        var start = LinksHost.RunEvent("START", runId, LinksHost.Start.AddMinutes(1), job: "late_start", parent: null, ns: "food_delivery", inputs: 1, outputs: 1);
        report = (await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", start), 201)).GetProperty("reportLineageToPurview");
        Assert.Equal("Succeeded", report.GetProperty("status").GetString());
        using var reader = _host.Host.Client("rita");
        var lineage = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/lineage/{JobGuid("food_delivery", "late_start")}?direction=BOTH&depth=1", UriKind.Relative)), 200);
        Assert.Equal(2, lineage.GetProperty("relations").GetArrayLength());

        // A run that never completes keeps its datasets out of the lineage (as before).
        var open = Guid.NewGuid().ToString();
        report = (await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage",
            LinksHost.RunEvent("START", open, LinksHost.Start.AddMinutes(2), job: "never_ends", parent: null, ns: "food_delivery")), 201)).GetProperty("reportLineageToPurview");
        Assert.Equal("NotReported", report.GetProperty("status").GetString());
        await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/entity/guid/{JobGuid("food_delivery", "never_ends")}", UriKind.Relative)), 404);
    }

    public static TheoryData<string, int, string?> MarquezEvents() => new()
    {
        { "event_additional_facet.json", 201, null },
        { "event_dataset_event.json", 201, null },
        { "event_full.json", 201, null },
        { "event_job_event.json", 201, null },
        { "event_large.json", 201, null },
        { "event_namespace_naming.json", 201, null },
        { "event_required_nanoseconds.json", 201, null },
        { "event_required_no_timezone.json", 201, null },
        { "event_required_only.json", 201, null },
        { "event_simple.json", 201, null },
        { "event_unicode.json", 201, null },
        { "null_nominal_end_time.json", 201, null },
        // schemaURL is required by BaseEvent (2-0-2); Marquez is lenient here, this service follows the spec.
        { "event_without_schema_url.json", 400, "schemaURL" },
        { "listener/1.json", 400, "schemaURL" },
        { "listener/2.json", 400, "schemaURL" },
    };

    [Theory]
    [MemberData(nameof(MarquezEvents))]
    public async Task Marquez_test_events_are_accepted_or_refused_as_the_spec_says(string file, int status, string? field)
    {
        using var writer = _host.Host.Client("ol-writer");
        var body = await PostAsync(writer, File.ReadAllText(SpecFiles.PathOf("marquez/open_lineage/" + file)), status);
        if (field is not null)
        {
            Assert.Contains(field, body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public async Task A_run_event_without_eventType_or_offset_is_metadata_of_its_run_read_as_UTC()
    {
        using var writer = _host.Host.Client("ol-writer");
        var json = File.ReadAllText(SpecFiles.PathOf("marquez/open_lineage/event_required_no_timezone.json"));
        var e = JsonDocument.Parse(json).RootElement;
        Assert.False(e.TryGetProperty("eventType", out _));
        await PostAsync(writer, json);
        var runId = e.GetProperty("run").GetProperty("runId").GetString();
        var run = await LinksHost.JsonAsync(await writer.GetAsync(new Uri($"/links/OpenLineage/my-namespace/activityruns/{runId}", UriKind.Relative)), 200);
        Assert.Equal(new DateTimeOffset(2020, 12, 28, 19, 51, 1, TimeSpan.Zero).AddTicks(6414990), run.GetProperty("eventTime").GetDateTimeOffset());
        Assert.Equal(string.Empty, run.GetProperty("state").GetString());
    }

    public static TheoryData<string> SpecTestFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SpecFiles.PathOf("openlineage/tests"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(SpecFiles.PathOf("openlineage/tests"), file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SpecTestFiles))]
    public async Task OpenLineage_spec_test_facets_are_accepted_where_they_belong(string file)
    {
        var node = JsonNode.Parse(File.ReadAllText(SpecFiles.PathOf("openlineage/tests/" + file)))!.AsObject();
        using var writer = _host.Host.Client("ol-writer");
        if (file == "example_full_event.json")
        {
            node["job"]!["namespace"] = "openlineage-spec";
            await PostAsync(writer, node.ToJsonString());
            return;
        }

        // A facet file holds {name: facet}; where it goes follows its schema (the folder, else its _schemaURL).
        var folder = file.Split('/')[0];
        if (node["parent"]?["job"] is JsonObject parentJob)
        {
            // A parent job may only name a namespace the caller pushes to (docs/SECURITY.md): the job's own.
            parentJob["namespace"] = "openlineage-spec";
        }

        var schema = node.Select(p => p.Value?["_schemaURL"]?.GetValue<string>()).FirstOrDefault(s => s is not null) ?? string.Empty;
        var kind = new[] { "InputDatasetFacet", "OutputDatasetFacet", "RunFacet", "JobFacet", "DatasetFacet" }
            .FirstOrDefault(k => folder.EndsWith(k, StringComparison.Ordinal)) ??
            new[] { "InputDatasetFacet", "OutputDatasetFacet", "RunFacet", "JobFacet", "DatasetFacet" }.First(k => schema.Contains(k, StringComparison.Ordinal));
        var e = new JsonObject
        {
            ["eventType"] = "COMPLETE",
            ["eventTime"] = "2026-11-21T10:30:00.000Z",
            ["run"] = new JsonObject { ["runId"] = Guid.NewGuid().ToString(), ["facets"] = kind == "RunFacet" ? node.DeepClone() : new JsonObject() },
            ["job"] = new JsonObject { ["namespace"] = "openlineage-spec", ["name"] = "facets." + folder, ["facets"] = kind == "JobFacet" ? node.DeepClone() : new JsonObject() },
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["namespace"] = "postgres://db:5432", ["name"] = "public.in",
                ["facets"] = kind == "DatasetFacet" ? node.DeepClone() : new JsonObject(),
                ["inputFacets"] = kind == "InputDatasetFacet" ? node.DeepClone() : new JsonObject(),
            }),
            ["outputs"] = new JsonArray(new JsonObject
            {
                ["namespace"] = "s3://lake", ["name"] = "out",
                ["outputFacets"] = kind == "OutputDatasetFacet" ? node.DeepClone() : new JsonObject(),
            }),
            ["producer"] = "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/client/python",
            ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        };
        var report = (await PostAsync(writer, e.ToJsonString())).GetProperty("reportLineageToPurview");
        Assert.Equal("Succeeded", report.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Facets_without_producer_and_schema_url_are_accepted()
    {
        using var writer = _host.Host.Client("ol-writer");
        var e = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(7), ns: "openlineage-spec", parent: null);
        e["run"] = new { runId = Guid.NewGuid().ToString(), facets = new { nominalTime = new { nominalStartTime = "2026-11-21T10:00:00Z" } } };
        e["job"] = new { @namespace = "openlineage-spec", name = "bare_facets", facets = new { sql = new { query = "select 1" } } };
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", e), 201);
    }
}
