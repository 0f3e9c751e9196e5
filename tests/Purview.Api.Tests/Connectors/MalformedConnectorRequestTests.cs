using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Connectors;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Connectors;

/// <summary>One host with connector "known" (mapped users u1, u2) for the malformed-request table.</summary>
public sealed class ConnectorHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public TestHost Host { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Host = ConnectorTestKit.NewHost(_azurite, new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero)));
        Admin = Host.Client("admin");
        await ConnectorTestKit.PutConnector(Admin, "known");
        await ConnectorTestKit.PutMappings(Admin, "known", "u1", "u2");
    }

    public async Task DisposeAsync()
    {
        Admin.Dispose();
        await Host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    /// <summary>Everything a malformed request could have changed, as text.</summary>
    public async Task<string> StateAsync()
    {
        var parts = new List<string>
        {
            await Admin.GetStringAsync(new Uri("/connectors", UriKind.Relative)),
            await Admin.GetStringAsync(new Uri("/connectors/settings", UriKind.Relative)),
            await Admin.GetStringAsync(new Uri("/connectors/known/user-mappings?top=1000", UriKind.Relative)),
            await Admin.GetStringAsync(new Uri("/account/audit?from=2000-01-01T00:00:00Z", UriKind.Relative)),
        };
        var imports = Host.Services.GetRequiredService<IImportStore>();
        await foreach (var s in imports.ListSummariesAsync("known", new DateOnly(2026, 11, 22), CancellationToken.None))
        {
            parts.Add(s.ToString());
        }

        return string.Join("\n", parts);
    }
}

/// <summary>Table-driven malformed requests on the connector routes: a 4xx problem (naming the field where there is one) and no change.</summary>
public sealed class MalformedConnectorRequestTests(ConnectorHostFixture fixture) : IClassFixture<ConnectorHostFixture>
{
    private const string ValidConnector = "{\"name\":\"New\",\"sourceType\":\"Slack\"}";

    public static IEnumerable<object[]> Cases() => All().Select(c => new object[] { c });

    private static string Items(string item) => "{\"items\":[" + item + "]}";

    private static string ItemWith(string fields) => "{\"itemId\":\"a\",\"sender\":\"u1\",\"recipients\":[\"u2\"],\"sizeBytes\":10,\"timestamp\":\"2026-11-22T09:00:00Z\"" + fields + "}";

    public static IEnumerable<MalformedRequest> All()
    {
        foreach (var id in new[] { "ab", "-abc", "abc-", "has%20space", "a_b", new string('x', 64), "has.dot", "%C3%A9t%C3%A9", "admin-logs" })
        {
            yield return new MalformedRequest("PUT", $"/connectors/{id}", ValidConnector, 400, "connectorId");
        }

        foreach (var body in new[] { "", "{", "[]", "null", "42", "{\"name\":\"x\",\"sourceType\":\"Slack\",}", "<xml/>" })
        {
            yield return new MalformedRequest("PUT", "/connectors/newone", body, 400);
        }

        yield return new MalformedRequest("PUT", "/connectors/newone", "{\"name\":1,\"sourceType\":\"Slack\"}", 400, "name");
        yield return new MalformedRequest("PUT", "/connectors/newone", "{\"name\":\"\",\"sourceType\":\"Slack\"}", 400, "name");
        yield return new MalformedRequest("PUT", "/connectors/newone", $"{{\"name\":\"{new string('n', 101)}\",\"sourceType\":\"Slack\"}}", 400, "name");
        yield return new MalformedRequest("PUT", "/connectors/newone", "{\"name\":\"x\",\"sourceType\":\"Myspace\"}", 400, "sourceType");
        yield return new MalformedRequest("PUT", "/connectors/newone", "{\"name\":\"x\"}", 400, "sourceType");
        yield return new MalformedRequest("PUT", "/connectors/newone", "{\"name\":\"x\",\"sourceType\":\"Slack\",\"extra\":1}", 400, "extra");
        yield return new MalformedRequest("PUT", "/connectors/newone", ValidConnector, 415, ContentType: "text/plain");
        yield return new MalformedRequest("PUT", "/connectors/settings", "{\"auditingEnabled\":\"yes\"}", 400, "auditingEnabled");
        yield return new MalformedRequest("PUT", "/connectors/settings", "{}", 400, "auditingEnabled");
        yield return new MalformedRequest("PUT", "/connectors/settings", "{\"auditingEnabled\":null}", 400, "auditingEnabled");
        yield return new MalformedRequest("PUT", "/connectors/settings", "{\"auditingEnabled\":false,\"more\":true}", 400, "more");

        // User mappings.
        yield return new MalformedRequest("PUT", "/connectors/known/user-mappings", "{\"mappings\":[{\"sourceUserId\":\"a\",\"userPrincipalName\":\"not-an-upn\"}]}", 400, "mappings[0].userPrincipalName");
        yield return new MalformedRequest("PUT", "/connectors/known/user-mappings", "{\"mappings\":[{\"sourceUserId\":\"a\",\"userPrincipalName\":\"a@x.com\"},{\"sourceUserId\":\"A\",\"userPrincipalName\":\"b@x.com\"}]}", 400, "mappings[1].sourceUserId");
        yield return new MalformedRequest("PUT", "/connectors/known/user-mappings", "{\"mappings\":[{\"sourceUserId\":\"tab\\there\",\"userPrincipalName\":\"a@x.com\"}]}", 400, "mappings[0].sourceUserId");
        yield return new MalformedRequest("PUT", "/connectors/known/user-mappings", "{\"mappings\":[{\"sourceUserId\":\"a\"}]}", 400);
        yield return new MalformedRequest("PUT", "/connectors/known/user-mappings", "{\"mappings\":\"x\"}", 400, "mappings");
        yield return new MalformedRequest("PUT", "/connectors/known/user-mappings?mode=sideways", "{\"mappings\":[]}", 400, "mode");
        yield return new MalformedRequest("PUT", "/connectors/nowhere/user-mappings", "{\"mappings\":[]}", 404);
        foreach (var query in new[] { "top=0", "top=1001", "top=abc", "top=-5" })
        {
            yield return new MalformedRequest("GET", $"/connectors/known/user-mappings?{query}", null, 400, "top");
        }

        yield return new MalformedRequest("GET", "/connectors/known/user-mappings?continuationToken=!!!", null, 400, "continuationToken");
        yield return new MalformedRequest("GET", "/connectors/known/user-mappings?continuationToken=b3RoZXIgeA", null, 400, "continuationToken");
        yield return new MalformedRequest("GET", $"/connectors/known/user-mappings?continuationToken={System.Buffers.Text.Base64Url.EncodeToString("other\n1!8!b3RoZXI- 1!4!eA--"u8)}", null, 400, "continuationToken");
        yield return new MalformedRequest("GET", "/connectors/nowhere/user-mappings", null, 404);

        // Imports: nothing is imported when any item is invalid (the body is validated before the first write).
        const string imports = "/connectors/known/imports";
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("\"sizeBytes\":10", "\"sizeBytes\":-1", StringComparison.Ordinal)), 400, "items[0].sizeBytes");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("\"sizeBytes\":10", "\"sizeBytes\":\"10\"", StringComparison.Ordinal)), 400, "items[0].sizeBytes");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("\"sizeBytes\":10", "\"sizeBytes\":1.5", StringComparison.Ordinal)), 400, "items[0].sizeBytes");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(",\"colour\":\"red\"")), 400, "items[0].colour");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(",\"attachments\":[{\"name\":\"a.pdf\",\"sizeBytes\":-3}]")), 400, "items[0].attachments[0].sizeBytes");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(",\"attachments\":[{\"name\":\"\",\"sizeBytes\":3}]")), 400, "items[0].attachments[0].name");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("[\"u2\"]", "[\"\"]", StringComparison.Ordinal)), 400, "items[0].recipients[0]");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("\"itemId\":\"a\"", "\"itemId\":\"\"", StringComparison.Ordinal)), 400, "items[0].itemId");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace(",\"timestamp\":\"2026-11-22T09:00:00Z\"", string.Empty, StringComparison.Ordinal)), 400, "items[0].timestamp");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("2026-11-22T09:00:00Z", "yesterday", StringComparison.Ordinal)), 400, "items[0].timestamp");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty) + "," + ItemWith(string.Empty).Replace("\"sender\":\"u1\"", "\"sender\":null", StringComparison.Ordinal)), 400, "items[1].sender");
        yield return new MalformedRequest("POST", imports, Items("1"), 400, "items[0]");
        yield return new MalformedRequest("POST", imports, "{\"items\":{}}", 400, "items");
        yield return new MalformedRequest("POST", imports, "{}", 400, "items");
        yield return new MalformedRequest("POST", imports, "[]", 400, "body");
        yield return new MalformedRequest("POST", imports, "{\"items\":[" + ItemWith(string.Empty), 400);
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty)) + "{}", 400, "body");
        yield return new MalformedRequest("POST", imports, "{\"extra\":1,\"items\":[]}", 400, "extra");
        yield return new MalformedRequest("POST", imports, "{\"importId\":\"bad id!\",\"items\":[]}", 400, "importId");
        yield return new MalformedRequest("POST", imports, "{\"importId\":5,\"items\":[]}", 400, "importId");
        yield return new MalformedRequest("POST", imports, "{\"importId\":\"\\ud800\",\"items\":[]}", 400);
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty).Replace("\"itemId\":\"a\"", "\"itemId\":\"\\ud800\"", StringComparison.Ordinal)), 400);
        yield return new MalformedRequest("POST", imports, "{\"items\":[" + ItemWith(string.Empty) + "],\"items\":[]}", 400, "items");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty)), 415, ContentType: "text/plain");
        yield return new MalformedRequest("POST", "/connectors/nowhere/imports", Items(ItemWith(string.Empty)), 404);
        yield return new MalformedRequest("POST", "/connectors/a_b/imports", Items(ItemWith(string.Empty)), 400, "connectorId");

        // Admin logs: dates and windows.
        foreach (var date in new[] { "2026-13-01", "2026-11-1", "yesterday", "2026-02-30", "20261121" })
        {
            yield return new MalformedRequest("GET", $"/connectors/known/admin-logs/{date}", null, 400, "date");
        }

        yield return new MalformedRequest("GET", "/connectors/known/admin-logs/2026-11-21?redirect=maybe", null, 400, "redirect");
        yield return new MalformedRequest("GET", "/connectors/known/admin-logs/2020-01-01", null, 404);
        yield return new MalformedRequest("GET", "/connectors/known/admin-logs/2026-12-30", null, 404);
        yield return new MalformedRequest("GET", "/connectors/known/admin-logs/2026-11-21", null, 404);
        yield return new MalformedRequest("GET", "/connectors/nowhere/admin-logs", null, 404);
        foreach (var query in new[] { string.Empty, "?date=2026-02-30", "?date=2027-01-01", "?date=2026-11-01", "?date=22/11/2026" })
        {
            yield return new MalformedRequest("POST", $"/connectors/admin-logs:generate{query}", null, 400, "date");
        }

        // Not there, wrong method, no credentials, no role.
        yield return new MalformedRequest("GET", "/connectors/nowhere", null, 404);
        yield return new MalformedRequest("DELETE", "/connectors/nowhere", null, 404);
        yield return new MalformedRequest("PATCH", "/connectors/known", ValidConnector, 405);
        foreach (var (method, path) in new[] { ("GET", "/connectors"), ("PUT", "/connectors/settings"), ("POST", imports), ("GET", "/connectors/known/admin-logs") })
        {
            yield return new MalformedRequest(method, path, method == "GET" ? null : "{}", 401, Who: "anonymous");
        }

        yield return new MalformedRequest("PUT", "/connectors/newone", ValidConnector, 403, Who: "bob");
        yield return new MalformedRequest("POST", imports, Items(ItemWith(string.Empty)), 403, Who: "bob");
        yield return new MalformedRequest("PUT", "/connectors/settings", "{\"auditingEnabled\":false}", 403, Who: "bob");
    }

    [Fact]
    public void The_table_has_at_least_40_cases() => Assert.True(All().Count() >= 40, $"only {All().Count()} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_connector_request_gets_a_problem_and_changes_nothing(MalformedRequest c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var before = await fixture.StateAsync();

        using var problem = await c.SendAndAssertProblemAsync(fixture.Host);

        Assert.Equal(before, await fixture.StateAsync());
    }
}
