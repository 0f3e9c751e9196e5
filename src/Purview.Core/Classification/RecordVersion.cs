namespace Purview.Core.Classification;

/// <summary>What classification rules and scan rule sets share: a name and a version that grows with every change.</summary>
public interface IVersionedRecord
{
    string Name { get; }

    int Version { get; }

    DateTimeOffset CreatedAt { get; }
}

/// <summary>The name, version and times a create-or-replace writes.</summary>
public readonly record struct RecordVersion(string Name, int Version, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt)
{
    /// <summary>
    /// Version 1 created <paramref name="now"/> for a new record; else the next version, keeping the stored record's
    /// name (names compare case-insensitively, so a replace never changes the spelling it was created with) and its
    /// creation time.
    /// </summary>
    public static RecordVersion Next(IVersionedRecord? existing, string name, DateTimeOffset now) =>
        existing is null
            ? new RecordVersion(name, 1, now, now)
            : new RecordVersion(existing.Name, existing.Version + 1, existing.CreatedAt, now);
}
