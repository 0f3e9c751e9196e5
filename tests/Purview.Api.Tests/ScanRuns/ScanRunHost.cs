using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.ScanRuns.Durable;
using Purview.Core.ScanRuns.Execution;
using Purview.Core.Registry;
using Purview.Storage.Client;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.ScanRuns;

/// <summary>A test host with a seeded in-memory scan registry; no engine by default, so tests drive steps themselves.</summary>
public sealed class ScanRunHost : IAsyncDisposable
{
    public ScanRunHost(AzuriteFixture azurite, InMemoryScanRegistry registry, bool workers = false, TimeProvider? time = null, string? prefix = null, Action<IServiceCollection>? services = null)
    {
        Registry = registry;
        var settings = new Dictionary<string, string?>
        {
            ["Workers:Enabled"] = workers ? "true" : "false",
            // Pages of 1,000 so that a few thousand blobs make several pages (the default is 5,000).
            ["ScanRuns:PageSize"] = "1000",
        };
        if (prefix is not null)
        {
            settings["Storage:Prefix"] = prefix;
        }

        Host = new TestHost(azurite, time, settings, s =>
        {
            s.AddSingleton<IScanRegistry>(registry);
            services?.Invoke(s);
        });
        Admin = Host.Client("admin");
    }

    public InMemoryScanRegistry Registry { get; }

    public TestHost Host { get; }

    public HttpClient Admin { get; }

    public T Get<T>()
        where T : notnull => Host.Services.GetRequiredService<T>();

    /// <summary>Runs every active run's activities until none moves any more (see <see cref="DrainAsync(IServiceProvider, int)"/>).</summary>
    public Task DrainAsync(int maxRounds = 2000) => DrainAsync(Host.Services, maxRounds);

    /// <summary>
    /// The orchestrator's loop without the engine, so that a test host (workers off) decides when steps happen: calls
    /// the orchestration's own activity (<see cref="ScanRunActivities.StepAsync"/>) for every active run, round after
    /// round, until a round moves no run - they are all final, or wait for admission that nothing will give. The engine
    /// itself runs these activities in DurableEngineTests, the Functions tests and the fault suite.
    /// </summary>
    public static async Task DrainAsync(IServiceProvider services, int maxRounds = 2000)
    {
        ArgumentNullException.ThrowIfNull(services);
        var store = services.GetRequiredService<IScanRunStore>();
        var activities = services.GetRequiredService<ScanRunActivities>();
        for (var round = 0; round < maxRounds; round++)
        {
            var moved = false;
            foreach (var entry in await store.ListActiveAsync(CancellationToken.None))
            {
                var before = await store.GetAsync(entry.RunId, CancellationToken.None);
                var result = await activities.StepAsync(entry.RunId.Value, CancellationToken.None);
                var after = await store.GetAsync(entry.RunId, CancellationToken.None);
                moved |= result.Final || before?.Sequence != after?.Sequence;
            }

            if (!moved)
            {
                return;
            }
        }

        throw new InvalidOperationException($"Runs still moved after {maxRounds} rounds.");
    }

    public static string RunsPath(string ds, string scan) => $"/scan/datasources/{ds}/scans/{scan}/runs";

    public async Task<(HttpStatusCode Status, JsonElement Body)> PutRunAsync(string ds, string scan, Guid runId, HttpClient? client = null, string scanLevel = "Full")
    {
        var response = await (client ?? Admin).PutAsync(new Uri($"{RunsPath(ds, scan)}/{runId}?api-version=2023-09-01&scanLevel={scanLevel}", UriKind.Relative), null);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetRunAsync(string ds, string scan, Guid runId, HttpClient? client = null)
    {
        var response = await (client ?? Admin).GetAsync(new Uri($"{RunsPath(ds, scan)}/{runId}?api-version=2023-09-01", UriKind.Relative));
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public async Task<HttpStatusCode> CancelAsync(string ds, string scan, Guid runId)
    {
        var response = await Admin.PostAsync(new Uri($"{RunsPath(ds, scan)}/{runId}:cancel?api-version=2023-09-01", UriKind.Relative), null);
        return response.StatusCode;
    }

    public async Task<JsonElement> GetJsonAsync(string path, HttpClient? client = null)
    {
        var response = await (client ?? Admin).GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Creates a collection under root and grants Data source admin on it to a principal.</summary>
    public async Task GrantDataSourceAdminAsync(string collection, string principal)
    {
        var put = await Admin.PutAsJsonAsync(new Uri($"/account/collections/{collection}", UriKind.Relative), new { friendlyName = collection, parentCollection = new { referenceName = "root" } });
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        var grant = await Admin.PutAsync(new Uri($"/account/collections/{collection}/roleAssignments/dataSourceAdmin/{principal}", UriKind.Relative), null);
        Assert.True(grant.IsSuccessStatusCode, await grant.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Uploads <paramref name="count"/> small blobs with 16 in flight; returns the container's URI prefix for a scan filter.</summary>
    public static async Task<string> UploadBlobsAsync(StorageAccount account, string container, int count)
    {
        var client = TestBlobs.Container(account, container);
        await client.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.GetBlobClient($"folder{i % 10}/blob-{i:D6}.csv").UploadAsync(BinaryData.FromString($"id,value\n{i},x"), overwrite: true, ct));
        return BlobEndpoint(account) + "/" + container + "/";
    }

    public static string BlobEndpoint(StorageAccount account) => account.BlobEndpoint.AbsoluteUri.TrimEnd('/');

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
    }
}
