using Purview.Core.Connectors;

namespace Purview.Core.Tests.Fakes;

/// <summary>Connectors and their user mappings (source user ids case-insensitive).</summary>
public sealed class InMemoryConnectorStore : IConnectorStore
{
    private readonly Dictionary<string, Connector> _connectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _mappings = new(StringComparer.Ordinal);
    private ConnectorSettings _settings = ConnectorSettings.Default;

    public Task<ConnectorSettings> GetSettingsAsync(CancellationToken cancellationToken) => Task.FromResult(_settings);

    public Task SaveSettingsAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        _settings = settings;
        return Task.CompletedTask;
    }

    public Task<Connector?> GetAsync(string connectorId, CancellationToken cancellationToken) => Task.FromResult(_connectors.GetValueOrDefault(connectorId));

    public Task<IReadOnlyList<Connector>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Connector>>([.. _connectors.Values]);

    public Task SaveAsync(Connector connector, CancellationToken cancellationToken)
    {
        _connectors[connector.Id] = connector;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string connectorId, CancellationToken cancellationToken)
    {
        _mappings.Remove(connectorId);
        return Task.FromResult(_connectors.Remove(connectorId));
    }

    public Task MergeMappingsAsync(string connectorId, IReadOnlyList<UserMapping> mappings, CancellationToken cancellationToken)
    {
        if (!_mappings.TryGetValue(connectorId, out var map))
        {
            _mappings[connectorId] = map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }

        foreach (var m in mappings)
        {
            map[m.SourceUserId] = m.UserPrincipalName;
        }

        return Task.CompletedTask;
    }

    public Task ReplaceMappingsAsync(string connectorId, IReadOnlyList<UserMapping> mappings, CancellationToken cancellationToken)
    {
        _mappings.Remove(connectorId);
        return MergeMappingsAsync(connectorId, mappings, cancellationToken);
    }

    public Task<(IReadOnlyList<UserMapping> Page, string? ContinuationToken)> PageMappingsAsync(string connectorId, int top, string? continuationToken, CancellationToken cancellationToken)
    {
        var all = (_mappings.GetValueOrDefault(connectorId) ?? []).OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase).Select(kv => new UserMapping(kv.Key, kv.Value)).ToList();
        var skip = continuationToken is null ? 0 : int.Parse(continuationToken, System.Globalization.CultureInfo.InvariantCulture);
        var page = all.Skip(skip).Take(top).ToList();
        var next = skip + page.Count < all.Count ? (skip + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return Task.FromResult<(IReadOnlyList<UserMapping>, string?)>((page, next));
    }

    public Task<IReadOnlyDictionary<string, string>> LoadMappingsAsync(string connectorId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(_mappings.GetValueOrDefault(connectorId) ?? [], StringComparer.OrdinalIgnoreCase));
}

/// <summary>
/// Import outcomes with the store's contract: claims with leases (taken over only once expired), copies keyed by
/// (item, mailbox) that remember the import that wrote them, one mapping-failure claim per (day, user), and the summary
/// as an insert-once commit point.
/// </summary>
public sealed class InMemoryImportStore : IImportStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ImportSummary> _summaries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ImportId, CopyRecord Copy)> _copies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FailureRecord> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string ImportId, long ItemIndex)> _mappingFailures = new(StringComparer.Ordinal);

    public int SummarySaves { get; private set; }

    public IReadOnlyList<CopyRecord> Copies(string connectorId)
    {
        lock (_lock)
        {
            return _copies.Where(kv => kv.Key.StartsWith(connectorId + "|", StringComparison.Ordinal)).Select(kv => kv.Value.Copy).ToList();
        }
    }

    public IReadOnlyList<FailureRecord> Failures(string connectorId, string importId)
    {
        lock (_lock)
        {
            return _failures.Where(kv => kv.Key.StartsWith(connectorId + "|" + importId + "|", StringComparison.Ordinal)).Select(kv => kv.Value).OrderBy(f => f.ItemIndex).ToList();
        }
    }

    public Task<ImportSummary?> FindSummaryAsync(string connectorId, string importId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_summaries.GetValueOrDefault(connectorId + "|" + importId));
        }
    }

    public Task<bool> TryClaimImportAsync(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = connectorId + "|" + importId;
            if (_claims.TryGetValue(key, out var claim) && claim.Owner != owner && claim.Until > now)
            {
                return Task.FromResult(false);
            }

            _claims[key] = (owner, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task<bool> RenewImportClaimAsync(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = connectorId + "|" + importId;
            if (!_claims.TryGetValue(key, out var claim) || claim.Owner != owner)
            {
                return Task.FromResult(false);
            }

            _claims[key] = (owner, now + lease);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<CopyClaim>> ClaimCopiesAsync(string connectorId, string importId, DateOnly day, IReadOnlyList<CopyRecord> copies, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var claims = new List<CopyClaim>(copies.Count);
            foreach (var copy in copies)
            {
                var key = $"{connectorId}|{copy.ItemId}|{copy.Mailbox.ToUpperInvariant()}";
                if (_copies.TryAdd(key, (importId, copy)))
                {
                    claims.Add(CopyClaim.New);
                }
                else
                {
                    claims.Add(_copies[key].ImportId == importId ? CopyClaim.OwnedByThisImport : CopyClaim.Duplicate);
                }
            }

            return Task.FromResult<IReadOnlyList<CopyClaim>>(claims);
        }
    }

    public Task WriteFailuresAsync(string connectorId, string importId, DateOnly day, IReadOnlyList<FailureRecord> failures, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var f in failures)
            {
                _failures[$"{connectorId}|{importId}|{f.ItemIndex}|{f.SourceUserId.ToUpperInvariant()}"] = f;
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ClaimMappingFailureAsync(string connectorId, DateOnly day, string sourceUserId, string importId, long itemIndex, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var key = $"{connectorId}|{day:yyyyMMdd}|{sourceUserId.ToUpperInvariant()}";
            if (_mappingFailures.TryAdd(key, (importId, itemIndex)))
            {
                return Task.FromResult(true);
            }

            return Task.FromResult(_mappingFailures[key] == (importId, itemIndex));
        }
    }

    public Task<ImportSummary> SaveSummaryAsync(ImportSummary summary, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            SummarySaves++;
            var key = summary.ConnectorId + "|" + summary.ImportId;
            _summaries.TryAdd(key, summary);
            return Task.FromResult(_summaries[key]);
        }
    }

    public async IAsyncEnumerable<ImportSummary> ListSummariesAsync(string connectorId, DateOnly day, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ImportSummary> list;
        lock (_lock)
        {
            list = _summaries.Values.Where(s => s.ConnectorId == connectorId && s.Day == day).OrderBy(s => s.ImportCompletionTime).ThenBy(s => s.ImportId, StringComparer.Ordinal).ToList();
        }

        foreach (var s in list)
        {
            await Task.Yield();
            yield return s;
        }
    }

    public async IAsyncEnumerable<FailureRecord> ListFailuresAsync(string connectorId, string importId, DateOnly failureDay, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var f in Failures(connectorId, importId))
        {
            await Task.Yield();
            yield return f;
        }
    }

    public Task<long> DeleteBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken) => throw new NotSupportedException("Retention is tested against storage.");
}

/// <summary>Spooled bodies in memory; remembers how many were opened and whether each was disposed (its bytes gone).</summary>
public sealed class MemoryImportSpool : IImportSpool
{
    private readonly List<TrackedStream> _streams = [];

    public int Created => _streams.Count;

    public bool AllDisposed => _streams.All(s => s.Disposed);

    public Task<Stream> CreateAsync(CancellationToken cancellationToken)
    {
        var stream = new TrackedStream();
        _streams.Add(stream);
        return Task.FromResult<Stream>(stream);
    }

    private sealed class TrackedStream : MemoryStream
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
