using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using SdkBlobServiceClient = Azure.Storage.Blobs.BlobServiceClient;

namespace Purview.Storage.Client.Blobs;

/// <summary>
/// Signs read-only blob URLs for an account the app reaches with Entra ID (managed identity in Azure, where shared keys
/// are usually disabled): a user delegation key from the Blob service (the official SDK's
/// <c>GetUserDelegationKeyAsync</c>), cached and renewed well before it expires, then a user delegation SAS per blob.
/// The identity needs a role with <c>generateUserDelegationKey</c> (Storage Blob Data Reader/Contributor/Owner).
/// </summary>
public sealed class UserDelegationSigner
{
    /// <summary>How long a requested key lives: URLs of several hours are signed from one key, renewed when too short.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(6);

    /// <summary>A SAS starts this long before now, so that a clock slightly ahead of the service's does not refuse it.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly SdkBlobServiceClient _service;
    private readonly string _accountName;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private UserDelegationKey? _key;
    private Task<UserDelegationKey>? _fetching;
    private int _keyRequests;

    private UserDelegationSigner(SdkBlobServiceClient service, string accountName, TimeProvider time)
    {
        _service = service;
        _accountName = accountName;
        _time = time;
    }

    /// <summary>Key requests made so far (tests check that one key serves many URLs).</summary>
    public int KeyRequests => Volatile.Read(ref _keyRequests);

    /// <summary>A signer for an account reached with an Entra ID credential and no key; null for any other account.</summary>
    public static UserDelegationSigner? For(StorageAccount account, StorageClientOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (account.HasSharedKey || account.TokenCredential is null)
        {
            return null;
        }

        return new UserDelegationSigner(StorageClients.Blobs(account, options), account.Name, time);
    }

    public async Task<Uri> SignReadAsync(Uri blobUri, string containerName, string blobName, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobUri);
        var now = _time.GetUtcNow();
        var key = await KeyAsync(now, expiresOn, cancellationToken);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresOn)
        {
            BlobContainerName = containerName,
            BlobName = blobName,
            Resource = "b",
            StartsOn = now - ClockSkew,
        };
        var query = sas.ToSasQueryParameters(key, _accountName).ToString();
        return new UriBuilder(blobUri) { Query = query }.Uri;
    }

    private async Task<UserDelegationKey> KeyAsync(DateTimeOffset now, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            Task<UserDelegationKey> fetching;
            lock (_lock)
            {
                // A SAS may not outlive the key that signs it, nor start before it.
                if (_key is { } cached && cached.SignedExpiresOn >= expiresOn && cached.SignedStartsOn <= now - ClockSkew)
                {
                    return cached;
                }

                // One request at a time: callers arriving meanwhile wait for it instead of asking again.
                if (_fetching is null || _fetching.IsCompleted || attempt > 0)
                {
                    var expiry = expiresOn > now + KeyLifetime ? expiresOn : now + KeyLifetime;
                    _fetching = FetchAsync(now - ClockSkew, expiry, cancellationToken);
                }

                fetching = _fetching;
            }

            var key = await fetching.WaitAsync(cancellationToken);
            if ((key.SignedExpiresOn >= expiresOn && key.SignedStartsOn <= now - ClockSkew) || attempt > 0)
            {
                return key;
            }
        }
    }

    private async Task<UserDelegationKey> FetchAsync(DateTimeOffset startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        var response = await _service.GetUserDelegationKeyAsync(startsOn, expiresOn, cancellationToken);
        Interlocked.Increment(ref _keyRequests);
        lock (_lock)
        {
            _key = response.Value;
        }

        return response.Value;
    }
}
