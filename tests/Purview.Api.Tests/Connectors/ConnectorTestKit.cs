using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Identity;
using Purview.Core.Jobs;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Connectors;

/// <summary>A host with a manual clock (jobs driven by hand) and helpers to create connectors, mappings and imports.</summary>
public static class ConnectorTestKit
{
    public static readonly DateTimeOffset Start = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static TestHost NewHost(AzuriteFixture azurite, ManualTimeProvider time) =>
        new(azurite, time, new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" });

    public static HttpClient NoRedirectClient(TestHost host, string principal = "admin")
    {
        var client = host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Services.GetRequiredService<DevelopmentTokenIssuer>().Issue(principal));
        return client;
    }

    public static async Task PutConnector(HttpClient client, string id, string sourceType = "Slack")
    {
        using var response = await client.PutAsJsonAsync($"/connectors/{id}", new { name = id + " connector", sourceType });
        Assert.True(response.IsSuccessStatusCode, $"PUT connector: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task PutMappings(HttpClient client, string id, params string[] users)
    {
        using var response = await client.PutAsJsonAsync($"/connectors/{id}/user-mappings",
            new { mappings = users.Select(u => new { sourceUserId = u, userPrincipalName = u + "@contoso.com" }) });
        Assert.True(response.IsSuccessStatusCode, $"PUT mappings: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static object Item(string id, string sender, string[] recipients, long size = 1000, params (string Name, long Size)[] attachments) => new
    {
        itemId = id,
        sender,
        recipients,
        sizeBytes = size,
        attachments = attachments.Select(a => new { name = a.Name, sizeBytes = a.Size }).ToArray(),
        timestamp = "2026-11-21T09:00:00Z",
    };

    public static string Body(string? importId, params object[] items) =>
        importId is null ? JsonSerializer.Serialize(new { items }) : JsonSerializer.Serialize(new { importId, items });

    public static async Task<(int Status, JsonElement Json)> Import(HttpClient client, string id, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri($"/connectors/{id}/imports", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static Task RunJob<TJob>(TestHost host, DateTimeOffset occurrence)
        where TJob : IScheduledJob =>
        host.Services.GetServices<IScheduledJob>().OfType<TJob>().Single().RunAsync(occurrence, CancellationToken.None);

    public static void AssertCounters(JsonElement summary, long fromSource, long forImport, long imported, long partial, long skipped, long failed)
    {
        var actual = (summary.GetProperty("itemsAvailableFromSource").GetInt64(), summary.GetProperty("itemsAvailableForImport").GetInt64(),
            summary.GetProperty("itemsImportedSuccessfully").GetInt64(), summary.GetProperty("itemsPartiallyImported").GetInt64(),
            summary.GetProperty("itemsSkipped").GetInt64(), summary.GetProperty("itemsFailed").GetInt64());
        Assert.Equal((fromSource, forImport, imported, partial, skipped, failed), actual);
        Assert.Equal(actual.Item2, actual.Item3 + actual.Item4 + actual.Item5 + actual.Item6);
    }
}
