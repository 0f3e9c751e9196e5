using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>One Azurite and one Functions worker built from the app's own setup, shared by a test class.</summary>
public sealed class WorkerFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private FunctionsWorker? _worker;

    public AzuriteFixture Azurite => _azurite;

    public FunctionsWorker Worker => _worker ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _worker = await FunctionsWorker.StartAsync(_azurite);
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}
