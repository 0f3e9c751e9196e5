using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Links;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Links;

public sealed class LinkAggregationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private LinksHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LinksHost.StartAsync(azurite);
        using var adf = _host.Host.Client("adf-writer");
        await LinksHost.JsonAsync(await adf.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-1", LinksHost.Start)), 200);
        await LinksHost.JsonAsync(await adf.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns", LinksHost.CopyRun("run-1", LinksHost.Start)), 200);
        await LinksHost.JsonAsync(await adf.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns",
            LinksHost.CopyRun("run-2", LinksHost.Start.AddMinutes(20), pipeline: "pipe2", activity: "copy2")), 200);
        using var ol = _host.Host.Client("ol-writer");
        var complete = LinksHost.RunEvent("COMPLETE", Guid.NewGuid().ToString(), LinksHost.Start.AddMinutes(5));
        await LinksHost.JsonAsync(await ol.PostAsJsonAsync("/api/v1/lineage", complete), 201);
        await LinksHost.JsonAsync(await ol.PostAsJsonAsync("/api/v1/lineage", complete), 201);
        _host.Time.SetUtcNow(LinksHost.Start.AddHours(1).AddMinutes(5));
        await _host.Host.Services.RunHourlyAsync(_host.Time.GetUtcNow());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> GetAsync(string path, int status = 200, string principal = "admin")
    {
        using var client = _host.Host.Client(principal);
        return await LinksHost.JsonAsync(await client.GetAsync(new Uri(path, UriKind.Relative)), status);
    }

    [Fact]
    public async Task The_hourly_job_aggregates_the_closed_hour_per_source_and_per_pipeline_activity()
    {
        var sources = await GetAsync("/monitoring/links?period=7d&orderBy=sourceName");
        var rows = sources.GetProperty("value").EnumerateArray().ToDictionary(r => r.GetProperty("sourceName").GetString()!);
        // run-1 counted once though sent twice; run-2 reused every dataset: only its pipeline, activity, operation and their relations are new.
        Assert.Equal(7 + 3, rows["factory1"].GetProperty("assetsIngested").GetInt64());
        Assert.Equal(6 + 6, rows["factory1"].GetProperty("relationshipsIngested").GetInt64());
        Assert.Equal(2, rows["factory1"].GetProperty("activityRuns").GetInt64());
        Assert.Equal(6, rows["airflow-prod"].GetProperty("assetsIngested").GetInt64());
        Assert.Equal(5, rows["airflow-prod"].GetProperty("relationshipsIngested").GetInt64());
        Assert.Equal(LinksHost.Start.AddMinutes(22), rows["factory1"].GetProperty("lastRunTime").GetDateTimeOffset());

        var drill = await GetAsync("/monitoring/links/AzureDataFactory/factory1?period=7d");
        Assert.Equal(["pipe1/copy1", "pipe2/copy2"], drill.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order().ToList());
        var ol = await GetAsync("/monitoring/links/OpenLineage/airflow-prod?period=7d");
        Assert.Equal("daily_dag/load_sales", ol.GetProperty("value")[0].GetProperty("name").GetString());

        var summary = await GetAsync("/monitoring/links/summary");
        Assert.Equal(2, summary.GetProperty("sources").GetInt32());
        Assert.Equal(16, summary.GetProperty("assets").GetInt64());
        Assert.Equal("daily", summary.GetProperty("granularity").GetString());
        Assert.Equal(LinksHost.Start.AddHours(1), summary.GetProperty("reportedTill").GetDateTimeOffset());
        var hourly = await GetAsync("/monitoring/links/summary?period=7d");
        Assert.Equal("hourly", hourly.GetProperty("granularity").GetString());
        Assert.Equal(16, hourly.GetProperty("trend").EnumerateArray().Single(p => p.GetProperty("time").GetDateTimeOffset() == LinksHost.Start).GetProperty("assets").GetInt64());
    }

    [Fact]
    public async Task A_late_event_changes_its_hours_aggregate_at_the_next_run()
    {
        _host.Time.SetUtcNow(LinksHost.Start.AddHours(1).AddMinutes(10));
        using var adf = _host.Host.Client("adf-writer");
        await LinksHost.JsonAsync(await adf.PostAsJsonAsync("/links/AzureDataFactory/factory1/activityruns",
            LinksHost.CopyRun("run-late", LinksHost.Start.AddMinutes(30), pipeline: "late", activity: "copy9")), 200);
        var before = await GetAsync("/monitoring/links/AzureDataFactory/factory1?period=7d");
        Assert.DoesNotContain("late/copy9", before.GetRawText(), StringComparison.Ordinal);

        _host.Time.SetUtcNow(LinksHost.Start.AddHours(2).AddMinutes(5));
        await _host.Host.Services.RunHourlyAsync(_host.Time.GetUtcNow());
        var after = await GetAsync("/monitoring/links/AzureDataFactory/factory1?period=7d");
        var late = after.GetProperty("value").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "late/copy9");
        Assert.Equal(3, late.GetProperty("assetsIngested").GetInt64());
        Assert.Equal(LinksHost.Start.AddHours(2), (await GetAsync("/monitoring/links/summary")).GetProperty("reportedTill").GetDateTimeOffset());
    }

    [Fact]
    public async Task Re_running_an_hour_gives_identical_aggregates()
    {
        var before = (await GetAsync("/monitoring/links?period=7d")).GetProperty("value").GetRawText();
        using var admin = _host.Admin;
        var first = await LinksHost.JsonAsync(await admin.PostAsync(new Uri("/links/aggregates:run?hour=2026-11-21T10:00:00Z", UriKind.Relative), null), 200);
        var second = await LinksHost.JsonAsync(await admin.PostAsync(new Uri("/links/aggregates:run?hour=2026-11-21T10:00:00Z", UriKind.Relative), null), 200);
        Assert.Equal(first.GetRawText(), second.GetRawText());
        await _host.Host.Services.RunHourlyAsync(_host.Time.GetUtcNow());
        Assert.Equal(before, (await GetAsync("/monitoring/links?period=7d")).GetProperty("value").GetRawText());
        await LinksHost.JsonAsync(await admin.PostAsync(new Uri("/links/aggregates:run?hour=2026-11-21T10:30:00Z", UriKind.Relative), null), 400);
    }

    [Fact]
    public async Task Data_older_than_45_days_disappears_after_retention_and_older_ranges_are_refused()
    {
        _host.Time.SetUtcNow(LinksHost.Start.AddDays(46));
        var refused = await GetAsync("/monitoring/links/summary?from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z", 400);
        Assert.True(refused.GetProperty("errors").TryGetProperty("from", out _), refused.GetRawText());

        await _host.Host.Services.RunRetentionAsync(_host.Time.GetUtcNow());
        Assert.Empty(await _host.Host.Services.GetEventsAsync(LinksHost.Start));
        var aggregates = await _host.Host.Services.GetRequiredService<ILinkAggregateStore>().QueryAsync(LinksHost.Start.AddDays(-1), LinksHost.Start.AddDays(2), null, wholeDays: true, CancellationToken.None);
        Assert.Empty(aggregates);
    }

    [Fact]
    public async Task Data_Factory_links_need_the_root_and_OpenLineage_links_the_collection()
    {
        var dana = await GetAsync("/monitoring/links?period=7d", principal: "dana");
        Assert.Equal(["airflow-prod"], dana.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("sourceName").GetString()).ToList());
        await GetAsync("/monitoring/links/summary", 403, "rita");
        await GetAsync("/monitoring/links/AzureDataFactory/factory1", 404, "dana");
    }
}
