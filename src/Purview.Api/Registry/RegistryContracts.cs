using System.Text.Json.Serialization;
using Purview.Api.Access;
using Purview.Core.Registry;

namespace Purview.Api.Registry;

// Requests: the Purview Scanning API shapes (2023-09-01). Read-only fields a client may echo back from a GET
// (id, name, createdAt, lastModifiedAt) are accepted and ignored; any other unknown field is a 400.

public sealed record DataSourceRequest(string? Kind = null, DataSourcePropertiesRequest? Properties = null, string? Name = null, string? Id = null);

public sealed record DataSourcePropertiesRequest(string? Endpoint = null, CollectionReference? Collection = null, string? CreatedAt = null, string? LastModifiedAt = null);

public sealed record ScanRequest(string? Kind = null, ScanPropertiesRequest? Properties = null, string? Name = null, string? Id = null);

public sealed record ScanPropertiesRequest(
    string? ScanRulesetName = null,
    string? ScanRulesetType = null,
    CredentialReference? Credential = null,
    ConnectedVia? ConnectedVia = null,
    CollectionReference? Collection = null,
    string? CreatedAt = null,
    string? LastModifiedAt = null);

public sealed record CredentialReference(string? ReferenceName = null, string? CredentialType = null);

public sealed record ConnectedVia(string? ReferenceName = null);

public sealed record FilterRequest(FilterProperties? Properties = null, string? Name = null);

public sealed record FilterProperties(IReadOnlyList<string>? IncludeUriPrefixes = null, IReadOnlyList<string>? ExcludeUriPrefixes = null);

public sealed record CredentialRequest(CredentialPropertiesRequest? Properties = null, string? Name = null);

public sealed record CredentialPropertiesRequest(
    string? Type = null,
    string? ConnectionString = null,
    string? AccountKey = null,
    string? SasToken = null,
    string? UserName = null,
    string? Password = null,
    IReadOnlyList<string>? AllowedEndpoints = null,
    IReadOnlyList<string>? AllowedCollections = null);

public sealed record IntegrationRuntimeRequest(string? Kind = null, IntegrationRuntimePropertiesRequest? Properties = null, string? Name = null);

public sealed record IntegrationRuntimePropertiesRequest(int Nodes, int ConcurrentScansPerNode);

public sealed record ScanSettings(int MaxConcurrentScanRuns);

public sealed record TriggerRequest(TriggerPropertiesRequest? Properties = null, string? Name = null);

public sealed record TriggerPropertiesRequest(Recurrence? Recurrence = null, string? ScanLevel = null, string? CreatedAt = null, string? LastModifiedAt = null);

public sealed record Recurrence(string? Frequency = null, int Interval = 1, string? StartTime = null, string? EndTime = null, string? Timezone = null);

// Responses.

public sealed record DataSourceResponse(string Kind, string Name, string Id, DataSourcePropertiesResponse Properties)
{
    public static DataSourceResponse From(DataSource d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Kind, d.Name, $"datasources/{d.Name}", new DataSourcePropertiesResponse(d.Endpoint, new CollectionReference(d.CollectionName, "CollectionReference"), d.CreatedAt, d.LastModifiedAt));
    }
}

public sealed record DataSourcePropertiesResponse(string Endpoint, CollectionReference Collection, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt);

public sealed record ScanResponse(string Kind, string Name, string Id, ScanPropertiesResponse Properties)
{
    public static ScanResponse From(Scan s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.Kind, s.Name, $"datasources/{s.DataSourceName}/scans/{s.Name}", new ScanPropertiesResponse(
            s.ScanRulesetName,
            s.ScanRulesetType,
            s.CredentialName is null ? null : new CredentialReference(s.CredentialName, null),
            new ConnectedVia(s.IntegrationRuntimeName),
            new CollectionReference(s.CollectionName, "CollectionReference"),
            s.CreatedAt,
            s.LastModifiedAt));
    }
}

public sealed record ScanPropertiesResponse(
    string ScanRulesetName,
    string ScanRulesetType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CredentialReference? Credential,
    ConnectedVia ConnectedVia,
    CollectionReference Collection,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastModifiedAt);

public sealed record FilterResponse(string Name, FilterProperties Properties)
{
    public static FilterResponse From(ScanFilter f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new("custom", new FilterProperties(f.IncludeUriPrefixes, f.ExcludeUriPrefixes));
    }
}

/// <summary>A credential without its secret: <c>hasSecret</c> says one is stored.</summary>
public sealed record CredentialResponse(string Name, CredentialPropertiesResponse Properties)
{
    public static CredentialResponse From(CredentialInfo c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Name, new CredentialPropertiesResponse(c.Type.ToString(), c.UserName, HasSecret: true, c.CreatedAt, c.LastModifiedAt,
            c.Scope.Endpoints.Count > 0 ? c.Scope.Endpoints : null, c.Scope.Collections.Count > 0 ? c.Scope.Collections : null));
    }
}

public sealed record CredentialPropertiesResponse(
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

public sealed record TriggerResponse(string Name, TriggerPropertiesResponse Properties)
{
    public static TriggerResponse From(ScanTriggerDefinition t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return new("default", new TriggerPropertiesResponse(
            new RecurrenceResponse(t.Frequency, t.Interval, t.StartTime, t.EndTime, "UTC"),
            t.ScanLevel.ToString(),
            t.CreatedAt,
            t.LastModifiedAt));
    }
}

public sealed record TriggerPropertiesResponse(RecurrenceResponse Recurrence, string ScanLevel, DateTimeOffset CreatedAt, DateTimeOffset LastModifiedAt);

public sealed record RecurrenceResponse(string Frequency, int Interval, DateTimeOffset StartTime, DateTimeOffset? EndTime, string Timezone);
