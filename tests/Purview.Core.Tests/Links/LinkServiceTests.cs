using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.DataMap;
using Purview.Core.Links;
using Purview.Core.Tests.Fakes;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Links;

public sealed class LinkServiceTests : IDisposable
{
    private readonly LinkWorld _world = new();

    private LinkService Links => _world.Service;

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Connecting_trims_and_dedupes_the_writers_and_a_second_put_updates_the_link()
    {
        var (link, created) = Ok(await Links.PutAsync(AccessWorld.Admin, "azuredatafactory", "adf-prod", "FINANCE", [" pusher ", "PUSHER", "ops"], default));
        _world.Access.Clock.Advance(TimeSpan.FromMinutes(1));
        var (updated, createdAgain) = Ok(await Links.PutAsync(AccessWorld.Caller("other-admin"), "AzureDataFactory", "ADF-PROD", "sales", ["ops"], default));

        Assert.True(created);
        Assert.Equal((LinkSourceType.AzureDataFactory, "finance"), (link.SourceType, link.Collection));
        Assert.Equal(["pusher", "ops"], link.Writers);
        Assert.False(createdAgain);
        Assert.Equal(("adf-prod", "admin", AccessWorld.T0, "sales"), (updated.Name, updated.CreatedBy, updated.CreatedAt, updated.Collection));
        Assert.Equal(["link.connect", "link.update"], _world.Access.Audit.Entries.Select(e => e.Action));
    }

    [Theory]
    [InlineData("Kafka", "adf-prod", "finance", "sourceType")]
    [InlineData("AzureDataFactory", "-bad-", "finance", "sourceName")]
    [InlineData("AzureDataFactory", "adf-prod", null, "collection")]
    [InlineData("AzureDataFactory", "adf-prod", "nowhere", "collection")]
    public async Task Connecting_checks_the_source_and_its_collection(string type, string name, string? collection, string field)
    {
        Invalid(await Links.PutAsync(AccessWorld.Admin, type, name, collection, ["pusher"], default), field);
        Assert.Empty(await _world.Links.ListAsync(default));
    }

    [Fact]
    public async Task Connecting_checks_the_writers()
    {
        Invalid(await Links.PutAsync(AccessWorld.Admin, "AzureDataFactory", "adf-prod", "finance", [], default), "writers");
        Invalid(await Links.PutAsync(AccessWorld.Admin, "AzureDataFactory", "adf-prod", "finance", ["pusher", " "], default), "writers[1]");
        Invalid(await Links.PutAsync(AccessWorld.Admin, "AzureDataFactory", "adf-prod", "finance", Enumerable.Range(0, LinkService.MaxWriters + 1).Select(i => (string?)$"w{i}").ToList(), default), "writers");
    }

    [Fact]
    public async Task A_push_to_a_source_that_is_not_connected_says_how_to_connect_it()
    {
        var error = Fails(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(), default), ErrorKind.NotFound, "LinkNotConnected");

        Assert.Contains("PUT /links/AzureDataFactory/adf-prod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_writers_holding_data_curator_on_the_links_collection_may_push()
    {
        await _world.ConnectAsync(writers: ["pusher", "outsider"]);

        Fails(await Links.PushActivityRunAsync(AccessWorld.Caller("stranger"), "AzureDataFactory", "adf-prod", _world.CopyRun(), default), ErrorKind.Forbidden, "Forbidden");
        var noRole = Fails(await Links.PushActivityRunAsync(AccessWorld.Caller("outsider"), "AzureDataFactory", "adf-prod", _world.CopyRun(), default), ErrorKind.Forbidden, "Forbidden");
        Assert.Contains("Data curator", noRole.Message, StringComparison.Ordinal);
        Assert.Empty(_world.DataMap.Entities);
    }

    [Fact]
    public async Task A_succeeded_run_writes_its_lineage_once_and_a_repeated_push_answers_the_first_report()
    {
        await _world.ConnectAsync();

        var first = Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(), default));
        var entities = _world.DataMap.Entities.Count;
        var again = Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(), default));

        Assert.Equal(LineageReport.Succeeded, first.Status);
        Assert.True(first.AssetsIngested > 0 && first.RelationshipsIngested > 0);
        Assert.Equal(entities, first.AssetsIngested);
        Assert.Equal(first, again);
        Assert.Equal(entities, _world.DataMap.Entities.Count);
        var recorded = Assert.Single(_world.Events.Events);
        Assert.Equal(("daily/copy-sales", "activityrun|run-1", first.AssetsIngested), (recorded.SubArtifact, recorded.DedupeKey, recorded.Assets));
        Assert.All(_world.DataMap.Entities, e => Assert.Equal("finance", _world.DataMap.OwnerOf(e.Guid)));
    }

    [Fact]
    public async Task A_failed_run_is_recorded_without_lineage()
    {
        await _world.ConnectAsync();

        var report = Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(status: "Failed"), default));

        Assert.Equal((LineageReport.NotReported, 0, 0), (report.Status, report.AssetsIngested, report.RelationshipsIngested));
        Assert.Empty(_world.DataMap.Entities);
        Assert.Equal("Failed", Ok(await Links.GetRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", "run-1", default)).State);
    }

    [Fact]
    public async Task A_run_without_a_supported_source_names_the_unsupported_types()
    {
        await _world.ConnectAsync();

        var report = Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(inputType: "kafka_topic"), default));

        Assert.Equal(LineageReport.NotReported, report.Status);
        Assert.Contains("unsupported: kafka_topic", report.Reason, StringComparison.Ordinal);
        Assert.Empty(_world.DataMap.Entities);
    }

    [Fact]
    public async Task OpenLineage_sources_do_not_push_activity_runs()
    {
        await _world.ConnectAsync("OpenLineage", "airflow-prod");

        Invalid(await Links.PushActivityRunAsync(LinkWorld.Pusher, "OpenLineage", "airflow-prod", _world.CopyRun(), default), "sourceType");
    }

    [Fact]
    public async Task A_late_run_marks_its_closed_hour_for_aggregation_and_a_run_past_retention_is_not_recorded()
    {
        await _world.ConnectAsync();

        Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("late", endedAgo: TimeSpan.FromHours(3)), default));
        Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("ancient", endedAgo: LinkService.Retention + TimeSpan.FromDays(1)), default));

        Assert.Equal([LinkHours.Floor(_world.Now - TimeSpan.FromHours(3))], await _world.Aggregates.ListDirtyHoursAsync(default));
        Assert.Equal(["activityrun|late"], _world.Events.Events.Select(e => e.DedupeKey));
    }

    [Fact]
    public async Task Entities_another_collection_owns_are_left_alone_and_reported()
    {
        await _world.ConnectAsync();
        var sink = DataMapEntity.Create("azure_sql_table", "mssql://sql.contoso.com/db/dbo/sales", "sales", "sales", false, _world.Now);
        await _world.DataMap.ClaimAsync("sales", [sink], default);

        var report = Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(), default));

        var skipped = Assert.Single(report.Skipped!);
        Assert.Equal(("azure_sql_table", "mssql://sql.contoso.com/db/dbo/sales", LineageSkip.OwnedByAnotherCollection), (skipped.TypeName, skipped.QualifiedName, skipped.Reason));
        Assert.DoesNotContain(_world.DataMap.Entities, e => e.Guid == sink.Guid);
        Assert.Equal("sales", _world.DataMap.OwnerOf(sink.Guid));
    }

    [Fact]
    public async Task A_link_changed_here_is_seen_by_the_next_push_at_once()
    {
        await _world.ConnectAsync();
        Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("r1"), default));

        Ok(await Links.PutAsync(AccessWorld.Admin, "AzureDataFactory", "adf-prod", "finance", ["someone-else"], default));
        Fails(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("r2"), default), ErrorKind.Forbidden, "Forbidden");

        Ok(await Links.DeleteAsync(AccessWorld.Admin, "AzureDataFactory", "adf-prod", default));
        Fails(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("r3"), default), ErrorKind.NotFound, "LinkNotConnected");
        Assert.Equal("link.disconnect", _world.Access.Audit.Entries[^1].Action);
    }

    [Fact]
    public async Task A_disconnect_on_another_host_is_seen_within_the_cache_lifetime()
    {
        await _world.ConnectAsync();
        Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("r1"), default));
        Assert.True(await _world.Links.DeleteAsync(LinkSourceType.AzureDataFactory, "adf-prod", default));

        Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("r2"), default));
        _world.Access.Clock.Advance(LinkDirectory.CacheLifetime);
        Fails(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun("r3"), default), ErrorKind.NotFound, "LinkNotConnected");
    }

    [Fact]
    public async Task Runs_are_read_by_writers_and_admins_and_hidden_from_callers_without_a_role()
    {
        await _world.ConnectAsync();
        Ok(await Links.PushActivityRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", _world.CopyRun(), default));
        _world.Access.Grant("finance", Role.DataReader, "reader");

        Assert.Equal("Succeeded", Ok(await Links.GetRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", "run-1", default)).Report.Status);
        Assert.Equal("run-1", Ok(await Links.GetRunAsync(AccessWorld.Admin, "AzureDataFactory", "adf-prod", "run-1", default)).RunId);
        Fails(await Links.GetRunAsync(AccessWorld.Caller("reader"), "AzureDataFactory", "adf-prod", "run-1", default), ErrorKind.Forbidden, "Forbidden");
        Fails(await Links.GetRunAsync(AccessWorld.Caller("stranger"), "AzureDataFactory", "adf-prod", "run-1", default), ErrorKind.NotFound, "LinkNotConnected");
        Fails(await Links.GetRunAsync(LinkWorld.Pusher, "AzureDataFactory", "adf-prod", "run-2", default), ErrorKind.NotFound, "NotFound");
    }

    [Fact]
    public async Task OpenLineage_events_are_judged_one_by_one_and_a_repeat_in_the_same_array_is_a_duplicate()
    {
        await _world.ConnectAsync("OpenLineage", "airflow-prod");
        var complete = RunEvent("COMPLETE", "airflow-prod");

        var results = await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [complete, RunEvent("COMPLETE", "elsewhere"), complete], default);

        Assert.Equal((false, LineageReport.Succeeded), (results[0].Duplicate, results[0].ReportLineageToPurview!.Status));
        Assert.True(results[0].ReportLineageToPurview!.AssetsIngested > 0);
        Assert.Equal("LinkNotConnected", results[1].Error!.Code);
        Assert.True(results[2].Duplicate);
        Assert.Single(_world.Events.Events);

        var retried = Assert.Single(await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [complete], default));
        Assert.True(retried.Duplicate);
        Assert.Equal(0, retried.ReportLineageToPurview!.AssetsIngested);
    }

    [Fact]
    public async Task An_OpenLineage_parent_may_only_be_placed_in_a_namespace_the_caller_pushes_to()
    {
        await _world.ConnectAsync("OpenLineage", "airflow-prod");
        var withParent = RunEvent("COMPLETE", "airflow-prod") with { ParentNamespace = "scheduler-x", ParentName = "dag" };

        var result = Assert.Single(await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [withParent], default));

        Assert.Equal((ErrorKind.Forbidden, "ParentNamespaceNotAllowed"), (result.Error!.Kind, result.Error.Code));
        Assert.Equal("run.facets.parent.job.namespace", Assert.Single(result.Error.Fields).Field);
        Assert.Empty(_world.DataMap.Entities);
    }

    [Fact]
    public async Task An_OpenLineage_run_gets_the_union_of_its_events_datasets_when_it_completes()
    {
        await _world.ConnectAsync("OpenLineage", "airflow-prod");
        var runId = Guid.NewGuid().ToString();
        var start = RunEvent("START", "airflow-prod", runId) with { Outputs = [] };
        var complete = RunEvent("COMPLETE", "airflow-prod", runId) with { Inputs = [], EventTime = start.EventTime.AddMinutes(1) };

        var started = Assert.Single(await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [start], default));
        Assert.Equal(LineageReport.NotReported, started.ReportLineageToPurview!.Status);
        Assert.Empty(_world.DataMap.Entities);

        var completed = Assert.Single(await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [complete], default));
        Assert.Equal(LineageReport.Succeeded, completed.ReportLineageToPurview!.Status);
        Assert.Contains(_world.DataMap.Entities, e => e.QualifiedName.Contains("in-table", StringComparison.Ordinal));
        Assert.Contains(_world.DataMap.Entities, e => e.QualifiedName.Contains("out-table", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_recording_its_datasets_while_its_runs_complete_is_planned_still_gets_its_lineage()
    {
        await _world.ConnectAsync("OpenLineage", "airflow-prod");
        var runId = Guid.NewGuid().ToString();
        var start = RunEvent("START", "airflow-prod", runId) with { Inputs = [new OpenLineageDataset("postgres://db:5432", "public.early-in")], Outputs = [] };
        var complete = RunEvent("COMPLETE", "airflow-prod", runId) with { EventTime = start.EventTime.AddMinutes(1) };

        // The START is held just before its states are recorded (planned while the run had not completed) while the
        // COMPLETE goes through whole without seeing its datasets.
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _world.Runs.BeforeRecordingStates = async states =>
        {
            if (states.Any(s => s.State == "START"))
            {
                held.SetResult();
                await release.Task;
            }
        };
        var starting = Links.IngestOpenLineageAsync(LinkWorld.Pusher, [start], default);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var completed = Assert.Single(await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [complete], default));
        var seenByTheComplete = _world.DataMap.Entities.Any(e => e.QualifiedName.Contains("early-in", StringComparison.Ordinal));
        release.SetResult();
        var started = Assert.Single(await starting.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.False(seenByTheComplete);
        Assert.Equal(LineageReport.Succeeded, completed.ReportLineageToPurview!.Status);
        Assert.Contains(_world.DataMap.Entities, e => e.QualifiedName.Contains("early-in", StringComparison.Ordinal));
        Assert.Equal(LineageReport.Succeeded, started.ReportLineageToPurview!.Status);
        Assert.Equal(1, started.ReportLineageToPurview.AssetsIngested);
        Assert.Equal(started.ReportLineageToPurview.AssetsIngested, Assert.Single(_world.Events.Events, e => e.Kind == "run:START").Assets);
    }

    [Fact]
    public async Task A_start_whose_run_has_not_completed_keeps_its_datasets_waiting()
    {
        await _world.ConnectAsync("OpenLineage", "airflow-prod");
        var start = RunEvent("START", "airflow-prod", Guid.NewGuid().ToString());

        var started = Assert.Single(await Links.IngestOpenLineageAsync(LinkWorld.Pusher, [start], default));

        Assert.Equal(LineageReport.NotReported, started.ReportLineageToPurview!.Status);
        Assert.Empty(_world.DataMap.Entities);
    }

    private OpenLineageEvent RunEvent(string type, string jobNamespace, string? runId = null) => new(
        OpenLineageEventKind.Run, type, _world.Now - TimeSpan.FromMinutes(1), runId ?? "0b5a1f2e-93a4-4d5e-8a2e-2f1a9c0d7e11", jobNamespace, "etl.load", null, null,
        [new OpenLineageDataset("postgres://db:5432", "public.in-table")], [new OpenLineageDataset("postgres://db:5432", "public.out-table")], null, "https://example.com/producer");
}
