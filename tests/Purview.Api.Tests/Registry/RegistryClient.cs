using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Purview.Api.Tests.Registry;

/// <summary>Small helpers over the /scan and /account routes for the registry tests.</summary>
internal static class RegistryClient
{
    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> Send(this HttpClient client, HttpMethod method, string url, string? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Json(body) };
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> Put(this HttpClient client, string url, string body, HttpStatusCode expected = HttpStatusCode.Created) =>
        client.Send(HttpMethod.Put, url, body, expected);

    public static Task<JsonElement> Get(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        client.Send(HttpMethod.Get, url, null, expected);

    public static Task<JsonElement> Delete(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.NoContent) =>
        client.Send(HttpMethod.Delete, url, null, expected);

    public static async Task CreateCollection(this HttpClient admin, string name, string parent = "root")
    {
        using var response = await admin.PutAsJsonAsync($"/account/collections/{name}", new { friendlyName = name, parentCollection = new { referenceName = parent } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task Grant(this HttpClient admin, string collection, string role, string principal)
    {
        using var response = await admin.PutAsync($"/account/collections/{collection}/roleAssignments/{role}/{principal}", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string DataSource(string collection = "root", string kind = "AzureStorage", string endpoint = "https://acct.blob.core.windows.net/") =>
        $$$"""{"kind":"{{{kind}}}","properties":{"endpoint":"{{{endpoint}}}","collection":{"referenceName":"{{{collection}}}","type":"CollectionReference"} } }""";

    public static string MsiScan(string kind = "AzureStorageMsi") =>
        $$$"""{"kind":"{{{kind}}}","properties":{"scanRulesetName":"AzureStorage","scanRulesetType":"System"}}""";

    public static string CredentialScan(string credential, string kind = "AzureStorageCredential") =>
        $$$"""{"kind":"{{{kind}}}","properties":{"credential":{"referenceName":"{{{credential}}}","credentialType":"AccountKey"},"connectedVia":{"referenceName":"default"} } }""";

    public static void AssertPurviewError(JsonElement body)
    {
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("target", out _));
    }
}
