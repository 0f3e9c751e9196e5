using System.Text.Json;
using System.Text.Json.Serialization;
using Purview.Core.Registry;

namespace Purview.Api.Registry;

// Requests: the Purview Scanning API shapes (2023-09-01). Every field the spec defines for these objects is accepted
// (union over the kinds of each discriminated type); any other field is a 400. Read-only fields a client may echo back
// from a GET (id, createdAt, scans, scanResults, ...) are accepted and ignored. The fields this service does not act on
// are stored as sent and returned (SpecFields); see docs/CONFORMANCE.md.

public sealed record DataSourceRequest(
    string? Kind = null,
    DataSourcePropertiesRequest? Properties = null,
    string? Name = null,
    string? Id = null,
    JsonElement? Scans = null,
    string? CreationType = null);

public sealed record DataSourcePropertiesRequest(
    string? Endpoint = null,
    RegistryCollectionReference? Collection = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null,
    string? DataSourceCollectionMovingState = null,
    string? SubscriptionId = null,
    string? ResourceGroup = null,
    string? ResourceId = null,
    string? DataUseGovernance = null,
    string? Location = null,
    string? ResourceName = null,
    string? DedicatedSqlEndpoint = null,
    string? ServerlessSqlEndpoint = null,
    string? SqlEndpoint = null,
    string? SqlOnDemandEndpoint = null,
    string? AwsAccountId = null,
    string? RoleARN = null,
    string? ServiceUrl = null,
    string? ServerEndpoint = null,
    JsonElement? Port = null,
    string? VpcEndpointServiceName = null,
    string? AccountUri = null,
    string? Host = null,
    string? Service = null,
    string? ApplicationServer = null,
    string? SystemNumber = null,
    string? Tenant = null);

/// <summary>The spec's CollectionReference (lastModifiedAt is read-only: accepted and ignored).</summary>
public sealed record RegistryCollectionReference(string? ReferenceName = null, string? Type = null, string? LastModifiedAt = null);

public sealed record ScanRequest(
    string? Kind = null,
    ScanPropertiesRequest? Properties = null,
    string? Name = null,
    string? Id = null,
    string? DataSourceName = null,
    string? ScanId = null,
    JsonElement? DataSourceIdentifier = null,
    string? CreationType = null,
    JsonElement? ScanResults = null,
    JsonElement? ScanResultsWithIngestion = null,
    JsonElement? LastRunResult = null);

public sealed record ScanPropertiesRequest(
    string? ScanRulesetName = null,
    string? ScanRulesetType = null,
    CredentialReference? Credential = null,
    ConnectedVia? ConnectedVia = null,
    RegistryCollectionReference? Collection = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null,
    string? BusinessRuleSetName = null,
    string? Domain = null,
    int? Workers = null,
    bool? IsPresetScan = null,
    bool? IsLiveViewEnabled = null,
    int? ParallelScanCount = null,
    string? LogLevel = null,
    JsonElement? ResourceTypes = null,
    string? ServerEndpoint = null,
    string? DatabaseName = null,
    JsonElement? Port = null,
    string? VpcEndpointServiceName = null,
    string? RoleARN = null,
    bool? IsMauiScan = null,
    string? Database = null,
    string? ShareName = null,
    int? SslMode = null,
    string? MaximumMemoryAllowedInGb = null,
    string? MitiCache = null,
    string? Schema = null,
    string? DriverLocation = null,
    string? StoredProcedureDetails = null,
    string? ClientId = null,
    string? JCoLibraryPath = null,
    string? Tenant = null,
    string? AuthenticationType = null,
    string? Username = null,
    string? Password = null,
    bool? IncludePersonalWorkspaces = null);

public sealed record CredentialReference(string? ReferenceName = null, string? CredentialType = null);

/// <summary>integrationRuntimeType is read-only: accepted and ignored.</summary>
public sealed record ConnectedVia(string? ReferenceName = null, string? IntegrationRuntimeType = null);

public sealed record FilterRequest(FilterProperties? Properties = null, string? Name = null);

public sealed record FilterProperties(IReadOnlyList<string>? IncludeUriPrefixes = null, IReadOnlyList<string>? ExcludeUriPrefixes = null);

/// <summary>
/// The spec's Credential: <c>kind</c> (AccountKey, ServicePrincipal, BasicAuth, SqlAuth, AmazonARN, ConsumerKeyAuth,
/// DelegatedAuth, ManagedIdentity) and <c>properties {description, typeProperties}</c>.
/// </summary>
public sealed record CredentialRequest(string? Kind = null, CredentialPropertiesRequest? Properties = null, string? Name = null, string? Id = null);

/// <summary>description and typeProperties are the spec's; type and the inline secrets are this service's extension.</summary>
public sealed record CredentialPropertiesRequest(
    string? Description = null,
    CredentialTypeProperties? TypeProperties = null,
    string? Type = null,
    string? ConnectionString = null,
    string? AccountKey = null,
    string? SasToken = null,
    string? UserName = null,
    string? Password = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null,
    IReadOnlyList<string>? AllowedEndpoints = null,
    IReadOnlyList<string>? AllowedCollections = null);

/// <summary>The union of the spec's credential typeProperties (secrets are Key Vault references, never values).</summary>
public sealed record CredentialTypeProperties(
    KeyVaultSecret? AccountKey = null,
    string? User = null,
    KeyVaultSecret? Password = null,
    string? ServicePrincipalId = null,
    KeyVaultSecret? ServicePrincipalKey = null,
    string? Tenant = null,
    string? RoleARN = null,
    string? ConsumerKey = null,
    KeyVaultSecret? ConsumerSecret = null,
    string? ClientId = null,
    string? PrincipalId = null,
    string? TenantId = null,
    string? ResourceId = null);

public sealed record KeyVaultSecret(string? Type = null, string? SecretName = null, string? SecretVersion = null, KeyVaultStore? Store = null);

public sealed record KeyVaultStore(string? ReferenceName = null, string? Type = null);

public sealed record IntegrationRuntimeRequest(string? Kind = null, IntegrationRuntimePropertiesRequest? Properties = null, string? Name = null);

public sealed record IntegrationRuntimePropertiesRequest(int Nodes, int ConcurrentScansPerNode);

public sealed record ScanSettings(int MaxConcurrentScanRuns);

public sealed record TriggerRequest(TriggerPropertiesRequest? Properties = null, string? Name = null, string? Id = null, string? ValidationErrorInfo = null);

public sealed record TriggerPropertiesRequest(
    Recurrence? Recurrence = null,
    string? ScanLevel = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null,
    string? RecurrenceInterval = null,
    string? LastScheduled = null,
    string? State = null,
    string? IncrementalScanStartTime = null);

/// <summary>
/// The spec's TriggerRecurrence. <c>timeZone</c> is the spec's spelling; the binder matches names case-insensitively,
/// so this service's older <c>timezone</c> still binds.
/// </summary>
public sealed record Recurrence(
    string? Frequency = null,
    int Interval = 1,
    string? StartTime = null,
    string? EndTime = null,
    RecurrenceSchedule? Schedule = null,
    string? TimeZone = null);

public sealed record RecurrenceSchedule(
    IReadOnlyList<int>? Minutes = null,
    IReadOnlyList<int>? Hours = null,
    IReadOnlyList<string>? WeekDays = null,
    IReadOnlyList<int>? MonthDays = null,
    IReadOnlyList<RecurrenceScheduleOccurrence>? MonthlyOccurrences = null,
    JsonElement? AdditionalProperties = null);

public sealed record RecurrenceScheduleOccurrence(string? Day = null, int? Occurrence = null, JsonElement? AdditionalProperties = null);

// Responses.

/// <summary>A response object that writes back the fields stored as sent (<see cref="SpecFields"/>) next to its own.</summary>
public abstract record SpecFieldsResponse
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record DataSourceResponse(string Kind, string Name, string Id, DataSourcePropertiesResponse Properties) : SpecFieldsResponse
{
    public static DataSourceResponse From(DataSource d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var (top, properties) = SpecFields.Split(d.SpecFields);
        return new(d.Kind, d.Name, $"datasources/{d.Name}", new DataSourcePropertiesResponse(
            d.Endpoint.Length == 0 ? null : d.Endpoint, new CollectionReference(d.CollectionName, "CollectionReference"), d.CreatedAt, d.LastModifiedAt) { Extra = properties })
        { Extra = top };
    }
}

public sealed record DataSourcePropertiesResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Endpoint,
    CollectionReference Collection,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt) : SpecFieldsResponse;

public sealed record ScanResponse(string Kind, string Name, string Id, string DataSourceName, ScanPropertiesResponse Properties) : SpecFieldsResponse
{
    public static ScanResponse From(Scan s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var (top, properties) = SpecFields.Split(s.SpecFields);
        return new(s.Kind, s.Name, $"datasources/{s.DataSourceName}/scans/{s.Name}", s.DataSourceName, new ScanPropertiesResponse(
            s.ScanRulesetName,
            s.ScanRulesetType,
            s.CredentialName is null ? null : new CredentialReference(s.CredentialName, s.CredentialType),
            new ConnectedVia(s.IntegrationRuntimeName),
            new CollectionReference(s.CollectionName, "CollectionReference"),
            s.CreatedAt,
            s.LastModifiedAt) { Extra = properties })
        { Extra = top };
    }
}

public sealed record ScanPropertiesResponse(
    string ScanRulesetName,
    string ScanRulesetType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CredentialReference? Credential,
    ConnectedVia ConnectedVia,
    CollectionReference Collection,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt) : SpecFieldsResponse;

public sealed record FilterResponse(string Name, FilterProperties Properties)
{
    public static FilterResponse From(ScanFilter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new("custom", new FilterProperties(f.IncludeUriPrefixes, f.ExcludeUriPrefixes));
    }
}

/// <summary>
/// A credential without its secret, in the spec's shape (<c>kind</c>, <c>properties.description</c>,
/// <c>properties.typeProperties</c>); <c>type</c> repeats the kind for older clients, <c>hasSecret</c> says an inline
/// secret is stored (only those credentials can be used by a scan here).
/// </summary>
public sealed record CredentialResponse(string Kind, string Name, string Id, CredentialPropertiesResponse Properties)
{
    public static CredentialResponse From(CredentialInfo c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var typeProperties = c.TypeProperties is null ? (JsonElement?)null : JsonDocument.Parse(c.TypeProperties).RootElement.Clone();
        return new(c.Type.ToString(), c.Name, $"credentials/{c.Name}",
            new CredentialPropertiesResponse(c.Description, typeProperties, c.Type.ToString(), c.UserName, c.HasSecret, c.CreatedAt, c.LastModifiedAt,
                c.Scope.Endpoints.Count > 0 ? c.Scope.Endpoints : null, c.Scope.Collections.Count > 0 ? c.Scope.Collections : null));
    }
}

public sealed record CredentialPropertiesResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? TypeProperties,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserName,
    bool HasSecret,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AllowedEndpoints = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AllowedCollections = null);

public sealed record IntegrationRuntimeResponse(string Kind, string Name, IntegrationRuntimePropertiesResponse Properties)
{
    public static IntegrationRuntimeResponse From(IntegrationRuntime r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.Managed ? "Managed" : "SelfHosted", r.Name, new IntegrationRuntimePropertiesResponse(r.Nodes, r.ConcurrentScansPerNode, r.Capacity));
    }
}

public sealed record IntegrationRuntimePropertiesResponse(int Nodes, int ConcurrentScansPerNode, int Capacity);

public sealed record TriggerResponse(string Name, string Id, TriggerPropertiesResponse Properties)
{
    public static TriggerResponse From(ScanTriggerDefinition t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var (_, properties) = SpecFields.Split(t.SpecFields);
        var schedule = properties is not null && properties.Remove("schedule", out var s) ? s : (JsonElement?)null;
        return new("default", $"datasources/{t.DataSourceName}/scans/{t.ScanName}/triggers/default", new TriggerPropertiesResponse(
            new RecurrenceResponse(t.Frequency, t.Interval, t.StartTime, t.EndTime, schedule, t.TimeZone),
            t.ScanLevel.ToString(),
            t.Enabled ? "Enabled" : "Disabled",
            t.CreatedAt,
            t.LastModifiedAt) { Extra = properties is { Count: > 0 } ? properties : null });
    }
}

public sealed record TriggerPropertiesResponse(RecurrenceResponse Recurrence, string ScanLevel, string State, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt) : SpecFieldsResponse;

public sealed record RecurrenceResponse(
    string Frequency,
    int Interval,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Schedule,
    string TimeZone);

/// <summary>
/// The fields a request carries that the spec defines and this service stores without acting on them: one JSON object
/// of the top-level ones with a nested "properties" object, built from the typed request (null fields dropped).
/// </summary>
public static class SpecFields
{
    // Null fields are absent: a client that sends a field as null sent nothing to keep.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>A typed request value as the JSON to store (null fields left out).</summary>
    public static System.Text.Json.Nodes.JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    /// <summary>The JSON to store, or null when the request carries none of them.</summary>
    public static string? Collect(object? top, IReadOnlyCollection<string> topInterpreted, object? properties, IReadOnlyCollection<string> propertiesInterpreted)
    {
        var result = Keep(top, topInterpreted.Append("properties").ToList());
        if (Keep(properties, propertiesInterpreted) is { Count: > 0 } kept)
        {
            result["properties"] = kept;
        }

        return result.Count == 0 ? null : result.ToJsonString(Options);
    }

    public static (Dictionary<string, JsonElement>? Top, Dictionary<string, JsonElement>? Properties) Split(string? json)
    {
        if (json is null)
        {
            return (null, null);
        }

        var all = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, Options)!;
        var properties = all.Remove("properties", out var p) ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(p.GetRawText(), Options) : null;
        return (all.Count == 0 ? null : all, properties);
    }

    private static System.Text.Json.Nodes.JsonObject Keep(object? value, IReadOnlyCollection<string> interpreted)
    {
        var node = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), Options) as System.Text.Json.Nodes.JsonObject;
        var kept = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, field) in node ?? [])
        {
            if (field is not null && !interpreted.Contains(name, StringComparer.Ordinal))
            {
                kept[name] = field.DeepClone();
            }
        }

        return kept;
    }
}
