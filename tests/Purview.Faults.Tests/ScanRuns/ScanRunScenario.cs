using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Purview.Storage;
using Purview.Storage.Client;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;

namespace Purview.Faults.Tests.ScanRuns;

/// <summary>
/// A blob data source over a container of generated blobs, registered through HTTP (scanned with the app's own
/// identity, i.e. the Azurite account), and the polling and checks every scan fault test shares. The blobs live in the
/// scan account of <c>source</c> when given (another Azurite than the app's storage), else of the app's Azurite.
/// </summary>
internal sealed class ScanRunScenario(Azurite azurite, string storagePrefix, string dataSource, string container, int blobs, Azurite? source = null)
{
    public const string Scan = "faults";

    /// <summary>Small pages (many activities to be killed in) and no timer jobs; the engine takes a killed host's work over.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastRecovery = new Dictionary<string, string>
    {
        ["ScanRuns:PageSize"] = "100",
        ["ScanRuns:LeaseTimeout"] = "00:00:04",
        ["Jobs:Enabled"] = "false",
    };

    /// <summary>
    /// <see cref="FastRecovery"/> with two steps per activity, for the tests that kill a host once a phase is under way:
    /// many activities to be killed in, each with work done ahead that the next one takes over. With the default 32 steps a
    /// run of 3,000 assets ingests in well under a second, too short a window to see it under way and kill it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> KillWindow = new Dictionary<string, string>(FastRecovery)
    {
        ["ScanRuns:StepsPerActivity"] = "2",
    };

    public string DataSource { get; } = dataSource;

    public int Blobs { get; } = blobs;

    public static Task<ScanRunScenario> CreateAsync(Azurite azurite, HostProcessOptions options, HttpClient admin, int blobs) =>
        CreateAsync(azurite, options?.StoragePrefix ?? throw new ArgumentNullException(nameof(options)), admin, blobs);

    public static async Task<ScanRunScenario> CreateAsync(Azurite azurite, string storagePrefix, HttpClient admin, int blobs, Azurite? source = null)
    {
        var scenario = new ScanRunScenario(azurite, storagePrefix, "fds-" + Guid.NewGuid().ToString("N")[..10], UniqueName.Container("faults"), blobs, source);
        await scenario.UploadAsync();
        await scenario.RegisterAsync(admin);
        return scenario;
    }

    public async Task<Guid> StartRunAsync(HttpClient client)
    {
        var runId = Guid.NewGuid();
        using var response = await client.PutAsync(new Uri($"{RunsPath}/{runId}?api-version=2023-09-01&scanLevel=Full", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return runId;
    }

    public async Task<JsonElement> GetRunAsync(HttpClient client, Guid runId)
    {
        using var response = await client.GetAsync(new Uri($"{RunsPath}/{runId}?api-version=2023-09-01", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone();
    }

    /// <summary>Polls quickly until <paramref name="reached"/> holds, failing with the last state after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement> WaitAsync(HttpClient client, Guid runId, Func<JsonElement, bool> reached, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonElement run;
        while (true)
        {
            run = await GetRunAsync(client, runId);
            if (reached(run))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last state: {run}");
            await Task.Delay(25);
        }
    }

    public static string Status(JsonElement run) => run.GetProperty("status").GetString()!;

    public static string ScanStatus(JsonElement run) => run.GetProperty("discoveryExecutionDetails").GetProperty("status").GetString()!;

    public static string IngestionStatus(JsonElement run) => run.GetProperty("ingestionExecutionDetails").GetProperty("status").GetString()!;

    public static long Discovered(JsonElement run) => run.GetProperty("discoveryExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("discovered").GetInt64();

    public static long Ingested(JsonElement run) => run.GetProperty("ingestionExecutionDetails").GetProperty("statistics").GetProperty("assets").GetProperty("succeeded").GetInt64();

    public static bool IsFinal(JsonElement run) => Status(run) is "Succeeded" or "Failed" or "Canceled";

    /// <summary>The run ended Succeeded with every blob discovered and ingested once, and the data map holds each exactly once.</summary>
    public async Task AssertCompletedExactlyAsync(HttpClient client, Guid runId, string context)
    {
        var run = await WaitAsync(client, runId, IsFinal, TimeSpan.FromMinutes(3), "the run to finish " + context);
        Assert.True(Status(run) == "Succeeded", $"{context}: the run ended {Status(run)}: {run}");
        Assert.Equal(Blobs, Discovered(run));
        Assert.Equal(Blobs, Ingested(run));
        var names = await DataMapNamesAsync();
        Assert.Equal(Blobs, names.Count);
        Assert.Equal(Blobs, names.Distinct(StringComparer.Ordinal).Count());
        using var exceptions = await client.GetAsync(new Uri($"{RunsPath}/{runId}/exceptions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, exceptions.StatusCode);
        var csv = await exceptions.Content.ReadAsStringAsync();
        Assert.Single(csv.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The qualified names of this data source's assets in the data map (its scanned entities), read straight from storage.</summary>
    public async Task<IReadOnlyList<string>> DataMapNamesAsync()
    {
        var layout = new StorageLayout(azurite.Account, new StorageClientOptions(), NullLoggerFactory.Instance, storagePrefix);
        var names = new List<string>();
        await foreach (var entity in layout.Table("dmscanned").QueryAsync(TableFilter.Equal("DataSource", DataSource), ["QualifiedName"]))
        {
            names.Add(entity.GetString("QualifiedName")!);
        }

        return names;
    }

    private Azurite Source => source ?? azurite;

    private string RunsPath => $"/scan/datasources/{DataSource}/scans/{Scan}/runs";

    private async Task UploadAsync()
    {
        var client = TestBlobs.Container(Source.ScanAccount, container);
        await client.CreateIfNotExistsAsync();
        await Parallel.ForEachAsync(Enumerable.Range(0, Blobs), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await client.GetBlobClient($"part{i % 7}/file-{i:D6}.txt").UploadAsync(BinaryData.FromString($"line {i}"), overwrite: true, ct));
    }

    private async Task RegisterAsync(HttpClient admin)
    {
        var endpoint = Source.ScanAccount.BlobEndpoint.AbsoluteUri.TrimEnd('/');
        await PutAsync(admin, $"/scan/datasources/{DataSource}", new { kind = "AzureStorage", properties = new { endpoint, collection = new { referenceName = "root" } } });
        await PutAsync(admin, $"/scan/datasources/{DataSource}/scans/{Scan}", new { kind = "AzureStorageMsi", properties = new { } });
        await PutAsync(admin, $"/scan/datasources/{DataSource}/scans/{Scan}/filters/custom", new { properties = new { includeUriPrefixes = new[] { $"{endpoint}/{container}/" } } });
    }

    private static async Task PutAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PutAsJsonAsync(new Uri(path, UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
