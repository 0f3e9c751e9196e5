using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Purview.Storage.Client;

namespace Purview.Storage;

/// <summary>
/// Finds the storage account from configuration with the Azure Functions conventions:
/// <c>AzureWebJobsStorage</c> as a connection string (locally), or identity-based
/// <c>AzureWebJobsStorage__accountName</c> / <c>__tableServiceUri</c>, <c>__blobServiceUri</c>, <c>__queueServiceUri</c>
/// with <c>__credential=managedidentity</c> and optional <c>__clientId</c> (in Azure: no keys in settings).
/// </summary>
public static class StorageConfiguration
{
    public const string SettingName = "AzureWebJobsStorage";

    public static StorageAccount ResolveAccount(IConfiguration configuration, TokenCredential? credentialOverride = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SettingName);
        var connectionString = section.Value;
        var accountName = section["accountName"];
        var tableUri = section["tableServiceUri"];
        if (!string.IsNullOrWhiteSpace(accountName) || !string.IsNullOrWhiteSpace(tableUri))
        {
            var credential = credentialOverride ?? CreateCredential(section["credential"], section["clientId"]);
            if (!string.IsNullOrWhiteSpace(tableUri))
            {
                var table = new Uri(tableUri);
                var name = accountName ?? table.Host.Split('.')[0];
                return StorageAccount.WithTokenCredential(name,
                    new Uri(section["blobServiceUri"] ?? $"https://{name}.blob.core.windows.net"),
                    new Uri(section["queueServiceUri"] ?? $"https://{name}.queue.core.windows.net"),
                    table, credential);
            }

            return StorageAccount.WithTokenCredential(accountName!, credential);
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No storage configured: set {SettingName} to a connection string (UseDevelopmentStorage=true for Azurite) " +
                $"or {SettingName}__accountName for an identity-based connection.");
        }

        return StorageAccount.Parse(connectionString);
    }

    private static TokenCredential CreateCredential(string? kind, string? clientId) =>
        string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
}
