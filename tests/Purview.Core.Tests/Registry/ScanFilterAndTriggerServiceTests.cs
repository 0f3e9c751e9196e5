using Purview.Core.Access;
using Purview.Core.Common;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.Tests.Fakes;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Registry;

public sealed class ScanFilterServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();

    public ScanFilterServiceTests()
    {
        Ok(_world.DataSources.PutDataSourceAsync(AccessWorld.Admin, "lake", new DataSourceInput("AzureStorage", RegistryWorld.Endpoint, "finance"), default).Result);
        Ok(_world.Scans.PutScanAsync(AccessWorld.Admin, "lake", "nightly", RegistryWorld.Msi(), default).Result);
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task A_scan_scans_everything_until_a_filter_is_stored()
    {
        var filter = Ok(await _world.Filters.GetFilterAsync(AccessWorld.Admin, "lake", "nightly", default));

        Assert.Empty(filter.IncludeUriPrefixes);
        Assert.Empty(filter.ExcludeUriPrefixes);
    }

    [Fact]
    public async Task A_stored_filter_is_read_back_and_audited_with_its_counts()
    {
        Ok(await _world.Filters.PutFilterAsync(AccessWorld.Admin, "lake", "nightly",
            [RegistryWorld.Endpoint + "raw/", RegistryWorld.Endpoint + "curated/"], [RegistryWorld.Endpoint + "raw/tmp/"], default));

        var filter = Ok(await _world.Filters.GetFilterAsync(AccessWorld.Admin, "lake", "nightly", default));
        Assert.Equal([RegistryWorld.Endpoint + "raw/", RegistryWorld.Endpoint + "curated/"], filter.IncludeUriPrefixes);
        Assert.Equal(("scan.filter.put", "include=2 exclude=1"), (_world.Access.Audit.Entries[^1].Action, _world.Access.Audit.Entries[^1].Details));
    }

    [Fact]
    public async Task Every_prefix_outside_the_sources_endpoint_is_named()
    {
        var error = Invalid(await _world.Filters.PutFilterAsync(AccessWorld.Admin, "lake", "nightly",
            [RegistryWorld.Endpoint + "raw/", "https://fabrikam.blob.core.windows.net/raw/"], ["not a url"], default), "properties.includeUriPrefixes[1]");

        Assert.Contains(error.Fields, f => f.Field == "properties.excludeUriPrefixes[0]");
        Assert.Equal(2, error.Fields.Count);
        Assert.Empty(Ok(await _world.Filters.GetFilterAsync(AccessWorld.Admin, "lake", "nightly", default)).IncludeUriPrefixes);
    }

    [Fact]
    public async Task Too_many_prefixes_are_refused()
    {
        var many = Enumerable.Range(0, ScanFilterService.MaxFilterPrefixes + 1).Select(i => $"{RegistryWorld.Endpoint}c{i}/").ToList();

        Invalid(await _world.Filters.PutFilterAsync(AccessWorld.Admin, "lake", "nightly", many, null, default), "properties.includeUriPrefixes");
    }
}

public sealed class ScanTriggerServiceTests : IDisposable
{
    private readonly RegistryWorld _world = new();

    public ScanTriggerServiceTests()
    {
        Ok(_world.DataSources.PutDataSourceAsync(AccessWorld.Admin, "lake", new DataSourceInput("AzureStorage", RegistryWorld.Endpoint, "finance"), default).Result);
        Ok(_world.Scans.PutScanAsync(AccessWorld.Admin, "lake", "nightly", RegistryWorld.Msi(), default).Result);
    }

    public void Dispose() => _world.Dispose();

    private static TriggerInput Daily(string start = "2026-11-02T01:00:00Z") => new("day", 1, start, null, null, null);

    [Fact]
    public async Task A_trigger_is_stored_in_utc_with_its_defaults()
    {
        var (trigger, created) = Ok(await _world.Triggers.PutTriggerAsync(AccessWorld.Admin, "lake", "nightly", Daily("2026-11-02T02:00:00+01:00"), default));

        Assert.True(created);
        Assert.Equal((TriggerFrequencies.Day, 1, ScanLevel.Full, true, "UTC"), (trigger.Frequency, trigger.Interval, trigger.ScanLevel, trigger.Enabled, trigger.TimeZone));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero), trigger.StartTime);
        Assert.Equal(TimeSpan.Zero, trigger.StartTime.Offset);
    }

    [Theory]
    [InlineData("fortnight", 1, "2026-11-02T01:00:00Z", null, null, null, null, "properties.recurrence.frequency")]
    [InlineData("Day", 0, "2026-11-02T01:00:00Z", null, null, null, null, "properties.recurrence.interval")]
    [InlineData("Day", 1, "tomorrow", null, null, null, null, "properties.recurrence.startTime")]
    [InlineData("Day", 1, "2026-11-02T01:00:00Z", "2026-11-01T00:00:00Z", null, null, null, "properties.recurrence.endTime")]
    [InlineData("Day", 1, "2026-11-02T01:00:00Z", null, "W. Europe Standard Time", null, null, "properties.recurrence.timeZone")]
    [InlineData("Day", 1, "2026-11-02T01:00:00Z", null, null, "Partial", null, "properties.scanLevel")]
    [InlineData("Day", 1, "2026-11-02T01:00:00Z", null, null, null, "Paused", "properties.state")]
    public async Task Invalid_recurrences_name_their_field(string frequency, int interval, string start, string? end, string? timeZone, string? level, string? state, string field)
    {
        Invalid(await _world.Triggers.PutTriggerAsync(AccessWorld.Admin, "lake", "nightly", new TriggerInput(frequency, interval, start, end, timeZone, level, state), default), field);
        Assert.Null(await _world.Store.GetTriggerAsync("lake", "nightly", default));
    }

    [Fact]
    public async Task Replacing_a_trigger_keeps_its_creation_time_and_deleting_it_leaves_none()
    {
        Ok(await _world.Triggers.PutTriggerAsync(AccessWorld.Admin, "lake", "nightly", Daily(), default));
        _world.Access.Clock.Advance(TimeSpan.FromHours(2));
        var (replaced, created) = Ok(await _world.Triggers.PutTriggerAsync(AccessWorld.Admin, "lake", "nightly", Daily() with { ScanLevel = "incremental", State = "Disabled" }, default));

        Assert.False(created);
        Assert.Equal((AccessWorld.T0, ScanLevel.Incremental, false), (replaced.CreatedAt, replaced.ScanLevel, replaced.Enabled));

        Ok(await _world.Triggers.DeleteTriggerAsync(AccessWorld.Admin, "lake", "nightly", default));
        Fails(await _world.Triggers.GetTriggerAsync(AccessWorld.Admin, "lake", "nightly", default), ErrorKind.NotFound, "NotFound");
        Assert.Equal(("trigger.delete", "finance"), (_world.Access.Audit.Entries[^1].Action, _world.Access.Audit.Entries[^1].Collection));
    }

    [Fact]
    public async Task Triggers_follow_the_sources_access_rules()
    {
        _world.Access.Grant("finance", Role.DataCurator, "bob");

        Fails(await _world.Triggers.PutTriggerAsync(AccessWorld.Caller("bob"), "lake", "nightly", Daily(), default), ErrorKind.Forbidden, "Forbidden");
        Fails(await _world.Triggers.PutTriggerAsync(AccessWorld.Caller("carol"), "lake", "nightly", Daily(), default), ErrorKind.NotFound, "NotFound");
    }
}
