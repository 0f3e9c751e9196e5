using Purview.Core.Classification;

namespace Purview.Core.Scanners;

/// <summary>
/// Which assets of a page a scanner samples, and how: only assets that changed since the watermark (incremental runs),
/// only file types the scan rule set reads, and at most <see cref="SamplingLimits.FilesPerResourceSet"/> files per resource
/// set over the whole run (the count carries from page to page through staging). Scanners call <see cref="Decide"/>
/// once per listed asset, in listing order; it is thread-safe but order matters for the per-set quota.
/// </summary>
public sealed class SamplingPlan
{
    private readonly ScanRuleset _ruleset;
    private readonly Func<DiscoveredAsset, bool> _changed;
    private readonly Dictionary<string, int> _sampledPerSet;
    private readonly HashSet<string> _chosen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public SamplingPlan(ScanRuleset ruleset, SamplingLimits limits, Func<DiscoveredAsset, bool> changed, IReadOnlyDictionary<string, int> sampledPerSet)
    {
        _ruleset = ruleset;
        _changed = changed;
        Limits = limits;
        _sampledPerSet = new Dictionary<string, int>(sampledPerSet, StringComparer.Ordinal);
    }

    public SamplingLimits Limits { get; }

    /// <summary>The reader to sample this file with, or null when it is not to be sampled.</summary>
    public (SampleFormat Format, char Delimiter)? Decide(DiscoveredAsset asset)
    {
        ArgumentNullException.ThrowIfNull(asset);
        if (!_changed(asset) || _ruleset.FormatOf(asset.Name) is not { } format)
        {
            return null;
        }

        lock (_lock)
        {
            if (ResourceSetPattern.QualifiedNameOf(asset) is { } set)
            {
                var sampled = _sampledPerSet.GetValueOrDefault(set);
                if (sampled >= Limits.FilesPerResourceSet)
                {
                    return null;
                }

                _sampledPerSet[set] = sampled + 1;
            }

            _chosen.Add(asset.QualifiedName);
            return format;
        }
    }

    /// <summary>Whether <see cref="Decide"/> chose this asset (a scanner that does not consult the plan chose nothing).</summary>
    public bool WasChosen(string qualifiedName)
    {
        lock (_lock)
        {
            return _chosen.Contains(qualifiedName);
        }
    }

    public bool IsChanged(DiscoveredAsset asset) => _changed(asset);

    /// <summary>Files sampled so far per resource set, this page included: what the next page starts from.</summary>
    public IReadOnlyDictionary<string, int> SampledPerSet()
    {
        lock (_lock)
        {
            return new Dictionary<string, int>(_sampledPerSet, StringComparer.Ordinal);
        }
    }
}
