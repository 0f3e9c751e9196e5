using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>
/// Credentials are account-level (<see cref="AccountLevelService{T}"/>): any Data source admin reads them (a scan must
/// name them), only a Data source admin of the root collection changes them. Secrets go to the store and never into the audit.
/// </summary>
public sealed class CredentialService(IScanRegistryStore store, AccessService access, TimeProvider time)
    : AccountLevelService<CredentialInfo>(store, access, new AccountLevelKind<CredentialInfo>(
        "Credential", "credential", "CredentialInUse", c => c.Name, s => s.CredentialName, store.ListCredentialsAsync, store.GetCredentialAsync, store.DeleteCredentialAsync))
{
    public const int MaxScopeEntries = 100;

    public async Task<Result<(CredentialInfo Credential, bool Created)>> PutAsync(Principal caller, string name, CredentialInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (RegistryValidation.ValidateAccountLevelName(name, "credentialName") is { } nameError)
        {
            return nameError;
        }

        // kind (the spec's discriminator) and properties.type (this service's older field) name the same thing.
        var kindGiven = TryParseCredentialType(input.Kind, out var kindType);
        var typeGiven = TryParseCredentialType(input.Type, out var legacyType);
        if (input.Kind is not null && !kindGiven)
        {
            return Error.Validation("kind", $"'{input.Kind}' is not a credential kind: use one of {string.Join(", ", Enum.GetNames<CredentialType>())}.");
        }

        if (input.Type is not null && !typeGiven)
        {
            return Error.Validation("properties.type", $"'{input.Type}' is not a credential type: use one of {string.Join(", ", Enum.GetNames<CredentialType>())}.");
        }

        if (!kindGiven && !typeGiven)
        {
            return Error.Validation("kind", $"kind is required: one of {string.Join(", ", Enum.GetNames<CredentialType>())}.");
        }

        if (kindGiven && typeGiven && kindType != legacyType)
        {
            return Error.Validation("properties.type", $"properties.type '{input.Type}' contradicts kind '{input.Kind}': send kind only.");
        }

        var type = kindGiven ? kindType : legacyType;
        if (input.Description is { } description && (description.Length > 1024 || description.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')))
        {
            return Error.Validation("properties.description", "properties.description is at most 1024 characters without control characters.");
        }

        if (RegistryValidation.ValidateSpecFields(input.TypeProperties, "properties.typeProperties") is { } specError)
        {
            return specError;
        }

        if (input.UserName is not null && input.TypeUser is not null && !string.Equals(input.UserName, input.TypeUser, StringComparison.Ordinal))
        {
            return Error.Validation("properties.userName", "properties.userName and properties.typeProperties.user differ: send one.");
        }

        var userName = input.UserName ?? input.TypeUser;
        var fields = new (string Field, string? Value, int MaxLength)[]
        {
            ("properties.connectionString", input.ConnectionString, 4096),
            ("properties.accountKey", input.AccountKey, 1024),
            ("properties.sasToken", input.SasToken, 4096),
            ("properties.userName", userName, 128),
            ("properties.password", input.Password, 256),
        };

        // The inline secret of each type (this service's extension). ConnectionString and SasToken exist only inline;
        // the spec's kinds may instead reference a Key Vault secret (typeProperties), which no scan here can read.
        string[] used = type switch
        {
            CredentialType.ConnectionString => ["properties.connectionString"],
            CredentialType.AccountKey => ["properties.accountKey"],
            CredentialType.SasToken => ["properties.sasToken"],
            CredentialType.SqlAuth or CredentialType.BasicAuth => ["properties.userName", "properties.password"],
            _ => [],
        };
        var inline = type is CredentialType.ConnectionString or CredentialType.SasToken || (input.Type is not null && used.Length > 0) ||
                     used.Any(f => f != "properties.userName" && fields.Single(x => x.Field == f).Value is not null);
        foreach (var (field, value, max) in fields)
        {
            if (field == "properties.userName" && type is CredentialType.DelegatedAuth or CredentialType.ConsumerKeyAuth)
            {
                continue;
            }

            if (!used.Contains(field) && value is not null)
            {
                return Error.Validation(field, $"A {type} credential does not use {field}.");
            }

            var required = inline || (field == "properties.userName" && value is not null);
            if (used.Contains(field) && required && (string.IsNullOrWhiteSpace(value) || value.Length > max || value.Any(UnsafeText.IsUnsafe)))
            {
                return Error.Validation(field, $"{field} is required for a {type} credential: 1-{max} characters without control characters.");
            }
        }

        var (snapshot, denied) = await AuthorizeChangeAsync(caller, cancellationToken);
        if (denied is not null)
        {
            return denied;
        }

        var scope = ValidateScope(input, snapshot);
        if (!scope.IsSuccess)
        {
            return scope.Error!;
        }

        var existing = await Store.GetCredentialAsync(name, cancellationToken);
        var now = time.GetUtcNow();
        var secret = !inline ? string.Empty : type switch
        {
            CredentialType.ConnectionString => input.ConnectionString!,
            CredentialType.AccountKey => input.AccountKey!,
            CredentialType.SasToken => input.SasToken!,
            _ => input.Password!,
        };
        var credential = new CredentialInfo(existing?.Name ?? name, type, type is CredentialType.SqlAuth or CredentialType.BasicAuth ? userName : null,
            existing?.CreatedAt ?? now, now, input.Description, input.TypeProperties, HasSecret: inline) { Scope = scope.Value! };
        await Store.PutCredentialAsync(credential, secret, cancellationToken);
        await Access.AuditAsync(caller, "credential.put", credential.Name, snapshot.RootName,
            $"kind={type}{(inline ? string.Empty : " (no inline secret)")}; allowedEndpoints={string.Join(' ', credential.Scope.Endpoints)}; allowedCollections={string.Join(' ', credential.Scope.Collections)}", cancellationToken);
        return (credential, existing is null);
    }

    /// <summary>A credential's scope: well-formed endpoints; existing collections; other collections only with endpoints (docs/SECURITY.md).</summary>
    private static Result<CredentialScope> ValidateScope(CredentialInput input, AccessSnapshot snapshot)
    {
        var endpoints = input.AllowedEndpoints ?? [];
        var collections = input.AllowedCollections ?? [];
        if (endpoints.Count > MaxScopeEntries)
        {
            return Error.Validation("properties.allowedEndpoints", $"properties.allowedEndpoints holds at most {MaxScopeEntries} entries.");
        }

        if (collections.Count > MaxScopeEntries)
        {
            return Error.Validation("properties.allowedCollections", $"properties.allowedCollections holds at most {MaxScopeEntries} entries.");
        }

        var errors = new List<ValidationError>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            if (Scanners.ScanTargetRules.ValidateEndpointEntry(endpoints[i]) is { } bad)
            {
                errors.Add(new ValidationError($"properties.allowedEndpoints[{i}]", bad));
            }
        }

        var names = new List<string>();
        for (var i = 0; i < collections.Count; i++)
        {
            if (string.IsNullOrEmpty(collections[i]) || snapshot.Find(collections[i]) is not { } found)
            {
                errors.Add(new ValidationError($"properties.allowedCollections[{i}]", $"The collection '{collections[i]}' does not exist."));
            }
            else
            {
                names.Add(found.Name);
            }
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if (names.Any(n => !string.Equals(n, snapshot.RootName, StringComparison.OrdinalIgnoreCase)) && endpoints.Count == 0)
        {
            return Error.Validation("properties.allowedEndpoints",
                "A credential that serves collections other than the root must list the endpoints it may be sent to (properties.allowedEndpoints).");
        }

        return new CredentialScope([.. endpoints.Distinct(StringComparer.OrdinalIgnoreCase)], [.. names.Distinct(StringComparer.OrdinalIgnoreCase)]);
    }

    private static bool TryParseCredentialType(string? text, out CredentialType type)
    {
        foreach (var candidate in Enum.GetValues<CredentialType>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
