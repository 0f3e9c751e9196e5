using System.Net.Http.Json;
using Purview.Core.DataMap;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

public sealed class OpenLineageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private LinksHost _host = null!;

    public async Task InitializeAsync() => _host = await LinksHost.StartAsync(azurite);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_complete_event_creates_the_job_between_its_inputs_and_outputs_under_its_parent()
    {
        using var writer = _host.Host.Client("ol-writer");
        var runId = Guid.NewGuid().ToString();
        var result = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", runId, LinksHost.Start.AddMinutes(5))), 201);
        var report = result.GetProperty("reportLineageToPurview");
        Assert.Equal("Succeeded", report.GetProperty("status").GetString());
        // namespace, parent job, job, 2 inputs, 1 output; 3 lineage + 2 parent relationships.
        Assert.Equal(6, report.GetProperty("assetsIngested").GetInt32());
        Assert.Equal(5, report.GetProperty("relationshipsIngested").GetInt32());

        var job = DataMapIds.EntityGuid("openlineage_job", "airflow-prod/load_sales");
        using var reader = _host.Host.Client("rita");
        var lineage = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/lineage/{job}?direction=BOTH&depth=1", UriKind.Relative)), 200);
        var relations = lineage.GetProperty("relations").EnumerateArray().Select(r => (r.GetProperty("fromEntityId").GetString(), r.GetProperty("toEntityId").GetString())).ToList();
        Assert.Equal(3, relations.Count);
        Assert.Contains((DataMapIds.EntityGuid("openlineage_dataset", "postgres://db:5432/public.source0"), job), relations);
        Assert.Contains((job, DataMapIds.EntityGuid("openlineage_dataset", "s3://lake/sales/part0")), relations);
        var parents = lineage.GetProperty("parentRelations").EnumerateArray().Select(r => (r.GetProperty("parentEntityId").GetString(), r.GetProperty("childEntityId").GetString())).ToList();
        var dag = DataMapIds.EntityGuid("openlineage_job", "airflow-prod/daily_dag");
        Assert.Contains((dag, job), parents);
        Assert.Contains((DataMapIds.EntityGuid("openlineage_namespace", "airflow-prod"), dag), parents);
    }

    [Fact]
    public async Task Starts_and_completes_of_the_same_runs_pushed_at_once_lose_no_dataset_of_either()
    {
        using var writer = _host.Host.Client("ol-writer");
        const int runs = 30;
        var pushes = Enumerable.Range(0, runs).SelectMany(i =>
        {
            var runId = Guid.NewGuid().ToString();
            var start = LinksHost.RunEvent("START", runId, LinksHost.Start.AddMinutes(10), job: $"race_job_{i}", outputs: 0);
            start["inputs"] = new[] { new { @namespace = "postgres://db:5432", name = $"public.early{i}" } };
            var complete = LinksHost.RunEvent("COMPLETE", runId, LinksHost.Start.AddMinutes(11), job: $"race_job_{i}");
            return new[] { start, complete };
        }).ToList();

        await Task.WhenAll(pushes.Select(async body => await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", body), 201)));

        using var reader = _host.Host.Client("rita");
        for (var i = 0; i < runs; i++)
        {
            var job = DataMapIds.EntityGuid("openlineage_job", $"airflow-prod/race_job_{i}");
            var lineage = await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/lineage/{job}?direction=INPUT&depth=1", UriKind.Relative)), 200);
            var inputs = lineage.GetProperty("relations").EnumerateArray().Select(r => r.GetProperty("fromEntityId").GetString()).ToHashSet();
            Assert.Contains(DataMapIds.EntityGuid("openlineage_dataset", $"postgres://db:5432/public.early{i}"), inputs);
            Assert.Contains(DataMapIds.EntityGuid("openlineage_dataset", "postgres://db:5432/public.source0"), inputs);
        }
    }

    [Fact]
    public async Task The_same_event_twice_counts_once_and_run_states_are_recorded()
    {
        using var writer = _host.Host.Client("ol-writer");
        var runId = Guid.NewGuid().ToString();
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("START", runId, LinksHost.Start.AddMinutes(1))), 201);
        var state = await LinksHost.JsonAsync(await writer.GetAsync(new Uri($"/links/OpenLineage/airflow-prod/activityruns/{runId}", UriKind.Relative)), 200);
        Assert.Equal("START", state.GetProperty("state").GetString());

        var complete = LinksHost.RunEvent("COMPLETE", runId, LinksHost.Start.AddMinutes(3));
        var first = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", complete), 201);
        var second = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", complete), 201);
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(0, second.GetProperty("reportLineageToPurview").GetProperty("assetsIngested").GetInt32());
        state = await LinksHost.JsonAsync(await writer.GetAsync(new Uri($"/links/OpenLineage/airflow-prod/activityruns/{runId}", UriKind.Relative)), 200);
        Assert.Equal("COMPLETE", state.GetProperty("state").GetString());
        Assert.Equal(6, state.GetProperty("reportLineageToPurview").GetProperty("assetsIngested").GetInt32());

        var events = await _host.Host.Services.GetEventsAsync(LinksHost.Start);
        Assert.Equal(2, events.Count);
    }

    [Fact]
    public async Task An_array_gets_a_result_per_event_and_dataset_and_job_events_are_accepted()
    {
        using var writer = _host.Host.Client("ol-writer");
        var batch = new object[]
        {
            LinksHost.RunEvent("START", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(1)),
            LinksHost.RunEvent("FAIL", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(2)),
            LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(2), ns: "not-connected"),
        };
        var results = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", batch), 200);
        var statuses = results.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("status").GetInt32()).ToList();
        Assert.Equal([201, 201, 404], statuses);
        Assert.Contains("PUT /links/OpenLineage/not-connected", results.GetProperty("value")[2].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        var dataset = new
        {
            eventTime = "2026-11-21T10:05:00Z",
            producer = "https://example.com/producer",
            schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
            dataset = new { @namespace = "airflow-prod", name = "reference.countries" },
        };
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", dataset), 201);
        var job = new
        {
            eventTime = "2026-11-21T10:06:00Z",
            producer = "https://example.com/producer",
            schemaURL = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
            job = new { @namespace = "airflow-prod", name = "static_job" },
            inputs = new[] { new { @namespace = "airflow-prod", name = "reference.countries" } },
            outputs = Array.Empty<object>(),
        };
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", job), 201);
        using var reader = _host.Host.Client("rita");
        await LinksHost.JsonAsync(await reader.GetAsync(new Uri($"/datamap/api/atlas/v2/entity/guid/{DataMapIds.EntityGuid("openlineage_job", "airflow-prod/static_job")}", UriKind.Relative)), 200);
    }

    [Fact]
    public async Task A_namespace_with_slashes_is_connected_through_an_escaped_route_segment()
    {
        await _host.ConnectAsync("OpenLineage", "s3://bucket", "finance", "ol-writer");
        using var writer = _host.Host.Client("ol-writer");
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start, ns: "s3://bucket")), 201);
        var link = await LinksHost.JsonAsync(await _host.Admin.GetAsync(new Uri("/links/OpenLineage/s3:%2F%2Fbucket", UriKind.Relative)), 200);
        Assert.Equal("s3://bucket", link.GetProperty("sourceName").GetString());
    }
}
