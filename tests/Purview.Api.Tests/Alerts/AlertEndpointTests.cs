using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Purview.Api.Tests.Access;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Alerts;

/// <summary>The <c>/monitoring/alerts</c> routes through the local host's pipeline over Azurite: CRUD, validation, roles.</summary>
public sealed class AlertEndpointTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_rule_is_created_with_its_secret_shown_once_read_listed_updated_and_deleted()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");

        var created = await Json(await admin.PutAsJsonAsync("/monitoring/alerts/failed-scans", new { kind = "scanRunFailures", threshold = 3, windowDays = 2, webhookUrl = "http://127.0.0.1:9/hook" }), HttpStatusCode.Created);
        Assert.Equal("scanRunFailures", created.GetProperty("kind").GetString());
        Assert.Equal(3, created.GetProperty("threshold").GetInt32());
        Assert.Equal(2, created.GetProperty("windowDays").GetInt32());
        Assert.Equal("scans", created.GetProperty("page").GetString());
        Assert.Equal("ok", created.GetProperty("state").GetProperty("status").GetString());
        var secret = created.GetProperty("webhookSecret").GetString();
        Assert.Equal(43, secret!.Length);

        var read = await Json(await admin.GetAsync(new Uri("/monitoring/alerts/FAILED-SCANS", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("failed-scans", read.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("webhookSecret").ValueKind);
        Assert.Equal("http://127.0.0.1:9/hook", read.GetProperty("webhookUrl").GetString());

        var updated = await Json(await admin.PutAsJsonAsync("/monitoring/alerts/failed-scans", new { kind = "scanRunFailures", threshold = 5, enabled = false, webhookUrl = "http://127.0.0.1:9/hook" }), HttpStatusCode.OK);
        Assert.Equal(5, updated.GetProperty("threshold").GetInt32());
        Assert.False(updated.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("webhookSecret").ValueKind);
        var rotated = await Json(await admin.PutAsJsonAsync("/monitoring/alerts/failed-scans", new { kind = "scanRunFailures", threshold = 5, webhookUrl = "http://127.0.0.1:9/hook", rotateSecret = true }), HttpStatusCode.OK);
        Assert.NotEqual(secret, rotated.GetProperty("webhookSecret").GetString());

        await Json(await admin.PutAsJsonAsync("/monitoring/alerts/quiet-links", new { kind = "linkSilent" }), HttpStatusCode.Created);
        var list = await Json(await admin.GetAsync(new Uri("/monitoring/alerts", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(["failed-scans", "quiet-links"], list.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(3.0, list.GetProperty("value")[1].GetProperty("factor").GetDouble());

        var summary = await Json(await admin.GetAsync(new Uri("/monitoring/alerts/summary", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(0, summary.GetProperty("firing").GetInt32());
        Assert.Equal(0, summary.GetProperty("pages").GetProperty("links").GetInt32());

        var history = await Json(await admin.GetAsync(new Uri("/monitoring/alerts/failed-scans/history", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(0, history.GetProperty("count").GetInt32());

        await Json(await admin.DeleteAsync(new Uri("/monitoring/alerts/failed-scans", UriKind.Relative)), HttpStatusCode.NoContent);
        await Json(await admin.GetAsync(new Uri("/monitoring/alerts/failed-scans", UriKind.Relative)), HttpStatusCode.NotFound);
        await Json(await admin.GetAsync(new Uri("/monitoring/alerts/failed-scans/deliveries", UriKind.Relative)), HttpStatusCode.NotFound);
        await Json(await admin.DeleteAsync(new Uri("/monitoring/alerts/failed-scans", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string, string> InvalidRules => new()
    {
        { "bad name!", """{"kind":"linkSilent"}""", "alertName" },
        { "summary", """{"kind":"linkSilent"}""", "alertName" },
        { "r1", """{"kind":"everything"}""", "kind" },
        { "r1", """{"threshold":3}""", "kind" },
        { "r1", """{"kind":"scanRunFailures"}""", "threshold" },
        { "r1", """{"kind":"scanRunFailures","threshold":3,"days":2}""", "days" },
        { "r1", """{"kind":"scanRunFailures","threshold":"three"}""", "threshold" },
        { "r1", """{"kind":"scanNotSucceeded","days":91}""", "days" },
        { "r1", """{"kind":"linkSilent","sourceType":"OpenLineage"}""", "sourceName" },
        { "r1", """{"kind":"linkSilent","unknown":1}""", "unknown" },
        { "r1", """{"kind":"linkSilent","webhookUrl":"ftp://example.com/x"}""", "webhookUrl" },
        { "r1", """{"kind":"linkSilent","webhookUrl":"http://user:pw@example.com/x"}""", "webhookUrl" },
        { "r1", """{"kind":"linkSilent","webhookUrl":"http://169.254.169.254/latest"}""", "webhookUrl" },
        { "r1", """{"kind":"linkSilent","webhookUrl":"http://10.0.0.5/hook"}""", "webhookUrl" },
        { "r1", """{"kind":"linkSilent","webhookUrl":"relative/path"}""", "webhookUrl" },
    };

    [Theory]
    [MemberData(nameof(InvalidRules))]
    public async Task An_invalid_rule_is_a_400_naming_the_field_and_nothing_is_stored(string name, string body, string field)
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var problem = await Json(await admin.PutAsync(new Uri($"/monitoring/alerts/{Uri.EscapeDataString(name)}", UriKind.Relative), content), HttpStatusCode.BadRequest);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase));
        var list = await Json(await admin.GetAsync(new Uri("/monitoring/alerts", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Only_a_Collection_admin_of_the_root_may_use_the_alert_routes()
    {
        await using var host = new TestHost(azurite);
        using var admin = host.Client("admin");
        await AccessHostFixture.PutCollection(admin, "finance", "root");
        await AccessHostFixture.Grant(admin, "finance", "collectionAdmin", "fiona");
        await AccessHostFixture.Grant(admin, "root", "dataSourceAdmin", "dora");
        await AccessHostFixture.Grant(admin, "root", "collectionAdmin", "rory");
        await Json(await admin.PutAsJsonAsync("/monitoring/alerts/r1", new { kind = "linkSilent" }), HttpStatusCode.Created);

        foreach (var principal in new[] { "fiona", "dora", "nobody" })
        {
            using var client = host.Client(principal);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri("/monitoring/alerts", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(new Uri("/monitoring/alerts/summary", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PutAsJsonAsync("/monitoring/alerts/r2", new { kind = "linkSilent" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync(new Uri("/monitoring/alerts/r1", UriKind.Relative))).StatusCode);
        }

        using var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/monitoring/alerts", UriKind.Relative))).StatusCode);

        using var rory = host.Client("rory");
        await Json(await rory.GetAsync(new Uri("/monitoring/alerts/r1", UriKind.Relative)), HttpStatusCode.OK);
        await Json(await rory.PutAsJsonAsync("/monitoring/alerts/r2", new { kind = "connectorAdminLog", threshold = 10 }), HttpStatusCode.Created);
        var list = await Json(await admin.GetAsync(new Uri("/monitoring/alerts", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("count").GetInt32());
    }
}
