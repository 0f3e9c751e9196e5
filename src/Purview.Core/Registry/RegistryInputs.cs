namespace Purview.Core.Registry;

/// <summary>A data source as a client sends it; validated by <see cref="RegistryService"/>.</summary>
public sealed record DataSourceInput(string? Kind, string? Endpoint, string? CollectionName);

/// <summary>A scan as a client sends it; omitted rule set and runtime take the defaults.</summary>
public sealed record ScanInput(
    string? Kind,
    string? ScanRulesetName,
    string? ScanRulesetType,
    bool HasCredential,
    string? CredentialName,
    string? CredentialType,
    string? ConnectedVia,
    string? CollectionName);

/// <summary>
/// A credential as a client sends it: the type and the fields that type uses (the others must be absent), and its
/// optional scope (extension properties <c>allowedEndpoints</c>, <c>allowedCollections</c>: see <see cref="CredentialScope"/>).
/// </summary>
public sealed record CredentialInput(string? Type, string? ConnectionString, string? AccountKey, string? SasToken, string? UserName, string? Password)
{
    public IReadOnlyList<string>? AllowedEndpoints { get; init; }

    public IReadOnlyList<string>? AllowedCollections { get; init; }
}

public sealed record IntegrationRuntimeInput(string? Kind, int Nodes, int ConcurrentScansPerNode);

/// <summary>A trigger's recurrence as a client sends it; times are ISO 8601 text, read as UTC.</summary>
public sealed record TriggerInput(string? Frequency, int Interval, string? StartTime, string? EndTime, string? Timezone, string? ScanLevel);
