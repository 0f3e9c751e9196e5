using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Purview.Storage;

/// <summary>How the app authenticates to storage, as chosen from configuration.</summary>
public enum StorageCredentialKind
{
    /// <summary>The connection string's Shared Key or SAS (local development, Azurite).</summary>
    ConnectionString,

    /// <summary>The app's system-assigned managed identity (<c>__credential=managedidentity</c>, no client id).</summary>
    SystemAssignedManagedIdentity,

    /// <summary>A user-assigned managed identity (<c>__credential=managedidentity</c> with <c>__clientId</c>).</summary>
    UserAssignedManagedIdentity,

    /// <summary>DefaultAzureCredential: environment, workload identity, managed identity, Azure CLI, ... (a developer's own login).</summary>
    DefaultAzureCredential,
}

/// <summary>
/// What configuration says about the storage account, before any credential exists: which setting decided, the
/// endpoints and the kind of credential. Pure, so the choice is testable without Azure.
/// </summary>
public sealed record StorageSettings(
    string Source, StorageCredentialKind Credential, string? AccountName, Uri? BlobEndpoint, Uri? QueueEndpoint, Uri? TableEndpoint,
    string? ClientId = null, string? ConnectionString = null);

/// <summary>
/// Finds the storage account from configuration, first match wins:
/// <list type="number">
/// <item><c>Storage:AccountName</c> (+ optional <c>Storage:ClientId</c>): the app's data in that account through Entra ID
/// (DefaultAzureCredential, or that user-assigned identity), e.g. the local host against a real account after <c>az login</c>;</item>
/// <item>the Functions identity-based connection, <c>AzureWebJobsStorage__accountName</c> or
/// <c>__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> (<c>__serviceUri</c> for blob), with
/// <c>__credential=managedidentity</c> and optional <c>__clientId</c>: what the app uses in Azure (no keys in settings);</item>
/// <item><c>AzureWebJobsStorage</c> as a connection string: locally (Azurite) or with an account key.</item>
/// </list>
/// Identity settings win over the connection string because appsettings.json defaults the latter to Azurite.
/// </summary>
public static class StorageConfiguration
{
    public const string SettingName = "AzureWebJobsStorage";
    public const string AccountNameSetting = "Storage:AccountName";

    public static StorageSettings Describe(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[AccountNameSetting] is { Length: > 0 } ownAccount)
        {
            var clientId = configuration["Storage:ClientId"];
            return Endpoints(AccountNameSetting, ownAccount, null, null, null,
                string.IsNullOrWhiteSpace(clientId) ? StorageCredentialKind.DefaultAzureCredential : StorageCredentialKind.UserAssignedManagedIdentity, clientId);
        }

        var section = configuration.GetSection(SettingName);
        var accountName = section["accountName"];
        var blob = section["blobServiceUri"] ?? section["serviceUri"];
        var queue = section["queueServiceUri"];
        var table = section["tableServiceUri"];
        if (new[] { accountName, blob, queue, table }.Any(s => !string.IsNullOrWhiteSpace(s)))
        {
            var clientId = section["clientId"];
            var kind = !string.Equals(section["credential"], "managedidentity", StringComparison.OrdinalIgnoreCase)
                ? StorageCredentialKind.DefaultAzureCredential
                : string.IsNullOrWhiteSpace(clientId) ? StorageCredentialKind.SystemAssignedManagedIdentity : StorageCredentialKind.UserAssignedManagedIdentity;
            var source = !string.IsNullOrWhiteSpace(accountName) ? $"{SettingName}__accountName" : $"{SettingName}__*ServiceUri";
            return Endpoints(source, accountName, blob, queue, table, kind, string.IsNullOrWhiteSpace(clientId) ? null : clientId);
        }

        if (string.IsNullOrWhiteSpace(section.Value))
        {
            throw new InvalidOperationException(
                $"No storage configured: set {SettingName} to a connection string (UseDevelopmentStorage=true for Azurite), " +
                $"{SettingName}__accountName for an identity-based connection, or {AccountNameSetting} to use your own Entra ID login.");
        }

        return new StorageSettings(SettingName, StorageCredentialKind.ConnectionString, null, null, null, null, ConnectionString: section.Value);
    }

    public static StorageAccount ResolveAccount(IConfiguration configuration, TokenCredential? credentialOverride = null)
    {
        var settings = Describe(configuration);
        if (settings.Credential == StorageCredentialKind.ConnectionString)
        {
            return StorageAccount.Parse(settings.ConnectionString!);
        }

        return StorageAccount.WithTokenCredential(settings.AccountName!, settings.BlobEndpoint!, settings.QueueEndpoint!, settings.TableEndpoint!,
            credentialOverride ?? CreateCredential(settings));
    }

    /// <summary>The token credential for identity-based settings (creating one makes no network call).</summary>
    public static TokenCredential CreateCredential(StorageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Credential switch
        {
            StorageCredentialKind.SystemAssignedManagedIdentity => new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned),
            StorageCredentialKind.UserAssignedManagedIdentity => new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(settings.ClientId!)),
            StorageCredentialKind.DefaultAzureCredential => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = settings.ClientId }),
            _ => throw new InvalidOperationException("A connection string carries its own key or SAS; no token credential is used."),
        };
    }

    /// <summary>Each service's endpoint: the one given, else the public-cloud one of the account (named, or taken from a given endpoint's host).</summary>
    private static StorageSettings Endpoints(string source, string? accountName, string? blob, string? queue, string? table, StorageCredentialKind kind, string? clientId)
    {
        var given = new[] { blob, queue, table }.FirstOrDefault(u => !string.IsNullOrWhiteSpace(u));
        var name = !string.IsNullOrWhiteSpace(accountName) ? accountName : ParseUri(source, given!).Host.Split('.')[0];
        StorageAccount.ValidateAccountName(name);
        Uri Service(string? uri, string service) => string.IsNullOrWhiteSpace(uri) ? new Uri($"https://{name}.{service}.core.windows.net") : ParseUri(source, uri);
        return new StorageSettings(source, kind, name, Service(blob, "blob"), Service(queue, "queue"), Service(table, "table"), clientId);
    }

    private static Uri ParseUri(string source, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new FormatException($"{source}: '{text}' is not an absolute http(s) URI.");
}
