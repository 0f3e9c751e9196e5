namespace Purview.Core.Registry;

// SpecFields: the fields the Scanning API defines that this service stores and returns without acting on them, as a
// JSON object the API layer builds from the typed request (so only fields the spec defines get here).

/// <summary>A data source as a client sends it; validated by <see cref="DataSourceService"/>.</summary>
public sealed record DataSourceInput(string? Kind, string? Endpoint, string? CollectionName, string? SpecFields = null);

/// <summary>A scan as a client sends it; omitted rule set and runtime take the defaults.</summary>
public sealed record ScanInput(
    string? Kind,
    string? ScanRulesetName,
    string? ScanRulesetType,
    bool HasCredential,
    string? CredentialName,
    string? CredentialType,
    string? ConnectedVia,
    string? CollectionName,
    string? SpecFields = null);

/// <summary>
/// A credential as a client sends it. <see cref="Kind"/> is the spec's discriminator, <see cref="Type"/> this service's
/// older name for the same thing (either, or both when they agree). The inline secret fields are this service's
/// extension (the spec's credentials point at Key Vault secrets, kept in <see cref="TypeProperties"/>); each type
/// uses its own and refuses the others. <see cref="TypeUser"/> is <c>typeProperties.user</c>. Its optional scope
/// (extension properties <c>allowedEndpoints</c>, <c>allowedCollections</c>: see <see cref="CredentialScope"/>).
/// </summary>
public sealed record CredentialInput(
    string? Type,
    string? ConnectionString,
    string? AccountKey,
    string? SasToken,
    string? UserName,
    string? Password,
    string? Kind = null,
    string? Description = null,
    string? TypeProperties = null,
    string? TypeUser = null)
{
    public IReadOnlyList<string>? AllowedEndpoints { get; init; }

    public IReadOnlyList<string>? AllowedCollections { get; init; }
}

public sealed record IntegrationRuntimeInput(string? Kind, int Nodes, int ConcurrentScansPerNode);

/// <summary>A trigger's recurrence as a client sends it; times are ISO 8601 text, read as UTC.</summary>
public sealed record TriggerInput(
    string? Frequency,
    int Interval,
    string? StartTime,
    string? EndTime,
    string? TimeZone,
    string? ScanLevel,
    string? State = null,
    string? SpecFields = null);
