using Purview.Core.Telemetry;
using System.Security.Cryptography;
using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Connectors;

/// <summary>
/// Imports a batch of items: fanout to one copy per participant, then per copy mapping failure, item size exceeded,
/// duplicate (skipped), dropped attachments (partially imported) or imported. The body is spooled (<see cref="IImportSpool"/>)
/// while hashed (never held in memory), validated in a first pass and processed in a second, in chunks.
/// Crash-safe and idempotent: copies and failed details are written keyed by (item, user), the summary last; the
/// same batch again (same importId, or same bytes) returns the first summary.
/// </summary>
public sealed class ImportService(IConnectorStore connectors, IImportStore imports, IImportSpool spool, AccessService access, TimeProvider time)
{
    private const int ChunkItems = 1000;

    // Chunks whose writes may be in flight at once: the classification of chunk n+1 (and its mapping-failure claims)
    // goes on while the copies of chunks n, n-1, ... are being claimed. Counts are taken from each chunk's claims in
    // chunk order, so the summary is the same as when chunks are written one at a time.
    private const int ChunksInFlight = 4;

    // The owner renews its claim at every chunk once a third of the lease has passed; a claim not renewed for a whole
    // lease belongs to a dead execution and may be taken over.
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    // How long an identical import waits for the one doing the work before answering 409 (retry later: it then replays).
    private static readonly TimeSpan WaitForOwner = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan WaitPoll = TimeSpan.FromMilliseconds(200);

    public async Task<Result<(ImportSummary Summary, bool Replayed)>> ImportAsync(Principal caller, string connectorId, Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            return Error.Validation([invalid]);
        }

        if (await connectors.GetAsync(connectorId, cancellationToken) is null)
        {
            return Error.NotFound($"There is no connector '{connectorId}'.");
        }

        await using var file = await spool.CreateAsync(cancellationToken);
        string hash;
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        }

        file.Position = 0;
        var validated = await ImportBodyReader.ReadAsync(file, (_, _) => Task.CompletedTask, cancellationToken);
        if (!validated.IsSuccess)
        {
            return validated.Error!;
        }

        var importId = validated.Value.ImportId ?? "sha256-" + hash;
        var owner = Guid.NewGuid().ToString("N");
        var claimed = await ClaimOrReplayAsync(connectorId, importId, owner, cancellationToken);
        if (!claimed.IsSuccess)
        {
            return claimed.Error!;
        }

        if (claimed.Value is { } existing)
        {
            return (existing, true);
        }

        var day = ConnectorRules.Today(time.GetUtcNow());
        var renewedAt = time.GetUtcNow();
        var run = new Run(connectorId, importId, day, await connectors.LoadMappingsAsync(connectorId, cancellationToken), imports, async () =>
        {
            var now = time.GetUtcNow();
            if (now - renewedAt >= ClaimLease / 3)
            {
                renewedAt = now;
                // A lost claim is not fatal: the commit point is an insert, so only one summary is ever saved.
                _ = await imports.RenewImportClaimAsync(connectorId, importId, owner, now, ClaimLease, cancellationToken);
            }
        });
        file.Position = 0;
        var processed = await ImportBodyReader.ReadAsync(file, async (index, item) =>
        {
            run.Chunk.Add((index, item));
            if (run.Chunk.Count >= ChunkItems)
            {
                await run.FlushAsync(cancellationToken);
            }
        }, cancellationToken);
        if (!processed.IsSuccess)
        {
            await run.DrainAsync();
            return processed.Error!;
        }

        await run.FlushAsync(cancellationToken);
        await run.DrainAsync();
        var completed = time.GetUtcNow();
        completed = new DateTimeOffset(completed.UtcTicks - (completed.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var computed = new ImportSummary(connectorId, importId, completed, day, run.FromSource, run.ForImport, run.Imported, run.Partial, run.Skipped, run.Failed);
        var summary = await imports.SaveSummaryAsync(computed, cancellationToken);
        if (summary != computed)
        {
            return (summary, true); // an execution that took over our stale claim committed first
        }

        PurviewTelemetry.ImportItems.Add(summary.ItemsImportedSuccessfully, new KeyValuePair<string, object?>("outcome", "imported"));
        PurviewTelemetry.ImportItems.Add(summary.ItemsPartiallyImported, new KeyValuePair<string, object?>("outcome", "partial"));
        PurviewTelemetry.ImportItems.Add(summary.ItemsSkipped, new KeyValuePair<string, object?>("outcome", "skipped"));
        PurviewTelemetry.ImportItems.Add(summary.ItemsFailed, new KeyValuePair<string, object?>("outcome", "failed"));
        await access.AuditAsync(caller, "connectors.import", connectorId, null,
            $"importId={importId}; fromSource={summary.ItemsAvailableFromSource}; forImport={summary.ItemsAvailableForImport}; failed={summary.ItemsFailed}", cancellationToken);
        return (summary, false);
    }

    /// <summary>
    /// Null once this request holds the import id's claim (it does the work); the saved summary when the import is done
    /// (a replay, possibly after waiting for the execution that held the claim); 409 when that execution outlasts the wait.
    /// </summary>
    private async Task<Result<ImportSummary?>> ClaimOrReplayAsync(string connectorId, string importId, string owner, CancellationToken cancellationToken)
    {
        // The wait is measured on the time provider's timestamp (monotonic), not its wall clock: it bounds how long this
        // request is held open, and a wall clock that tests move by hand would never end it. Leases are wall-clock time.
        var waitStarted = time.GetTimestamp();
        while (true)
        {
            if (await imports.FindSummaryAsync(connectorId, importId, cancellationToken) is { } existing)
            {
                return await imports.SaveSummaryAsync(existing, cancellationToken); // completes a save that a crash interrupted
            }

            if (await imports.TryClaimImportAsync(connectorId, importId, owner, time.GetUtcNow(), ClaimLease, cancellationToken))
            {
                // The owner may have committed between our read and its claim expiring: never redo a committed import.
                return await imports.FindSummaryAsync(connectorId, importId, cancellationToken) is { } done
                    ? await imports.SaveSummaryAsync(done, cancellationToken)
                    : (ImportSummary?)null;
            }

            if (time.GetElapsedTime(waitStarted) >= WaitForOwner)
            {
                return Error.Conflict("ImportInProgress",
                    $"Import '{importId}' is being processed by another request; send it again later to receive its summary.");
            }

            // A real pause between polls (not a timer of the time provider: a hand-moved clock would never fire it).
            await Task.Delay(WaitPoll, cancellationToken);
        }
    }

    private sealed class Run(string connectorId, string importId, DateOnly day, IReadOnlyDictionary<string, string> mappings, IImportStore imports, Func<Task> renewClaim)
    {
        private readonly HashSet<string> _mappingFailuresSeen = new(StringComparer.OrdinalIgnoreCase);
        private readonly Queue<Task<(List<CopyRecord> Copies, IReadOnlyList<CopyClaim> Claims)>> _writing = new();

        public List<(long Index, ImportItem Item)> Chunk { get; } = [];
        public long FromSource { get; private set; }
        public long ForImport { get; private set; }
        public long Imported { get; private set; }
        public long Partial { get; private set; }
        public long Skipped { get; private set; }
        public long Failed { get; private set; }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (Chunk.Count == 0)
            {
                return;
            }

            var copies = new List<CopyRecord>();
            var keys = new HashSet<(string, string)>();
            var failures = new List<FailureRecord>();
            foreach (var (index, item) in Chunk)
            {
                FromSource++;
                var partial = item.Attachments?.Any(ConnectorRules.AttachmentDropped) == true;
                foreach (var participant in Participants(item))
                {
                    ForImport++;
                    if (!mappings.TryGetValue(participant, out var upn))
                    {
                        Failed++;
                        if (_mappingFailuresSeen.Add(participant) &&
                            await imports.ClaimMappingFailureAsync(connectorId, day, participant, importId, index, cancellationToken))
                        {
                            failures.Add(new FailureRecord(index, item.ItemId, participant, null, ConnectorRules.UserMappingFailure));
                        }
                    }
                    else if (item.SizeBytes > ConnectorRules.MaxItemSizeBytes)
                    {
                        Failed++;
                        failures.Add(new FailureRecord(index, item.ItemId, participant, upn, ConnectorRules.ItemSizeExceeded));
                    }
                    else if (!keys.Add((item.ItemId, upn.ToUpperInvariant())))
                    {
                        Skipped++; // two participants of this chunk share the mailbox
                    }
                    else
                    {
                        copies.Add(new CopyRecord(item.ItemId, upn.ToLowerInvariant(), index, partial ? CopyStatus.PartiallyImported : CopyStatus.Imported));
                    }
                }
            }

            _writing.Enqueue(WriteAsync(copies, failures, cancellationToken));
            Chunk.Clear();
            await renewClaim();
            if (_writing.Count >= ChunksInFlight)
            {
                Count(await _writing.Dequeue());
            }
        }

        /// <summary>Waits for every chunk still being written and counts it; an error of any chunk surfaces here.</summary>
        public async Task DrainAsync()
        {
            try
            {
                while (_writing.Count > 0)
                {
                    Count(await _writing.Peek());
                    _ = _writing.Dequeue();
                }
            }
            finally
            {
                // After a failure the other writes still run to their end (they are idempotent): observe them.
                foreach (var pending in _writing)
                {
                    _ = pending.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }
            }
        }

        private async Task<(List<CopyRecord> Copies, IReadOnlyList<CopyClaim> Claims)> WriteAsync(List<CopyRecord> copies, List<FailureRecord> failures, CancellationToken cancellationToken)
        {
            var claims = await imports.ClaimCopiesAsync(connectorId, importId, day, copies, cancellationToken);
            await imports.WriteFailuresAsync(connectorId, importId, day, failures, cancellationToken);
            return (copies, claims);
        }

        private void Count((List<CopyRecord> Copies, IReadOnlyList<CopyClaim> Claims) written)
        {
            var (copies, claims) = written;
            for (var i = 0; i < copies.Count; i++)
            {
                if (claims[i] == CopyClaim.Duplicate)
                {
                    Skipped++;
                }
                else if (copies[i].Status == CopyStatus.PartiallyImported)
                {
                    Partial++;
                }
                else
                {
                    Imported++;
                }
            }
        }

        /// <summary>The sender, then each distinct recipient (source user ids compare case-insensitively).</summary>
        private static List<string> Participants(ImportItem item)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { item.Sender };
            var list = new List<string> { item.Sender };
            list.AddRange(item.Recipients.Where(seen.Add));
            return list;
        }
    }
}
