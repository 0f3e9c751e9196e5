using Purview.Core.Registry;
using Purview.Core.Scanners;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;
using Purview.Core.Tests.ScanRuns;
using Xunit;

namespace Purview.Core.Tests.Scanners;

/// <summary>The end of a run's ingestion over in-memory ports: deletion marks, revivals, the data source's inventory.</summary>
public sealed class ScanReconcilerTests
{
    private const string Root = "https://acct.blob.core.windows.net/c/";
    private readonly InMemoryStaging _staging = new();
    private readonly InMemoryCatalog _catalog = new();

    private static string Name(string file) => Root + file;

    private ScanReconciler Reconciler(ScanFilter? filter = null) => new(_staging, _catalog, new FilterOnlyRegistry(filter ?? new ScanFilter([Root + "in/"], [])));

    /// <summary>A run that staged one page per list: each page stages (ingests) and sees its names, and contributes its sets.</summary>
    private StoredRun Run(IReadOnlyList<string>[] staged, IReadOnlyList<string>? seenOnly = null, IReadOnlyList<string>? sets = null)
    {
        var run = Runs.New();
        for (var page = 0; page < staged.Length; page++)
        {
            var assets = staged[page].Select(n => new DiscoveredAsset(n, n[(n.LastIndexOf('/') + 1)..], "azure_blob_path", 1, null, n[Root.Length..])).ToList();
            var seen = staged[page].Concat(page == 0 ? seenOnly ?? [] : []).Select(ScanPageProcessor.Hash).ToList();
            var contributions = page == 0 ? (sets ?? []).Select(s => new ResourceSetContribution(s, "part-{N}.csv", s[Root.Length..], 3, 30, null, [], [])).ToList() : [];
            _staging.Pages[(run.Id, page)] = new StagedPage(assets, []) { Summary = new ScanPageSummary(seen, contributions, new Dictionary<string, int>()) };
        }

        return new StoredRun(run, new ScanRunCheckpoint(null, true, staged.Length, staged.Length), "etag", 1, Runs.T0);
    }

    [Fact]
    public async Task Assets_in_scope_the_run_did_not_see_are_marked_and_leave_the_inventory_while_what_it_staged_joins_it()
    {
        _catalog.Inventory.UnionWith([Name("in/a.csv"), Name("in/b.csv"), Name("in/gone.csv"), Name("out/other.csv")]);

        var result = await Reconciler().ReconcileAsync(Run([[Name("in/a.csv"), Name("in/new.csv")]], seenOnly: [Name("in/b.csv")]), default);

        Assert.Equal(new IngestResult(0, 0, []), result with { Exceptions = [] });
        Assert.Equal([Name("in/gone.csv")], _catalog.Marks.Keys);
        Assert.Equal(new[] { "in/a.csv", "in/b.csv", "in/new.csv", "out/other.csv" }.Select(Name).Order(StringComparer.Ordinal), _catalog.Inventory.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_marked_asset_seen_again_is_back_in_the_inventory_and_its_mark_is_cleared()
    {
        _catalog.Inventory.Add(Name("in/a.csv"));
        _catalog.Marks[Name("in/back.csv")] = false;
        _catalog.Marks[Name("in/still-gone.csv")] = false;

        // An incremental run: "back.csv" is seen unchanged (not staged), "a.csv" staged.
        await Reconciler().ReconcileAsync(Run([[Name("in/a.csv")]], seenOnly: [Name("in/back.csv")]), default);

        Assert.Equal([Name("in/still-gone.csv")], _catalog.Marks.Keys);
        Assert.Equal([Name("in/a.csv"), Name("in/back.csv")], _catalog.Inventory.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_asset_whose_mark_fails_counts_as_failed_and_stays_in_the_inventory_for_the_next_run()
    {
        _catalog.Inventory.UnionWith([Name("in/a.csv"), Name("in/stuck.csv"), Name("in/gone.csv")]);
        _catalog.FailingMarks.Add(Name("in/stuck.csv"));

        var result = await Reconciler().ReconcileAsync(Run([[Name("in/a.csv")]]), default);

        Assert.Equal(1, result.Failed);
        Assert.Equal(Name("in/stuck.csv"), Assert.Single(result.Exceptions).OperationItem);
        Assert.Equal([Name("in/a.csv"), Name("in/stuck.csv")], _catalog.Inventory.Order(StringComparer.Ordinal));

        _catalog.FailingMarks.Clear();
        var next = await Reconciler().ReconcileAsync(Run([[Name("in/a.csv")]]), default);
        Assert.Equal(0, next.Failed);
        Assert.Equal([Name("in/a.csv")], _catalog.Inventory);
        Assert.Equal([Name("in/gone.csv"), Name("in/stuck.csv")], _catalog.Marks.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_pass_interrupted_between_the_marks_and_the_inventory_is_settled_by_the_repeat_and_a_further_repeat_changes_nothing()
    {
        _catalog.Inventory.UnionWith([Name("in/a.csv"), Name("in/gone.csv")]);
        _catalog.Marks[Name("in/gone.csv")] = false; // marked, but still in the inventory: the crash came before its update
        var run = Run([[Name("in/a.csv")]]);

        await Reconciler().ReconcileAsync(run, default);
        var afterRepeat = (_catalog.Inventory.ToList(), _catalog.Marks.Keys.ToList(), _catalog.Writes);
        await Reconciler().ReconcileAsync(run, default);

        Assert.Equal([Name("in/a.csv")], afterRepeat.Item1);
        Assert.Equal([Name("in/gone.csv")], afterRepeat.Item2);
        Assert.Equal(afterRepeat.Item1, _catalog.Inventory.ToList());
        Assert.Equal(afterRepeat.Item2, _catalog.Marks.Keys.ToList());
    }

    [Fact]
    public async Task Resource_sets_the_run_did_not_see_are_marked_and_the_ones_it_saw_are_written_again_without_their_mark()
    {
        _catalog.Sets.UnionWith([Name("in/old/part-{N}.csv"), Name("in/sales/part-{N}.csv")]);
        _catalog.Marks[Name("in/sales/part-{N}.csv")] = true;

        await Reconciler().ReconcileAsync(Run([[Name("in/a.csv")]], sets: [Name("in/sales/part-{N}.csv")]), default);

        Assert.Equal([Name("in/old/part-{N}.csv")], _catalog.Marks.Keys);
        Assert.Equal([Name("in/sales/part-{N}.csv")], _catalog.UpsertedSets);
        Assert.Equal([Name("in/a.csv")], _catalog.Inventory); // sets never enter the inventory of raw assets
    }

    private sealed class InMemoryStaging : IStagingStore
    {
        public Dictionary<(ScanRunId, int), StagedPage> Pages { get; } = [];

        public Task WritePageAsync(ScanRunId runId, int page, StagedPage content, CancellationToken cancellationToken) => throw new NotSupportedException("Staging writes: BlobStagingStore against Azurite.");

        public Task<StagedPage> ReadPageAsync(ScanRunId runId, int page, CancellationToken cancellationToken) => Task.FromResult(Pages[(runId, page)]);

        public Task DeletePagesAsync(ScanRunId runId, int pageCount, CancellationToken cancellationToken) => throw new NotSupportedException("Staging deletes: BlobStagingStore against Azurite.");
    }

    /// <summary>The catalog's contract in memory: an inventory of raw names, resource sets, marks (name -> is a set).</summary>
    private sealed class InMemoryCatalog : IAssetCatalog
    {
        public SortedSet<string> Inventory { get; } = new(StringComparer.Ordinal);

        public SortedSet<string> Sets { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<string, bool> Marks { get; } = new(StringComparer.Ordinal);

        public HashSet<string> FailingMarks { get; } = new(StringComparer.Ordinal);

        public List<string> UpsertedSets { get; } = [];

        public int Writes { get; private set; }

        public async IAsyncEnumerable<CatalogEntry> ListAsync(string dataSourceName, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            foreach (var name in Inventory.ToList())
            {
                yield return new CatalogEntry(name, false, false);
            }

            foreach (var set in Sets.ToList())
            {
                yield return new CatalogEntry(set, true, Marks.ContainsKey(set));
            }

            foreach (var (name, _) in Marks.Where(m => !m.Value).ToList())
            {
                yield return new CatalogEntry(name, false, true);
            }
        }

        public Task<IngestResult> MarkDeletedAsync(string dataSourceName, ScanRunId runId, IReadOnlyList<string> qualifiedNames, CancellationToken cancellationToken)
        {
            Writes++;
            var failed = qualifiedNames.Where(FailingMarks.Contains).ToList();
            foreach (var name in qualifiedNames.Except(failed))
            {
                Marks[name] = Sets.Contains(name);
            }

            return Task.FromResult(new IngestResult(qualifiedNames.Count - failed.Count, failed.Count,
                failed.Select(n => new ScanRunException(Runs.T0, "InternalError", n, "refused")).ToList()));
        }

        public Task<IngestResult> UpsertResourceSetsAsync(string dataSourceName, string collectionName, ScanRunId runId, IReadOnlyList<ResourceSetAsset> sets, CancellationToken cancellationToken)
        {
            Writes++;
            foreach (var set in sets)
            {
                Sets.Add(set.QualifiedName);
                Marks.Remove(set.QualifiedName);
                UpsertedSets.Add(set.QualifiedName);
            }

            return Task.FromResult(new IngestResult(sets.Count, 0, []));
        }

        public Task UpdateInventoryAsync(string dataSourceName, IReadOnlyCollection<string> present, IReadOnlyCollection<string> revived, IReadOnlyCollection<string> gone, CancellationToken cancellationToken)
        {
            Writes++;
            Inventory.UnionWith(present);
            Inventory.ExceptWith(gone);
            foreach (var name in revived)
            {
                Marks.Remove(name);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class FilterOnlyRegistry(ScanFilter filter) : IScanRegistry
    {
        public Task<ScanFilter> GetFilterAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => Task.FromResult(filter);

        public Task<DataSource?> GetDataSourceAsync(string name, CancellationToken cancellationToken) => throw Unused();

        public Task<Scan?> GetScanAsync(string dataSourceName, string scanName, CancellationToken cancellationToken) => throw Unused();

        public Task<CredentialSecret?> GetCredentialSecretAsync(string name, CancellationToken cancellationToken) => throw Unused();

        public Task<IntegrationRuntime?> GetIntegrationRuntimeAsync(string name, CancellationToken cancellationToken) => throw Unused();

        public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => throw Unused();

        public Task<IReadOnlyList<ScanTriggerDefinition>> ListTriggersAsync(CancellationToken cancellationToken) => throw Unused();

        private static NotSupportedException Unused() => new("The reconciler reads only the scan's filter.");
    }
}
