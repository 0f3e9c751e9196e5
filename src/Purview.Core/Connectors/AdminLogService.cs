using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Purview.Core.Common;
using Purview.Core.Jobs;
using Purview.Core.Telemetry;

namespace Purview.Core.Connectors;

/// <summary>
/// Builds, lists and serves the daily admin logs (format in docs/CONNECTORS.md). Auditing must be enabled: without
/// it no log is produced and reading one is a 409 <c>AuditingDisabled</c>.
/// </summary>
public sealed partial class AdminLogService(IConnectorStore connectors, IImportStore imports, IAdminLogStore logs, TimeProvider time, ILogger<AdminLogService> logger)
{
    public static readonly TimeSpan DownloadUrlLifetime = TimeSpan.FromMinutes(15);

    public static Error AuditingDisabled { get; } = Error.Conflict("AuditingDisabled",
        "Auditing is turned off for the organisation, so no admin logs are produced or served. Turn it on with PUT /connectors/settings {\"auditingEnabled\": true}.");

    /// <summary>Writes the day's log of every connector (the daily job and the admin endpoint).</summary>
    public async Task<Result<IReadOnlyList<AdminLogInfo>>> GenerateAllAsync(DateOnly day, CancellationToken cancellationToken)
    {
        if (!(await connectors.GetSettingsAsync(cancellationToken)).AuditingEnabled)
        {
            LogSkipped(logger, day);
            PurviewTelemetry.AdminLogsGenerated.Add(1, new KeyValuePair<string, object?>("result", "auditing_disabled"));
            return AuditingDisabled;
        }

        var written = new List<AdminLogInfo>();
        foreach (var connector in (await connectors.ListAsync(cancellationToken)).OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            written.Add(await GenerateAsync(connector.Id, day, cancellationToken));
        }

        return written;
    }

    /// <summary>
    /// Streams the CSV of one connector and day into its file. Deterministic: re-running it for a day writes the same
    /// bytes (the generation time is metadata, not content). Checks the invariant of every import and logs an error
    /// for each violation (counted in the file's metadata).
    /// </summary>
    public async Task<AdminLogInfo> GenerateAsync(string connectorId, DateOnly day, CancellationToken cancellationToken)
    {
        using var activity = PurviewTelemetry.Source.StartActivity("connectors.admin_log.generate");
        activity?.SetTag("purview.connector", connectorId);
        activity?.SetTag("purview.day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var summaries = new List<ImportSummary>();
        await foreach (var s in imports.ListSummariesAsync(connectorId, day, cancellationToken))
        {
            summaries.Add(s);
        }

        var violations = 0;
        foreach (var s in summaries.Where(s => !s.InvariantHolds))
        {
            violations++;
            LogInvariantViolation(logger, connectorId, s.ImportId, s.ItemsAvailableForImport, s.ItemsImportedSuccessfully, s.ItemsPartiallyImported, s.ItemsSkipped, s.ItemsFailed);
        }

        await using var content = new LineStream(Lines(connectorId, day, summaries, cancellationToken));
        var info = await logs.WriteAsync(connectorId, day, content, time.GetUtcNow(), violations, cancellationToken);
        PurviewTelemetry.AdminLogsGenerated.Add(1, new KeyValuePair<string, object?>("result", violations > 0 ? "invariant_violations" : "written"));
        PurviewTelemetry.AdminLogDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        return info;
    }

    public async Task<Result<IReadOnlyList<AdminLogInfo>>> ListAsync(string connectorId, CancellationToken cancellationToken)
    {
        if (await CheckAsync(connectorId, cancellationToken) is { } error)
        {
            return error;
        }

        var now = time.GetUtcNow();
        var all = await logs.ListAsync(connectorId, cancellationToken);
        return all.Where(l => ConnectorRules.IsWithinRetention(l.Day, now)).OrderByDescending(l => l.Day).ToList();
    }

    public async Task<Result<(Stream Content, long Length)>> OpenAsync(string connectorId, string? date, CancellationToken cancellationToken)
    {
        if (await CheckDayAsync(connectorId, date, cancellationToken) is { Error: { } error })
        {
            return error;
        }

        var day = ParseDay(date)!.Value;
        return await logs.OpenAsync(connectorId, day, cancellationToken) is { } opened
            ? opened
            : Error.NotFound($"There is no admin log of connector '{connectorId}' for {day:yyyy-MM-dd} yet: logs are written after the end of each UTC day.");
    }

    public async Task<Result<Uri>> GetDownloadUrlAsync(string connectorId, string? date, CancellationToken cancellationToken)
    {
        if (await CheckDayAsync(connectorId, date, cancellationToken) is { Error: { } error })
        {
            return error;
        }

        var day = ParseDay(date)!.Value;
        if (!await logs.ExistsAsync(connectorId, day, cancellationToken))
        {
            return Error.NotFound($"There is no admin log of connector '{connectorId}' for {day:yyyy-MM-dd} yet: logs are written after the end of each UTC day.");
        }

        return await logs.GetReadUrlAsync(connectorId, day, time.GetUtcNow() + DownloadUrlLifetime, cancellationToken) is { } url
            ? url
            : Error.Conflict("SasUnavailable", "The storage account is reached with a SAS token only (no account key, no Entra ID identity), so no download URL can be signed; download the file without redirect=true.");
    }

    /// <summary>yyyy-MM-dd, or null.</summary>
    public static DateOnly? ParseDay(string? date) =>
        date is { Length: 10 } && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    public static Result<DateOnly> ValidateGenerateDay(string? date, DateTimeOffset now)
    {
        var day = ParseDay(date);
        if (day is null)
        {
            return Error.Validation("date", "date is required, as yyyy-MM-dd (a UTC day).");
        }

        return ConnectorRules.IsWithinRetention(day.Value, now)
            ? day.Value
            : Error.Validation("date", $"date is a UTC day from {ConnectorRules.Today(now).AddDays(-ConnectorRules.AdminLogRetentionDays):yyyy-MM-dd} to today ({ConnectorRules.Today(now):yyyy-MM-dd}).");
    }

    private async Task<Error?> CheckAsync(string connectorId, CancellationToken cancellationToken)
    {
        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            return Error.Validation([invalid]);
        }

        if (await connectors.GetAsync(connectorId, cancellationToken) is null)
        {
            return Error.NotFound($"There is no connector '{connectorId}'.");
        }

        return (await connectors.GetSettingsAsync(cancellationToken)).AuditingEnabled ? null : AuditingDisabled;
    }

    private async Task<Result<DateOnly>> CheckDayAsync(string connectorId, string? date, CancellationToken cancellationToken)
    {
        if (ParseDay(date) is not { } day)
        {
            return Error.Validation("date", "date is a UTC day as yyyy-MM-dd, e.g. 2026-11-21.");
        }

        if (await CheckAsync(connectorId, cancellationToken) is { } error)
        {
            return error;
        }

        return ConnectorRules.IsWithinRetention(day, time.GetUtcNow())
            ? day
            : Error.NotFound($"Admin logs are available for the previous {ConnectorRules.AdminLogRetentionDays} days only; {day:yyyy-MM-dd} is outside that window.");
    }

    private async IAsyncEnumerable<string> Lines(string connectorId, DateOnly day, IReadOnlyList<ImportSummary> summaries, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (summaries.Sum(s => s.ItemsAvailableFromSource) == 0)
        {
            yield return AdminLogCsv.NoItemsLine(day);
            yield break;
        }

        yield return AdminLogCsv.SummaryHeader;
        foreach (var s in summaries)
        {
            yield return AdminLogCsv.SummaryRow(s);
        }

        yield return AdminLogCsv.NewLine;
        yield return AdminLogCsv.FailedSectionTitle;
        yield return AdminLogCsv.FailedHeader;
        foreach (var s in summaries)
        {
            await foreach (var f in imports.ListFailuresAsync(connectorId, s.ImportId, s.FailureDay, cancellationToken))
            {
                yield return AdminLogCsv.FailedRow(f);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "ADMIN LOG INVARIANT VIOLATED: connector {ConnectorId} import {ImportId}: available for import {ForImport} != imported {Imported} + partially imported {Partial} + skipped {Skipped} + failed {Failed}")]
    private static partial void LogInvariantViolation(ILogger logger, string connectorId, string importId, long forImport, long imported, long partial, long skipped, long failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Auditing is off: no connector admin logs for {Day}")]
    private static partial void LogSkipped(ILogger logger, DateOnly day);
}

/// <summary>The daily admin log: at 00:10 UTC, yesterday's log of every connector.</summary>
public sealed class AdminLogJob(AdminLogService service) : IScheduledJob
{
    public const string ScheduleExpression = "0 10 0 * * *";

    public string Name => "connector-admin-logs";

    public string Schedule => ScheduleExpression;

    public TimeSpan CatchUpWindow => TimeSpan.FromHours(26);

    public Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken) =>
        service.GenerateAllAsync(ConnectorRules.Today(occurrence).AddDays(-1), cancellationToken);
}

/// <summary>Daily at 00:40 UTC: deletes admin logs older than 7 days and import outcomes older than 8 days.</summary>
public sealed partial class ConnectorRetentionJob(IImportStore imports, IAdminLogStore logs, ILogger<ConnectorRetentionJob> logger) : IScheduledJob
{
    public const string ScheduleExpression = "0 40 0 * * *";

    public string Name => "connector-retention";

    public string Schedule => ScheduleExpression;

    public TimeSpan CatchUpWindow => TimeSpan.FromHours(26);

    public async Task RunAsync(DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        var today = ConnectorRules.Today(occurrence);
        var files = await logs.DeleteBeforeAsync(today.AddDays(-ConnectorRules.AdminLogRetentionDays), cancellationToken);
        var rows = await imports.DeleteBeforeAsync(today.AddDays(-ConnectorRules.OutcomeRetentionDays), cancellationToken);
        LogDeleted(logger, files, rows);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector retention: deleted {Files} admin logs and {Rows} import rows")]
    private static partial void LogDeleted(ILogger logger, int files, long rows);
}

