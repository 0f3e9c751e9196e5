using Purview.Core.Access;
using Purview.Core.Common;

namespace Purview.Core.Registry;

/// <summary>The account's scan settings: read by anyone the route admits, changed only by a Data source admin of the root collection.</summary>
public sealed class ScanSettingsService(IScanRegistryStore store, AccessService access)
{
    public Task<AccountScanSettings> GetSettingsAsync(CancellationToken cancellationToken) => store.GetSettingsAsync(cancellationToken);

    public async Task<Result<AccountScanSettings>> PutSettingsAsync(Principal caller, int maxConcurrentScanRuns, CancellationToken cancellationToken)
    {
        if (maxConcurrentScanRuns is < 1 or > AccountScanSettings.MaxMaxConcurrentScanRuns)
        {
            return Error.Validation("maxConcurrentScanRuns", $"maxConcurrentScanRuns is between 1 and {AccountScanSettings.MaxMaxConcurrentScanRuns}.");
        }

        var snapshot = await access.GetSnapshotAsync(cancellationToken);
        if (RegistryAccess.RootAdminRequired(snapshot, caller, "The scan settings are account-level: changing them") is { } denied)
        {
            return denied;
        }

        var settings = new AccountScanSettings(maxConcurrentScanRuns);
        await store.PutSettingsAsync(settings, cancellationToken);
        await access.AuditAsync(caller, "settings.put", "scan", snapshot.RootName, $"maxConcurrentScanRuns={maxConcurrentScanRuns}", cancellationToken);
        return settings;
    }
}
