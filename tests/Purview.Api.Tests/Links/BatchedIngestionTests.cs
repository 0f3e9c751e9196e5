using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Purview.Core.Links;
using Purview.Storage.Links;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

/// <summary>
/// The batched push path: arrays processed together, duplicates inside an array and across concurrent requests, and
/// crashes between the data-map write and the raw event (simulated by an event store that fails its first writes).
/// </summary>
public sealed class BatchedIngestionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly FailingEventStore.Switch _failures = new();
    private LinksHost _host = null!;

    public async Task InitializeAsync() => _host = await LinksHost.StartAsync(azurite, services =>
    {
        services.AddSingleton(_failures);
        services.Replace(ServiceDescriptor.Singleton<ILinkEventStore>(sp => new FailingEventStore(sp.GetRequiredService<TableLinkEventStore>(), _failures)));
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static List<JsonElement> Results(JsonElement body) => body.GetProperty("value").EnumerateArray().ToList();

    private static int Assets(JsonElement result) => result.GetProperty("reportLineageToPurview").GetProperty("assetsIngested").GetInt32();

    private static int Relationships(JsonElement result) => result.GetProperty("reportLineageToPurview").GetProperty("relationshipsIngested").GetInt32();

    [Fact]
    public async Task The_same_event_twice_in_one_array_counts_once_and_each_new_entity_is_credited_to_one_event()
    {
        using var writer = _host.Host.Client("ol-writer");
        var complete = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(5), job: "dup_job");
        var sibling = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(6), job: "other_job", inputs: 3);
        var body = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", new[] { complete, complete, sibling }), 200);

        var results = Results(body).ToList();
        Assert.Equal([false, true, false], results.Select(r => r.GetProperty("duplicate").GetBoolean()).ToList());
        // dup_job: namespace, parent, job, 2 inputs, 1 output; 3 lineage + 2 parent relationships.
        Assert.Equal((6, 5), (Assets(results[0]), Relationships(results[0])));
        Assert.Equal((0, 0), (Assets(results[1]), Relationships(results[1])));
        Assert.Equal("Succeeded", results[1].GetProperty("reportLineageToPurview").GetProperty("status").GetString());
        // other_job shares the namespace, the parent and the first two inputs: new are the job, source2 and its relations.
        Assert.Equal((2, 5), (Assets(results[2]), Relationships(results[2])));

        var events = (await _host.Host.Services.GetEventsAsync(LinksHost.Start)).Where(e => e.SubArtifact.EndsWith("dup_job", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, Assert.Single(events).Assets);
    }

    [Fact]
    public async Task The_same_event_sent_concurrently_is_counted_by_exactly_one_of_the_requests()
    {
        using var writer = _host.Host.Client("ol-writer");
        var complete = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(7), job: "racy_job", parent: "racy_dag");
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", complete), 201)));

        var counted = Assert.Single(responses, r => !r.GetProperty("duplicate").GetBoolean());
        Assert.Equal((6, 5), (Assets(counted), Relationships(counted)));
        Assert.All(responses.Where(r => r.GetProperty("duplicate").GetBoolean()), r => Assert.Equal(0, Assets(r)));
        var events = (await _host.Host.Services.GetEventsAsync(LinksHost.Start)).Where(e => e.SubArtifact == "racy_dag/racy_job").ToList();
        Assert.Equal(6, Assert.Single(events).Assets);
    }

    [Fact]
    public async Task An_array_that_failed_after_its_lineage_was_written_is_counted_exactly_when_retried()
    {
        using var writer = _host.Host.Client("ol-writer");
        var batch = new[]
        {
            LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(8), job: "crash_job", parent: "crash_dag"),
            LinksHost.RunEvent("START", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(8), job: "crash_job", parent: "crash_dag"),
        };
        _failures.FailNext(1);
        using (var failed = await writer.PostAsJsonAsync("/api/v1/lineage", batch))
        {
            Assert.Equal(500, (int)failed.StatusCode);
        }

        Assert.DoesNotContain(await _host.Host.Services.GetEventsAsync(LinksHost.Start), e => e.SubArtifact == "crash_dag/crash_job");
        var retried = Results(await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", batch), 200)).ToList();
        Assert.All(retried, r => Assert.False(r.GetProperty("duplicate").GetBoolean()));
        Assert.Equal((6, 5), (Assets(retried[0]), Relationships(retried[0])));
        var events = (await _host.Host.Services.GetEventsAsync(LinksHost.Start)).Where(e => e.SubArtifact == "crash_dag/crash_job").ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(6, events.Sum(e => e.Assets));

        var again = Results(await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", batch), 200)).ToList();
        Assert.All(again, r => Assert.True(r.GetProperty("duplicate").GetBoolean()));
    }

    [Fact]
    public async Task A_native_run_that_failed_before_its_raw_event_was_recorded_is_aggregated_once_when_retried()
    {
        using var writer = _host.Host.Client("adf-writer");
        var run = LinksHost.CopyRun("run-crash", LinksHost.Start, pipeline: "crashpipe");
        _failures.FailNext(1);
        using (var failed = await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", run))
        {
            Assert.Equal(500, (int)failed.StatusCode);
        }

        var report = await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", run), 200);
        Assert.Equal(7, report.GetProperty("assetsIngested").GetInt32());
        Assert.Equal(6, report.GetProperty("relationshipsIngested").GetInt32());
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", run), 200);
        var events = (await _host.Host.Services.GetEventsAsync(LinksHost.Start)).Where(e => e.SubArtifact == "crashpipe/copy1").ToList();
        Assert.Equal((7, 6), (Assert.Single(events).Assets, events[0].Relationships));
    }

    [Fact]
    public async Task A_state_event_older_than_the_complete_keeps_the_complete_state_and_its_report()
    {
        using var writer = _host.Host.Client("ol-writer");
        var runId = Guid.NewGuid().ToString();
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("COMPLETE", runId, LinksHost.Start.AddMinutes(9), job: "order_job")), 201);
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("RUNNING", runId, LinksHost.Start.AddMinutes(4), job: "order_job")), 201);
        var state = await LinksHost.JsonAsync(await writer.GetAsync(new Uri($"/links/OpenLineage/airflow-prod/activityruns/{runId}", UriKind.Relative)), 200);
        Assert.Equal("COMPLETE", state.GetProperty("state").GetString());
        Assert.Equal("Succeeded", state.GetProperty("reportLineageToPurview").GetProperty("status").GetString());

        // A later FAIL becomes the state; the lineage the COMPLETE reported stays with the run.
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("FAIL", runId, LinksHost.Start.AddMinutes(12), job: "order_job")), 201);
        state = await LinksHost.JsonAsync(await writer.GetAsync(new Uri($"/links/OpenLineage/airflow-prod/activityruns/{runId}", UriKind.Relative)), 200);
        Assert.Equal("FAIL", state.GetProperty("state").GetString());
        Assert.Equal("Succeeded", state.GetProperty("reportLineageToPurview").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_disconnected_source_is_refused_at_once_though_links_are_cached()
    {
        await _host.ConnectAsync("OpenLineage", "short-lived", "finance", "ol-writer");
        using var writer = _host.Host.Client("ol-writer");
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("START", Guid.NewGuid().ToString(), LinksHost.Start, ns: "short-lived")), 201);
        await LinksHost.JsonAsync(await _host.Admin.DeleteAsync(new Uri("/links/OpenLineage/short-lived", UriKind.Relative)), 204);
        await LinksHost.JsonAsync(await writer.PostAsJsonAsync("/api/v1/lineage", LinksHost.RunEvent("START", Guid.NewGuid().ToString(), LinksHost.Start, ns: "short-lived")), 404);
    }

    /// <summary>The real event store, except that its next writes (<see cref="Switch.FailNext"/>) fail as a crash would (nothing written).</summary>
    private sealed class FailingEventStore(ILinkEventStore inner, FailingEventStore.Switch failures) : ILinkEventStore
    {
        public sealed class Switch
        {
            private int _remaining;

            public void FailNext(int writes) => Volatile.Write(ref _remaining, writes);

            public bool TakeFailure() => Interlocked.Decrement(ref _remaining) >= 0;
        }

        public Task<bool> TryAddAsync(LinkEvent linkEvent, CancellationToken cancellationToken) => Fail() ?? inner.TryAddAsync(linkEvent, cancellationToken);

        public async Task<IReadOnlyList<bool>> TryAddManyAsync(IReadOnlyList<LinkEvent> linkEvents, CancellationToken cancellationToken) =>
            Fail() is { } failed ? [await failed] : await inner.TryAddManyAsync(linkEvents, cancellationToken);

        public Task<IReadOnlyList<LinkEvent>> ListHourAsync(DateTimeOffset hour, CancellationToken cancellationToken) => inner.ListHourAsync(hour, cancellationToken);

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => inner.DeleteBeforeAsync(cutoff, cancellationToken);

        private Task<bool>? Fail() =>
            failures.TakeFailure() ? Task.FromException<bool>(new InvalidOperationException("simulated crash before the raw events were written")) : null;
    }
}
