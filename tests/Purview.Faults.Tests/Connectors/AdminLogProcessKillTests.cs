using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Purview.Storage;
using Purview.Storage.Client;
using Purview.Testing;
using Xunit;

namespace Purview.Faults.Tests.Connectors;

/// <summary>A host killed while it writes the day's admin logs; another host writes them all, complete and byte-identical on re-runs.</summary>
[Collection(ProcessCollection.Name)]
public sealed class AdminLogProcessKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Connectors = 60;
    private const int ItemsPerConnector = 20;

    [Fact]
    public async Task A_host_killed_while_writing_admin_logs_leaves_logs_a_second_host_writes_completely_and_identically()
    {
        var options = HostProcessOptions.For(azurite.Azurite, new Dictionary<string, string> { ["Jobs:Enabled"] = "false", ["Workers:Enabled"] = "false" });
        var day = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ids = Enumerable.Range(0, Connectors).Select(i => $"conn-{i:D3}").ToList();
        var logs = new StorageLayout(azurite.Azurite.Account, new StorageClientOptions(), NullLoggerFactory.Instance, options.StoragePrefix).Container("admin-logs");

        int writtenAtKill;
        await using (var first = await HostProcess.StartAsync(options))
        {
            using var client = first.Client();
            await SendAsync(client, HttpMethod.Put, "/connectors/settings", new { auditingEnabled = true });
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) => await SeedConnectorAsync(client, id));

            var generate = client.PostAsync(new Uri($"/connectors/admin-logs:generate?date={day}", UriKind.Relative), null);
            var deadline = DateTime.UtcNow.AddMinutes(1);
            do
            {
                writtenAtKill = await CountAsync(logs);
                Assert.True(DateTime.UtcNow < deadline, "No admin log was written within a minute.");
            }
            while (writtenAtKill < 3 && !generate.IsCompleted);

            Assert.False(generate.IsCompleted, $"The generation finished before the kill ({writtenAtKill} logs): the test needs more connectors.");
            first.Kill();
            await Assert.ThrowsAnyAsync<Exception>(async () => (await generate).EnsureSuccessStatusCode());
        }

        Assert.InRange(writtenAtKill, 1, Connectors - 1);
        await using var second = await HostProcess.StartAsync(options);
        using var secondClient = second.Client();
        using (var response = await secondClient.PostAsync(new Uri($"/connectors/admin-logs:generate?date={day}", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Connectors, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").GetArrayLength());
        }

        Assert.Equal(Connectors, await CountAsync(logs));
        var contents = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            var csv = await DownloadAsync(secondClient, id, day);
            // 20 items x (sender + 1 recipient) = 40 copies; u4 is unmapped: 4 items as sender, 4 as recipient fail.
            var summary = csv.Split("\r\n")[1].Split(',');
            Assert.Equal(["20", "40", "32", "0", "0", "8"], summary[1..]);
            Assert.Contains("User mapping failure", csv, StringComparison.Ordinal);
            contents[id] = csv;
        }

        using (var again = await secondClient.PostAsync(new Uri($"/connectors/admin-logs:generate?date={day}", UriKind.Relative), null))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }

        foreach (var id in ids)
        {
            Assert.Equal(contents[id], await DownloadAsync(secondClient, id, day));
        }
    }

    private static async Task SeedConnectorAsync(HttpClient client, string id)
    {
        await SendAsync(client, HttpMethod.Put, $"/connectors/{id}", new { name = "Slack " + id, sourceType = "Slack" });
        await SendAsync(client, HttpMethod.Put, $"/connectors/{id}/user-mappings",
            new { mappings = Enumerable.Range(0, 4).Select(u => new { sourceUserId = $"u{u}", userPrincipalName = $"user{u}@contoso.com" }) });
        var items = Enumerable.Range(0, ItemsPerConnector).Select(j => new
        {
            itemId = $"{id}-item-{j}",
            sender = $"u{j % 5}",
            recipients = new[] { $"u{(j + 1) % 5}" },
            sizeBytes = 1000,
            timestamp = DateTimeOffset.UtcNow,
        });
        await SendAsync(client, HttpMethod.Post, $"/connectors/{id}/imports", new { items });
    }

    private static async Task SendAsync(HttpClient client, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> DownloadAsync(HttpClient client, string id, string day)
    {
        using var response = await client.GetAsync(new Uri($"/connectors/{id}/admin-logs/{day}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<int> CountAsync(Azure.Storage.Blobs.BlobContainerClient logs)
    {
        var count = 0;
        try
        {
            await foreach (var blob in logs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
            {
                count++;
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // The container is created by the host at start-up; before that there is nothing to count.
        }

        return count;
    }
}
