using System.Diagnostics;
using System.Text;
using Purview.Core.Common;
using Purview.Core.Connectors;
using Purview.Core.Tests.Fakes;
using Purview.Testing;
using Xunit;
using static Purview.Core.Tests.Fakes.ResultAssert;

namespace Purview.Core.Tests.Connectors;

public sealed class ImportServiceTests : IDisposable
{
    private const string Connector = "slack-1";
    private static readonly DateTimeOffset Sent = new(2026, 10, 31, 9, 0, 0, TimeSpan.Zero);

    private readonly AccessWorld _world = new();
    private readonly InMemoryConnectorStore _connectors = new();
    private readonly InMemoryImportStore _imports = new();
    private readonly MemoryImportSpool _spool = new();

    public ImportServiceTests()
    {
        _connectors.SaveAsync(new Connector(Connector, "Slack", "Slack", AccessWorld.T0, "admin", AccessWorld.T0), default).Wait();
        _connectors.MergeMappingsAsync(Connector, [new("U-ALICE", "alice@contoso.com"), new("U-ALIAS", "Alice@Contoso.com"), new("U-BOB", "bob@contoso.com")], default).Wait();
    }

    public void Dispose() => _world.Dispose();

    private ImportService Service(TimeProvider? time = null) => new(_connectors, _imports, _spool, _world.Access, time ?? _world.Clock);

    private static string Item(string id, string sender, string[] recipients, long size = 1000, string? attachments = null) =>
        $$"""{"itemId":"{{id}}","sender":"{{sender}}","recipients":[{{string.Join(",", recipients.Select(r => $"\"{r}\""))}}],"sizeBytes":{{size}},"timestamp":"{{Sent:O}}"{{(attachments is null ? "" : ",\"attachments\":" + attachments)}}}""";

    private static MemoryStream Body(string? importId, params string[] items) =>
        new(Encoding.UTF8.GetBytes($$"""{{{(importId is null ? "" : $"\"importId\":\"{importId}\",")}}"items":[{{string.Join(",", items)}}]}"""));

    [Fact]
    public async Task Each_participant_gets_a_copy_and_every_outcome_is_counted()
    {
        var body = Body("batch-1",
            Item("m1", "U-ALICE", ["U-BOB", "u-alice", "U-CAROL"]), // alice, bob imported; carol has no mapping
            Item("m2", "U-BOB", ["U-ALICE"], size: ConnectorRules.MaxItemSizeBytes + 1), // too large for both
            Item("m3", "U-ALICE", ["U-BOB"], attachments: """[{"name":"run.exe","sizeBytes":10}]"""), // attachment dropped
            Item("m4", "U-ALICE", ["U-ALIAS"])); // two ids, one mailbox

        var (summary, replayed) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, body, default));

        Assert.False(replayed);
        Assert.Equal((4L, 9L), (summary.ItemsAvailableFromSource, summary.ItemsAvailableForImport));
        Assert.Equal((3L, 2L, 1L, 3L), (summary.ItemsImportedSuccessfully, summary.ItemsPartiallyImported, summary.ItemsSkipped, summary.ItemsFailed));
        Assert.True(summary.InvariantHolds);
        Assert.Equal(("batch-1", AccessWorld.T0, ConnectorRules.Today(AccessWorld.T0)), (summary.ImportId, summary.ImportCompletionTime, summary.FailureDay));
        Assert.Equal(
            [("m1", "U-CAROL", ConnectorRules.UserMappingFailure), ("m2", "U-ALICE", ConnectorRules.ItemSizeExceeded), ("m2", "U-BOB", ConnectorRules.ItemSizeExceeded)],
            _imports.Failures(Connector, "batch-1").Select(f => (f.ItemId, f.SourceUserId, f.Reason)).OrderBy(f => f.ItemId).ThenBy(f => f.SourceUserId));
        Assert.Contains(_imports.Copies(Connector), c => c is { ItemId: "m3", Status: CopyStatus.PartiallyImported });
        Assert.Equal(("connectors.import", Connector), (_world.Audit.Entries[^1].Action, _world.Audit.Entries[^1].Target));
        Assert.Equal((1, true), (_spool.Created, _spool.AllDisposed));
    }

    [Fact]
    public async Task The_same_bytes_again_replay_the_first_summary()
    {
        var bytes = Body(null, Item("m1", "U-ALICE", ["U-BOB"])).ToArray();

        var (first, _) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, new MemoryStream(bytes), default));
        _world.Clock.Advance(TimeSpan.FromHours(1));
        var (again, replayed) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, new MemoryStream(bytes), default));

        Assert.StartsWith("sha256-", first.ImportId, StringComparison.Ordinal);
        Assert.True(replayed);
        Assert.Equal(first, again);
        Assert.Single(_world.Audit.Entries);
        Assert.Equal((2, true), (_spool.Created, _spool.AllDisposed));
    }

    [Fact]
    public async Task An_item_imported_by_an_earlier_import_is_skipped()
    {
        Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, Body("first", Item("m1", "U-ALICE", ["U-BOB"])), default));

        var (second, replayed) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, Body("second", Item("m1", "U-ALICE", ["U-BOB"]), Item("m2", "U-BOB", [])), default));

        Assert.False(replayed);
        Assert.Equal((2L, 1L, 0L), (second.ItemsSkipped, second.ItemsImportedSuccessfully, second.ItemsFailed));
    }

    [Fact]
    public async Task A_users_mapping_failure_is_detailed_once_a_day_but_counted_by_every_import()
    {
        var (first, _) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, Body("first", Item("m1", "U-CAROL", [])), default));
        var (second, _) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, Body("second", Item("m2", "U-CAROL", [])), default));

        Assert.Equal((1L, 1L), (first.ItemsFailed, second.ItemsFailed));
        Assert.Single(_imports.Failures(Connector, "first"));
        Assert.Empty(_imports.Failures(Connector, "second"));
    }

    [Fact]
    public async Task A_bad_item_anywhere_writes_nothing_and_names_its_field()
    {
        var body = Body("bad", Item("m1", "U-ALICE", ["U-BOB"]), """{"itemId":"m2","sender":"U-BOB","recipients":[],"sizeBytes":"big","timestamp":"2026-10-31T09:00:00Z"}""");

        var error = Fails(await Service().ImportAsync(AccessWorld.Admin, Connector, body, default), ErrorKind.Validation, "InvalidInput");

        Assert.StartsWith("items[1]", Assert.Single(error.Fields).Field, StringComparison.Ordinal);
        Assert.Empty(_imports.Copies(Connector));
        Assert.Null(await _imports.FindSummaryAsync(Connector, "bad", default));
        Assert.True(_spool.AllDisposed);
    }

    [Fact]
    public async Task An_unknown_or_malformed_connector_is_refused_before_the_body_is_read()
    {
        Fails(await Service().ImportAsync(AccessWorld.Admin, "teams-9", Body(null), default), ErrorKind.NotFound, "NotFound");
        Fails(await Service().ImportAsync(AccessWorld.Admin, "bad id!", Body(null), default), ErrorKind.Validation, "InvalidInput");
        Assert.Equal(0, _spool.Created);
    }

    [Fact]
    public async Task An_import_whose_owner_died_is_taken_over_once_the_claim_lease_has_run_out()
    {
        Assert.True(await _imports.TryClaimImportAsync(Connector, "batch-1", "dead-host", AccessWorld.T0 - TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(2), default));

        var (summary, replayed) = Ok(await Service().ImportAsync(AccessWorld.Admin, Connector, Body("batch-1", Item("m1", "U-ALICE", [])), default));

        Assert.False(replayed);
        Assert.Equal(1L, summary.ItemsImportedSuccessfully);
    }

    [Fact]
    public async Task An_identical_import_still_held_by_a_live_owner_answers_409_once_the_wait_is_over()
    {
        Assert.True(await _imports.TryClaimImportAsync(Connector, "batch-1", "live-host", AccessWorld.T0, TimeSpan.FromMinutes(2), default));
        var clock = new FastTimestampClock(AccessWorld.T0, TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();

        var error = Fails(await Service(clock).ImportAsync(AccessWorld.Admin, Connector, Body("batch-1", Item("m1", "U-ALICE", [])), default), ErrorKind.Conflict, "ImportInProgress");

        Assert.Contains("batch-1", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The 100 s wait is measured on the time provider, took {watch.Elapsed}.");
        Assert.Empty(_imports.Copies(Connector));
    }

    /// <summary>A fixed wall clock whose monotonic timestamp jumps <paramref name="step"/> at each reading.</summary>
    private sealed class FastTimestampClock(DateTimeOffset now, TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override DateTimeOffset GetUtcNow() => now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
