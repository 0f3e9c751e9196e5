using Purview.Storage.Client;
using Xunit;

namespace Purview.Testing;

/// <summary>
/// One in-memory Azurite per test assembly, shared by every test class through <see cref="AzuriteCollection"/>'s
/// siblings or as a class fixture. Tests isolate themselves with unique table/container/queue names.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Azurite? _shared;
    private static int _users;

    public Azurite Azurite => _shared ?? throw new InvalidOperationException("Azurite is not started.");

    public StorageAccount Account => Azurite.Account;

    /// <summary>The account scans read (never the app's own): see <see cref="Azurite.ScanAccount"/>.</summary>
    public StorageAccount ScanAccount => Azurite.ScanAccount;

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _shared ??= await Azurite.StartAsync();
            _users++;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (--_users == 0 && _shared is not null)
            {
                await _shared.DisposeAsync();
                _shared = null;
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
