using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Connectors;

/// <summary>Organisation settings, connectors and user mappings. Every change is audited.</summary>
public sealed class ConnectorService(IConnectorStore store, AccessService access, TimeProvider time)
{
    public Task<ConnectorSettings> GetSettingsAsync(CancellationToken cancellationToken) => store.GetSettingsAsync(cancellationToken);

    public async Task<ConnectorSettings> PutSettingsAsync(Principal caller, ConnectorSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await store.SaveSettingsAsync(settings, cancellationToken);
        await access.AuditAsync(caller, "connectors.settings.put", "settings", null, $"auditingEnabled={settings.AuditingEnabled}", cancellationToken);
        return settings;
    }

    public Task<IReadOnlyList<Connector>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<Result<Connector>> GetAsync(string connectorId, CancellationToken cancellationToken)
    {
        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            return Error.Validation([invalid]);
        }

        return await store.GetAsync(connectorId, cancellationToken) is { } connector
            ? connector
            : Error.NotFound($"There is no connector '{connectorId}'.");
    }

    public async Task<Result<(Connector Connector, bool Created)>> PutAsync(Principal caller, string connectorId, string? name, string? sourceType, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            errors.Add(invalid);
        }

        if (!ConnectorRules.IsValidText(name, 100))
        {
            errors.Add(new("name", "name is 1-100 characters without control characters."));
        }

        if (!ConnectorRules.TryNormalizeSourceType(sourceType, out var normalized))
        {
            errors.Add(new("sourceType", $"sourceType is one of {string.Join(", ", ConnectorRules.SourceTypes)}."));
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        var now = time.GetUtcNow();
        var existing = await store.GetAsync(connectorId, cancellationToken);
        var connector = existing is null
            ? new Connector(connectorId, name!.Trim(), normalized, now, caller.Name, now)
            : existing with { Name = name!.Trim(), SourceType = normalized, LastModifiedAt = now };
        await store.SaveAsync(connector, cancellationToken);
        await access.AuditAsync(caller, existing is null ? "connectors.create" : "connectors.update", connectorId, null, $"name={connector.Name}; sourceType={connector.SourceType}", cancellationToken);
        return (connector, existing is null);
    }

    public async Task<Result<bool>> DeleteAsync(Principal caller, string connectorId, CancellationToken cancellationToken)
    {
        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            return Error.Validation([invalid]);
        }

        if (!await store.DeleteAsync(connectorId, cancellationToken))
        {
            return Error.NotFound($"There is no connector '{connectorId}'.");
        }

        await access.AuditAsync(caller, "connectors.delete", connectorId, null, null, cancellationToken);
        return true;
    }

    public async Task<Result<int>> PutMappingsAsync(Principal caller, string connectorId, IReadOnlyList<UserMapping?>? mappings, string? mode, CancellationToken cancellationToken)
    {
        var errors = new List<ValidationError>();
        var replace = false;
        if (mode is not null && !string.Equals(mode, "merge", StringComparison.OrdinalIgnoreCase))
        {
            if (!string.Equals(mode, "replace", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new("mode", "mode is 'merge' (the default) or 'replace'."));
            }

            replace = true;
        }

        if (mappings is null)
        {
            errors.Add(new("mappings", "mappings is required: an array of {sourceUserId, userPrincipalName}."));
        }
        else if (mappings.Count > ConnectorRules.MaxMappingsPerRequest)
        {
            errors.Add(new("mappings", $"At most {ConnectorRules.MaxMappingsPerRequest} mappings per request."));
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < mappings.Count && errors.Count < 20; i++)
            {
                var m = mappings[i];
                if (m is null)
                {
                    errors.Add(new($"mappings[{i}]", "A mapping is an object {sourceUserId, userPrincipalName}."));
                    continue;
                }

                if (!ConnectorRules.IsValidText(m.SourceUserId))
                {
                    errors.Add(new($"mappings[{i}].sourceUserId", "sourceUserId is 1-256 characters without control characters."));
                }
                else if (!seen.Add(m.SourceUserId))
                {
                    errors.Add(new($"mappings[{i}].sourceUserId", $"'{m.SourceUserId}' appears more than once."));
                }

                if (!ConnectorRules.IsValidUserPrincipalName(m.UserPrincipalName))
                {
                    errors.Add(new($"mappings[{i}].userPrincipalName", "userPrincipalName is name@domain (up to 256 characters)."));
                }
            }
        }

        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            errors.Insert(0, invalid);
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (await store.GetAsync(connectorId, cancellationToken) is null)
        {
            return Error.NotFound($"There is no connector '{connectorId}'.");
        }

        var list = mappings!.Select(m => m!).ToList();
        if (replace)
        {
            await store.ReplaceMappingsAsync(connectorId, list, cancellationToken);
        }
        else
        {
            await store.MergeMappingsAsync(connectorId, list, cancellationToken);
        }

        await access.AuditAsync(caller, replace ? "connectors.mappings.replace" : "connectors.mappings.merge", connectorId, null, $"{list.Count} mappings", cancellationToken);
        return list.Count;
    }

    public async Task<Result<(IReadOnlyList<UserMapping> Page, string? ContinuationToken)>> ListMappingsAsync(string connectorId, int top, string? continuationToken, CancellationToken cancellationToken)
    {
        if (ConnectorRules.ValidateConnectorId(connectorId) is { } invalid)
        {
            return Error.Validation([invalid]);
        }

        if (await store.GetAsync(connectorId, cancellationToken) is null)
        {
            return Error.NotFound($"There is no connector '{connectorId}'.");
        }

        try
        {
            return await store.PageMappingsAsync(connectorId, top, continuationToken, cancellationToken);
        }
        catch (ArgumentException)
        {
            return Error.Validation("continuationToken", "continuationToken is not one this API returned.");
        }
    }
}
