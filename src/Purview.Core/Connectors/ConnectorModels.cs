using System.Text.RegularExpressions;
using Purview.Core.Common;

namespace Purview.Core.Connectors;

/// <summary>Organisation-wide settings of the connectors feature. Without auditing no admin log is produced.</summary>
public sealed record ConnectorSettings(bool AuditingEnabled)
{
    public static ConnectorSettings Default { get; } = new(AuditingEnabled: true);
}

/// <summary>A data connector importing items from a third-party source into users' mailboxes.</summary>
public sealed record Connector(string Id, string Name, string SourceType, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset LastModifiedAt);

/// <summary>Maps a user id at the source to the user principal name of the M365 mailbox.</summary>
public sealed record UserMapping(string SourceUserId, string UserPrincipalName);

public sealed record ImportAttachment(string Name, long SizeBytes);

/// <summary>One item (message) from the source, as sent in an import batch.</summary>
public sealed record ImportItem(string ItemId, string Sender, IReadOnlyList<string> Recipients, long SizeBytes, DateTimeOffset Timestamp, IReadOnlyList<ImportAttachment>? Attachments = null);

/// <summary>What happened to one copy (one item in one participant's mailbox).</summary>
public enum CopyStatus
{
    Imported,
    PartiallyImported,
    Skipped,
    Failed,
}

/// <summary>The counters of one import, as in the admin log; <see cref="FailureDay"/> is where its failed details are filed.</summary>
public sealed record ImportSummary(
    string ConnectorId,
    string ImportId,
    DateTimeOffset ImportCompletionTime,
    DateOnly FailureDay,
    long ItemsAvailableFromSource,
    long ItemsAvailableForImport,
    long ItemsImportedSuccessfully,
    long ItemsPartiallyImported,
    long ItemsSkipped,
    long ItemsFailed)
{
    public DateOnly Day => DateOnly.FromDateTime(ImportCompletionTime.UtcDateTime);

    /// <summary>available for import = imported + partially imported + skipped + failed.</summary>
    public bool InvariantHolds => ItemsAvailableForImport == ItemsImportedSuccessfully + ItemsPartiallyImported + ItemsSkipped + ItemsFailed;
}

/// <summary>A copy that must be recorded as present in a mailbox (imported or partially imported), keyed by (item id, mailbox).</summary>
public sealed record CopyRecord(string ItemId, string Mailbox, long ItemIndex, CopyStatus Status);

/// <summary>Whether a copy is new in its mailbox, was already written by this same import (a retry after a crash), or is a duplicate.</summary>
public enum CopyClaim
{
    New,
    OwnedByThisImport,
    Duplicate,
}

/// <summary>One line of the "Failed item details" section.</summary>
public sealed record FailureRecord(long ItemIndex, string ItemId, string SourceUserId, string? UserPrincipalName, string Reason);

/// <summary>A stored admin log: one CSV per connector and UTC day.</summary>
public sealed record AdminLogInfo(string ConnectorId, DateOnly Day, long SizeBytes, DateTimeOffset? GeneratedAt, int InvariantViolations);

/// <summary>The rules and limits of connectors and imports, in one place (documented in docs/CONNECTORS.md).</summary>
public static partial class ConnectorRules
{
    /// <summary>Items over 10 MB are not imported ("Item size exceeded").</summary>
    public const long MaxItemSizeBytes = 10 * 1024 * 1024;

    /// <summary>Attachments over 3 MB are dropped (the copy is partially imported).</summary>
    public const long MaxAttachmentSizeBytes = 3 * 1024 * 1024;

    public const int MaxMappingsPerRequest = 10_000;
    public const int MaxRecipients = 500;
    public const int MaxAttachments = 250;
    public const int MaxTextLength = 256;

    /// <summary>Admin logs are downloadable for the previous seven days.</summary>
    public const int AdminLogRetentionDays = 7;

    /// <summary>Per-copy outcomes and import summaries are kept one day longer than the logs built from them.</summary>
    public const int OutcomeRetentionDays = 8;

    public const string UserMappingFailure = "User mapping failure";
    public const string ItemSizeExceeded = "Item size exceeded";

    public static IReadOnlyList<string> SourceTypes { get; } = ["Slack", "Bloomberg", "ICE", "Zoom", "WhatsApp", "Teams", "Webex", "Generic"];

    public static IReadOnlyList<string> BlockedAttachmentExtensions { get; } =
        [".exe", ".bat", ".cmd", ".com", ".js", ".jse", ".vbs", ".vbe", ".ps1", ".psm1", ".msi", ".scr", ".cpl", ".hta", ".jar", ".wsf", ".wsh", ".reg", ".lnk", ".pif"];

    [GeneratedRegex(@"\A[A-Za-z0-9](?:[A-Za-z0-9-]{1,61})[A-Za-z0-9]\z", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectorIdPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9._-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ImportIdPattern();

    /// <summary>Segments of /connectors/... that are routes, not connectors.</summary>
    public static IReadOnlyList<string> ReservedIds { get; } = ["settings", "admin-logs"];

    public static ValidationError? ValidateConnectorId(string? id) =>
        id is null || !ConnectorIdPattern().IsMatch(id)
            ? new ValidationError("connectorId", "connectorId is 3-63 letters, digits and dashes, starting and ending with a letter or digit.")
            : ReservedIds.Contains(id, StringComparer.OrdinalIgnoreCase)
                ? new ValidationError("connectorId", $"'{id}' is reserved.")
                : null;

    public static ValidationError? ValidateImportId(string? id) =>
        id is null || ImportIdPattern().IsMatch(id)
            ? null
            : new ValidationError("importId", "importId is 1-128 letters, digits, '.', '_' and '-'.");

    public static bool TryNormalizeSourceType(string? value, out string sourceType)
    {
        sourceType = SourceTypes.FirstOrDefault(s => string.Equals(s, value, StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        return sourceType.Length > 0;
    }

    /// <summary>Text kept in storage keys and CSV cells: 1-256 characters, no control characters.</summary>
    public static bool IsValidText(string? value, int maxLength = MaxTextLength) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength && !value.Any(Purview.Core.Common.UnsafeText.IsUnsafe);

    /// <summary>A user principal name: name@domain, no spaces.</summary>
    public static bool IsValidUserPrincipalName(string? value) =>
        IsValidText(value) && value!.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < value.Length - 1 &&
        value.IndexOf('@', at + 1) < 0 && !value.Any(char.IsWhiteSpace);

    public static bool IsBlockedAttachment(string name) =>
        BlockedAttachmentExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static bool AttachmentDropped(ImportAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return attachment.SizeBytes > MaxAttachmentSizeBytes || IsBlockedAttachment(attachment.Name);
    }

    /// <summary>A day is downloadable when it is one of the previous seven UTC days (or today, once generated).</summary>
    public static bool IsWithinRetention(DateOnly day, DateTimeOffset now) =>
        day >= Today(now).AddDays(-AdminLogRetentionDays) && day <= Today(now);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);
}
