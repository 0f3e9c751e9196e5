namespace Purview.Core.Connectors;

/// <summary>Settings, connectors and user mappings.</summary>
public interface IConnectorStore
{
    Task<ConnectorSettings> GetSettingsAsync(CancellationToken cancellationToken);

    Task SaveSettingsAsync(ConnectorSettings settings, CancellationToken cancellationToken);

    Task<Connector?> GetAsync(string connectorId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Connector>> ListAsync(CancellationToken cancellationToken);

    Task SaveAsync(Connector connector, CancellationToken cancellationToken);

    /// <summary>Deletes the connector and its user mappings; false when there was none.</summary>
    Task<bool> DeleteAsync(string connectorId, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces each mapping (in batches of up to 100, one partition per connector).</summary>
    Task MergeMappingsAsync(string connectorId, IReadOnlyList<UserMapping> mappings, CancellationToken cancellationToken);

    /// <summary>Makes the connector's mappings exactly <paramref name="mappings"/>.</summary>
    Task ReplaceMappingsAsync(string connectorId, IReadOnlyList<UserMapping> mappings, CancellationToken cancellationToken);

    /// <summary>One page of mappings in source user id order; the token is opaque (null on the last page).</summary>
    Task<(IReadOnlyList<UserMapping> Page, string? ContinuationToken)> PageMappingsAsync(string connectorId, int top, string? continuationToken, CancellationToken cancellationToken);

    /// <summary>Every mapping of the connector: source user id (case-insensitive) to user principal name.</summary>
    Task<IReadOnlyDictionary<string, string>> LoadMappingsAsync(string connectorId, CancellationToken cancellationToken);
}

/// <summary>Import summaries, per-copy outcomes and failed details; every write is idempotent so a retried import counts nothing twice.</summary>
public interface IImportStore
{
    Task<ImportSummary?> FindSummaryAsync(string connectorId, string importId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the import id for <paramref name="owner"/> until <paramref name="now"/> + <paramref name="lease"/> (a conditional insert):
    /// true when the claim is new, already the owner's, or taken over from an owner whose lease ran out; false while another owner holds it.
    /// </summary>
    Task<bool> TryClaimImportAsync(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Extends the owner's claim; false when another owner took it over (its lease had run out).</summary>
    Task<bool> RenewImportClaimAsync(string connectorId, string importId, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the copies present in mailboxes; for each copy, whether it is new, this import's own (a retry) or a duplicate.</summary>
    Task<IReadOnlyList<CopyClaim>> ClaimCopiesAsync(string connectorId, string importId, DateOnly day, IReadOnlyList<CopyRecord> copies, CancellationToken cancellationToken);

    Task WriteFailuresAsync(string connectorId, string importId, DateOnly day, IReadOnlyList<FailureRecord> failures, CancellationToken cancellationToken);

    /// <summary>
    /// True when this (import, item) is the one that logs the day's user mapping failure of <paramref name="sourceUserId"/>:
    /// the first to claim it, or the same claim again on a retry.
    /// </summary>
    Task<bool> ClaimMappingFailureAsync(string connectorId, DateOnly day, string sourceUserId, string importId, long itemIndex, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the summary unless one is already saved under its import id (the import's commit point, an insert), then files
    /// the saved one under its completion day; returns the saved one (another execution's when it committed first).
    /// </summary>
    Task<ImportSummary> SaveSummaryAsync(ImportSummary summary, CancellationToken cancellationToken);

    /// <summary>The summaries of imports completed on <paramref name="day"/>, by completion time then import id.</summary>
    IAsyncEnumerable<ImportSummary> ListSummariesAsync(string connectorId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The failed details of one import, in item order then source user id.</summary>
    IAsyncEnumerable<FailureRecord> ListFailuresAsync(string connectorId, string importId, DateOnly failureDay, CancellationToken cancellationToken);

    /// <summary>Deletes summaries, copies, failed details and failure markers of days before <paramref name="cutoff"/>.</summary>
    Task<long> DeleteBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken);
}

/// <summary>The daily admin log files.</summary>
public interface IAdminLogStore
{
    /// <summary>Streams <paramref name="content"/> into the day's file (replacing it), with generation time and invariant violations as metadata.</summary>
    Task<AdminLogInfo> WriteAsync(string connectorId, DateOnly day, Stream content, DateTimeOffset generatedAt, int invariantViolations, CancellationToken cancellationToken);

    Task<IReadOnlyList<AdminLogInfo>> ListAsync(string connectorId, CancellationToken cancellationToken);

    /// <summary>The day's file as a stream, or null when there is none.</summary>
    Task<(Stream Content, long Length)?> OpenAsync(string connectorId, DateOnly day, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string connectorId, DateOnly day, CancellationToken cancellationToken);

    /// <summary>
    /// A read-only URL of the day's file valid until <paramref name="expiresOn"/>: signed with the account key, or with a
    /// user delegation key when the app reaches storage with Entra ID; null when it can do neither (a SAS-only account).
    /// </summary>
    Task<Uri?> GetReadUrlAsync(string connectorId, DateOnly day, DateTimeOffset expiresOn, CancellationToken cancellationToken);

    Task<int> DeleteBeforeAsync(DateOnly cutoff, CancellationToken cancellationToken);
}

/// <summary>
/// Where an import body waits between its two passes (validation, then processing), so that it is never held in
/// memory whole: <see cref="CreateAsync"/> gives an empty, seekable, readable and writable stream, private to the
/// caller, whose bytes are gone once it is disposed.
/// </summary>
public interface IImportSpool
{
    Task<Stream> CreateAsync(CancellationToken cancellationToken);
}
