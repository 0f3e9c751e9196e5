using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Links;
using Purview.Testing;
using Xunit;

namespace Purview.Faults.Tests.Links;

/// <summary>A host killed while it aggregates an hour of link events; another host aggregates it with exact totals, idempotently.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LinkAggregationProcessKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const int Events = 20_000;
    private const string Namespace = "faults-ns";

    [Fact]
    public async Task A_host_killed_while_aggregating_an_hour_leaves_an_hour_a_second_host_aggregates_exactly_and_idempotently()
    {
        var options = HostProcessOptions.For(azurite.Azurite, new Dictionary<string, string> { ["Jobs:Enabled"] = "false", ["Workers:Enabled"] = "false" });
        var hour = LinkHours.Floor(DateTimeOffset.UtcNow.AddHours(-3));
        var hourText = Uri.EscapeDataString(hour.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var expected = await SeedAsync(options, hour);

        await using (var first = await HostProcess.StartAsync(options))
        {
            using var client = first.Client();
            var aggregate = client.PostAsync(new Uri($"/links/aggregates:run?hour={hourText}", UriKind.Relative), null);
            // Reading 20,000 events and writing the rows takes seconds; a fifth of a second in, it is under way.
            await Task.Delay(200);
            Assert.False(aggregate.IsCompleted, "The aggregation finished before the kill: the test needs more events.");
            first.Kill();
            await Assert.ThrowsAnyAsync<Exception>(async () => (await aggregate).EnsureSuccessStatusCode());
        }

        await using var second = await HostProcess.StartAsync(options);
        using var secondClient = second.Client();
        var rows = await RunAsync(secondClient, hourText);
        var again = await RunAsync(secondClient, hourText);

        var source = Assert.Single(rows, r => r.GetProperty("subArtifact").ValueKind == JsonValueKind.Null);
        Assert.Equal(expected.Runs, source.GetProperty("activityRuns").GetInt64());
        Assert.Equal(expected.Assets, source.GetProperty("assets").GetInt64());
        Assert.Equal(expected.Relationships, source.GetProperty("relationships").GetInt64());
        var subArtifacts = rows.Where(r => r.GetProperty("subArtifact").ValueKind != JsonValueKind.Null).ToList();
        Assert.Equal(expected.SubArtifacts, subArtifacts.Count);
        Assert.Equal(expected.Runs, subArtifacts.Sum(r => r.GetProperty("activityRuns").GetInt64()));
        Assert.Equal(rows.Select(r => r.GetRawText()).Order(StringComparer.Ordinal), again.Select(r => r.GetRawText()).Order(StringComparer.Ordinal));

        // What monitoring serves for that hour is the same: nothing the killed host wrote is left over or counted twice.
        var from = Uri.EscapeDataString(hour.ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(hour.AddHours(1).ToString("O", CultureInfo.InvariantCulture));
        using var response = await secondClient.GetAsync(new Uri($"/monitoring/links/OpenLineage/{Namespace}?from={from}&to={to}&top=1000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(expected.SubArtifacts, served.Count);
        Assert.Equal(expected.Assets, served.Sum(r => r.GetProperty("assetsIngested").GetInt64()));
    }

    private static async Task<List<JsonElement>> RunAsync(HttpClient client, string hourText)
    {
        using var response = await client.PostAsync(new Uri($"/links/aggregates:run?hour={hourText}", UriKind.Relative), null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("value").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>Connects the source and writes the hour's raw events through the application's own event store.</summary>
    private async Task<(long Runs, long Assets, long Relationships, int SubArtifacts)> SeedAsync(HostProcessOptions options, DateTimeOffset hour)
    {
        await using var seeder = new TestHost(azurite, settings: new Dictionary<string, string?>
        {
            ["Storage:Prefix"] = options.StoragePrefix,
            ["Workers:Enabled"] = "false",
        });
        using (var admin = seeder.Client())
        using (var put = await admin.PutAsJsonAsync(new Uri($"/links/OpenLineage/{Namespace}", UriKind.Relative), new { collection = "root", writers = new[] { "admin" } }))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var store = seeder.Services.GetRequiredService<ILinkEventStore>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Events), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            Assert.True(await store.TryAddAsync(new LinkEvent(LinkSourceType.OpenLineage, Namespace, $"dag{i % 10}/task{i % 40}", $"run|{i}",
                hour.AddMilliseconds(i * 97 % 3_600_000), hour.AddMinutes(61), "COMPLETE", 3, 2, IsRun: true), ct)));
        return (Events, Events * 3L, Events * 2L, 40);
    }
}
