using System.Collections.Concurrent;
using Purview.Core.Classification;
using Purview.Core.Registry;
using Purview.Core.ScanRuns;
using Purview.Core.ScanRuns.Execution;

namespace Purview.Core.Scanners;

/// <summary>A resource set's share of one page: its files on the page (changed or not), and what their samples showed.</summary>
public sealed record ResourceSetContribution(
    string QualifiedName,
    string Name,
    string Path,
    long Files,
    long Size,
    DateTimeOffset? LastModified,
    IReadOnlyList<AssetColumn> Columns,
    IReadOnlyList<string> Classifications);

/// <summary>
/// What a page saw beyond the assets it stages: the 64-bit hashes of every in-scope qualified name (for marking deletions
/// at the end), each resource set's contribution, and the files sampled per set so far in the run (carried to the next page).
/// </summary>
public sealed record ScanPageSummary(IReadOnlyList<ulong> Seen, IReadOnlyList<ResourceSetContribution> ResourceSets, IReadOnlyDictionary<string, int> SampledPerSet);

/// <summary>One listed page, processed: the page as listed, what to stage, and how many assets were classified.</summary>
public sealed record ProcessedPage(ScanPageResult Page, StagedPage Staged, int Classified);

/// <summary>
/// The shared scan-phase step between a scanner and staging, for every kind of source: it gives the scanner a
/// <see cref="SamplingPlan"/> (rule set file types, incremental watermark, per-resource-set quota), classifies the samples
/// the scanner read (<see cref="ColumnClassifier"/> under the scan's rule set) into columns and classifications, marks
/// resource-set members, and stages only new or changed assets on incremental runs. Everything it decides is a function of
/// the run (its rule set and watermark are fixed when it first runs, see <see cref="RunContextAsync"/>) and of what is
/// listed, so a repeated page gives the same staged page.
/// </summary>
public sealed class ScanPageProcessor(IClassificationRuleStore rules, IScanRunStore runs, IStagingStore staging, SamplingLimits limits, IScanRunExceptionLog exceptionLog, TimeProvider time)
{
    /// <summary>
    /// Discovery entries of page n are filed as page <c>DiscoveryLogPages + n</c> of the exception log, so they never
    /// replace the ingestion entries of page n (the log is idempotent per page and index).
    /// </summary>
    public const int DiscoveryLogPages = 500_000;

    private readonly ConcurrentDictionary<Guid, RunContext> _contexts = new();
    private readonly ConcurrentDictionary<Guid, (int Page, IReadOnlyDictionary<string, int> Sampled)> _carry = new();

    public async Task<ProcessedPage> ScanAsync(IScanner scanner, ScanPageRequest request, StoredRun stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(stored);
        var context = await RunContextAsync(stored.Run, request.DataSource, request.Scan, cancellationToken);
        var carried = await CarriedAsync(stored, cancellationToken);
        // Sources such as blob storage keep last-modified times to the second: an asset changed in the same second as the
        // watermark counts as changed (re-ingesting it is harmless; missing it is not).
        var plan = new SamplingPlan(context.Ruleset, limits, a => context.Watermark is not { } w || a.LastModified is not { } m || m >= FloorToSecond(w), carried);
        var page = await scanner.ScanAsync(request with { Sampling = plan }, cancellationToken);

        var unsampled = page.Assets.Where(a => a.SampleError is not null)
            .Select(a => new ScanRunException(time.GetUtcNow(), "SampleFailed", a.QualifiedName, a.SampleError!))
            .ToList();
        if (unsampled.Count > 0)
        {
            // The file is still discovered and ingested, without classification: say so instead of staying silent.
            await exceptionLog.AppendAsync(stored.Run.Id, DiscoveryLogPages + stored.Checkpoint.PagesStaged, unsampled, cancellationToken);
        }

        var fileSource = DataSourceKinds.HasUrlEndpoint(request.DataSource.Kind);
        var staged = new List<DiscoveredAsset>(page.Assets.Count);
        var seen = new List<ulong>(page.Assets.Count);
        var sets = new Dictionary<string, SetBuilder>(StringComparer.Ordinal);
        var classified = 0;
        foreach (var listed in page.Assets)
        {
            seen.Add(Hash(listed.QualifiedName));
            var asset = listed with { Sample = null };
            var changed = plan.IsChanged(listed);
            if (listed.Sample is { } sample && changed && (plan.WasChosen(listed.QualifiedName) || !fileSource))
            {
                var result = context.Classifier.Classify(sample);
                asset = asset with { Columns = result.Columns, Classifications = result.Classifications };
                classified++;
            }

            if (fileSource && ResourceSetPattern.QualifiedNameOf(listed) is { } set)
            {
                asset = asset with { ResourceSet = set };
                if (!sets.TryGetValue(set, out var builder))
                {
                    var path = ResourceSetPattern.Of(listed.Path)!;
                    sets[set] = builder = new SetBuilder(set, path[(path.LastIndexOf('/') + 1)..], path);
                }

                builder.Add(asset);
            }

            if (changed)
            {
                staged.Add(asset);
            }
        }

        var sampledPerSet = plan.SampledPerSet();
        _carry[stored.Run.Id.Value] = (stored.Checkpoint.PagesStaged, sampledPerSet);
        var summary = new ScanPageSummary(seen, sets.Values.Select(b => b.Build()).ToList(), sampledPerSet);
        return new ProcessedPage(page, new StagedPage(staged, page.Relationships) { Summary = summary }, classified);
    }

    /// <summary>
    /// The rule set, its classifier and the incremental watermark of a run, fixed at its first page and cached. The
    /// watermark is the scan-phase start of the latest run of the same scan that succeeded before this one started, so
    /// every page (and every host) computes the same value.
    /// </summary>
    public async Task<RunContext> RunContextAsync(ScanRun run, DataSource dataSource, Scan scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(scan);
        if (_contexts.TryGetValue(run.Id.Value, out var cached))
        {
            return cached;
        }

        var ruleset = await ClassificationRuleService.ResolveAsync(rules, dataSource.Kind, scan.ScanRulesetName, scan.ScanRulesetType, cancellationToken);
        if (!ruleset.IsSuccess)
        {
            throw new ScanFailedException("ScanRulesetNotFound", ruleset.Error!.Message);
        }

        var customRules = ruleset.Value!.IncludedCustomClassificationRuleNames.Count == 0 ? [] : await rules.ListRulesAsync(cancellationToken);
        var watermark = run.Level == ScanLevel.Incremental ? await WatermarkAsync(run, cancellationToken) : null;
        var context = new RunContext(ruleset.Value, ruleset.Value.Classifier(customRules), watermark);
        if (_contexts.Count > 1000)
        {
            _contexts.Clear();
            _carry.Clear();
        }

        _contexts[run.Id.Value] = context;
        return context;
    }

    private async Task<DateTimeOffset?> WatermarkAsync(ScanRun run, CancellationToken cancellationToken)
    {
        var startedAt = run.Scan.StartTime ?? run.CreatedAt;
        string? token = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var history = await runs.ListHistoryAsync(run.DataSourceName, run.ScanName, 50, token, cancellationToken);
            foreach (var id in history.RunIds)
            {
                var other = id == run.Id ? null : await runs.GetAsync(id, cancellationToken);
                if (other?.Run is { Status: ScanRunStatus.Succeeded, EndTime: { } end } previous && end <= startedAt)
                {
                    return previous.Scan.StartTime ?? previous.CreatedAt;
                }
            }

            token = history.ContinuationToken;
            if (token is null)
            {
                break;
            }
        }

        return null;
    }

    private async Task<IReadOnlyDictionary<string, int>> CarriedAsync(StoredRun stored, CancellationToken cancellationToken)
    {
        var previous = stored.Checkpoint.PagesStaged - 1;
        if (previous < 0)
        {
            return new Dictionary<string, int>();
        }

        if (_carry.TryGetValue(stored.Run.Id.Value, out var carry) && carry.Page == previous)
        {
            return carry.Sampled;
        }

        var page = await staging.ReadPageAsync(stored.Run.Id, previous, cancellationToken);
        return page.Summary?.SampledPerSet ?? new Dictionary<string, int>();
    }

    private static DateTimeOffset FloorToSecond(DateTimeOffset t) => new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), t.Offset);

    /// <summary>FNV-1a, 64 bits, over the UTF-16 code units: stable across processes (string.GetHashCode is not).</summary>
    public static ulong Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * 1099511628211UL;
            hash = (hash ^ (byte)(c >> 8)) * 1099511628211UL;
        }

        return hash;
    }

    public sealed record RunContext(ScanRuleset Ruleset, ColumnClassifier Classifier, DateTimeOffset? Watermark);

    private sealed class SetBuilder(string qualifiedName, string name, string path)
    {
        private readonly SortedDictionary<string, (string? Type, SortedSet<string> Classifications)> _columns = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _classifications = new(StringComparer.Ordinal);
        private long _files;
        private long _size;
        private DateTimeOffset? _lastModified;

        public void Add(DiscoveredAsset member)
        {
            _files++;
            _size += member.Size;
            if (member.LastModified > _lastModified || _lastModified is null)
            {
                _lastModified = member.LastModified;
            }

            _classifications.UnionWith(member.Classifications);
            foreach (var column in member.Columns)
            {
                if (!_columns.TryGetValue(column.Name, out var known))
                {
                    _columns[column.Name] = known = (column.DataType, new SortedSet<string>(StringComparer.Ordinal));
                }

                known.Classifications.UnionWith(column.Classifications);
            }
        }

        public ResourceSetContribution Build() => new(
            qualifiedName, name, path, _files, _size, _lastModified,
            _columns.Select(c => new AssetColumn(c.Key, c.Value.Type, c.Value.Classifications.ToList())).ToList(),
            _classifications.ToList());
    }
}
