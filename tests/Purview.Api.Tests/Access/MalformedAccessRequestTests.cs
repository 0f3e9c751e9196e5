using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Access;

/// <summary>
/// Table-driven malformed requests against the access routes: each gets its 4xx with a problem body (naming the
/// field where there is one), and nothing changes (collections, role assignments and the audit log compared
/// before and after).
/// </summary>
public sealed class MalformedAccessRequestTests(AccessHostFixture fixture) : IClassFixture<AccessHostFixture>
{
    public static IEnumerable<object[]> Cases() => All().Select(c => new object[] { c });

    public static IEnumerable<MalformedRequest> All()
    {
        const string valid = "{\"friendlyName\":\"x\",\"parentCollection\":{\"referenceName\":\"finance\"}}";
        // Names the Purview rule refuses (the route segment is escaped, so each reaches the handler).
        foreach (var name in new[] { "ab", "a", "-lead", "trail-", "_lead", "has space", "has.dot", "has%2Fslash", "tab%09in", "%C3%A9t%C3%A9", "emoji%F0%9F%8E%89", new string('x', 37), "a%27b", "semi%3Bcolon", "q%3Fmark", "hash%23" })
        {
            yield return new MalformedRequest("PUT", $"/account/collections/{name}", valid, 400, "name");
        }

        // Bodies that are not JSON, or not the JSON we take.
        foreach (var body in new[] { "", "{", "}", "[]", "null", "\"text\"", "42", "{\"friendlyName\":}", "{'friendlyName':'x'}", "{\"friendlyName\":\"x\",}", "{\"friendlyName\":\"x\"}{}", "\u0000", "<xml/>", "{\"friendlyName\":\"\\ud800\"}" })
        {
            yield return new MalformedRequest("PUT", "/account/collections/newone", body, 400);
        }

        // Wrong types, unknown fields, nulls where not allowed.
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"friendlyName\":42,\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "friendlyName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"friendlyName\":true,\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "friendlyName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"friendlyName\":[\"x\"],\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "friendlyName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"friendlyName\":{},\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "friendlyName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":\"finance\"}", 400, "parentCollection");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":{\"referenceName\":7}}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":[{\"referenceName\":\"finance\"}]}", 400, "parentCollection");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"description\":1.5,\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "description");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"frendlyName\":\"typo\",\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "frendlyName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":{\"referenceName\":\"finance\",\"extra\":1}}", 400, "parentCollection.extra");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"$type\":\"System.Object\",\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "$type");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"__proto__\":{},\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "__proto__");

        // Semantics: missing or unknown parent, too long fields, loops.
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"friendlyName\":\"x\"}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":{\"referenceName\":null}}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":{\"referenceName\":\"nowhere\"}}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":{\"referenceName\":\"newone\"}}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":{\"referenceName\":\"x' or '1'='1\"}}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", $"{{\"friendlyName\":\"{new string('f', 101)}\",\"parentCollection\":{{\"referenceName\":\"finance\"}}}}", 400, "friendlyName");
        yield return new MalformedRequest("PUT", "/account/collections/newone", $"{{\"description\":\"{new string('d', 513)}\",\"parentCollection\":{{\"referenceName\":\"finance\"}}}}", 400, "description");
        yield return new MalformedRequest("PUT", "/account/collections/finance", "{\"parentCollection\":{\"referenceName\":\"finance-eu\"}}", 400, "parentCollection.referenceName");
        yield return new MalformedRequest("PUT", "/account/collections/root", "{\"parentCollection\":{\"referenceName\":\"finance\"}}", 400, "parentCollection.referenceName");

        // Size and depth limits, media types.
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"friendlyName\":\"" + new string('a', 20_000) + "\"}", 413);
        yield return new MalformedRequest("PUT", "/account/collections/newone", new string('[', 200) + new string(']', 200), 400);
        yield return new MalformedRequest("PUT", "/account/collections/newone", "{\"parentCollection\":" + string.Concat(Enumerable.Repeat("{\"referenceName\":", 40)) + "\"x\"" + new string('}', 41), 400);
        yield return new MalformedRequest("PUT", "/account/collections/newone", valid, 415, ContentType: "text/plain");
        yield return new MalformedRequest("PUT", "/account/collections/newone", valid, 415, ContentType: "application/xml");
        yield return new MalformedRequest("PUT", "/account/collections/newone", "friendlyName=x", 415, ContentType: "application/x-www-form-urlencoded");

        // Deleting what cannot be deleted, or is not there.
        yield return new MalformedRequest("DELETE", "/account/collections/root", null, 409);
        yield return new MalformedRequest("DELETE", "/account/collections/finance", null, 409);
        yield return new MalformedRequest("DELETE", "/account/collections/nowhere", null, 404);
        yield return new MalformedRequest("DELETE", "/account/collections/x'%20or%20'1'%3D'1", null, 404);
        yield return new MalformedRequest("GET", "/account/collections/nowhere", null, 404);
        yield return new MalformedRequest("GET", "/account/collections/PartitionKey%20eq%20'c'", null, 404);

        // Role assignments: unknown roles, bad principals, wrong places.
        foreach (var role in new[] { "owner", "admin", "DataSourceAdmins", "data-source-admin", "1", "null", "%20", "collectionAdmin%01", "dataReader'", "*" })
        {
            yield return new MalformedRequest("PUT", $"/account/collections/finance/roleAssignments/{role}/someone", null, 400, "role");
        }

        foreach (var principal in new[] { "tab%09name", "new%0Aline", "bell%07char", new string('p', 257), "%20%20" })
        {
            yield return new MalformedRequest("PUT", $"/account/collections/finance/roleAssignments/dataReader/{principal}", null, 400, "principal");
        }

        yield return new MalformedRequest("PUT", "/account/collections/finance/roleAssignments/connectorAdmin/someone", null, 400, "role");
        yield return new MalformedRequest("PUT", "/account/collections/nowhere/roleAssignments/dataReader/someone", null, 404);
        yield return new MalformedRequest("DELETE", "/account/collections/finance/roleAssignments/dataReader/never-granted", null, 404);
        yield return new MalformedRequest("DELETE", "/account/collections/finance/roleAssignments/owner/someone", null, 400, "role");
        yield return new MalformedRequest("GET", "/account/collections/nowhere/roleAssignments", null, 404);
        yield return new MalformedRequest("GET", "/account/collections/finance/roleAssignments?includeInherited=maybe", null, 400, "includeInherited");

        // Audit queries out of range or not dates.
        foreach (var query in new[] { "from=yesterday", "from=2026-13-01T00:00:00Z", "from=1899-01-01T00:00:00Z", "to=9999-12-31T23:59:59Z", "from=2026-11-01T25:00:00Z", "to=not-a-date", "from=%00" })
        {
            yield return new MalformedRequest("GET", $"/account/audit?{query}", null, 400, query.Split('=')[0]);
        }

        foreach (var query in new[] { "top=0", "top=-1", "top=5001", "top=abc", "top=1e3", "top=99999999999" })
        {
            yield return new MalformedRequest("GET", $"/account/audit?{query}", null, 400, "top");
        }

        yield return new MalformedRequest("GET", "/account/audit?from=2026-11-10T00:00:00Z&to=2026-11-01T00:00:00Z", null, 400, "to");

        // No credentials, or the wrong role: refused before anything is read or written.
        foreach (var (method, path) in new[]
                 {
                     ("GET", "/account/collections"), ("GET", "/account/collections/finance"), ("PUT", "/account/collections/newone"),
                     ("DELETE", "/account/collections/finance-eu"), ("GET", "/account/collections/finance/roleAssignments"),
                     ("PUT", "/account/collections/finance/roleAssignments/dataReader/x"), ("DELETE", "/account/collections/finance/roleAssignments/dataReader/x"),
                     ("GET", "/account/audit"), ("GET", "/account/me"),
                 })
        {
            yield return new MalformedRequest(method, path, method == "PUT" && !path.Contains("roleAssignments", StringComparison.Ordinal) ? valid : null, 401, Who: "anonymous");
        }

        yield return new MalformedRequest("PUT", "/account/collections/newone", valid, 403, Who: "dana@contoso.com");
        yield return new MalformedRequest("PUT", "/account/collections/newone", valid, 403, Who: "rita@contoso.com");
        yield return new MalformedRequest("DELETE", "/account/collections/finance-eu", null, 403, Who: "dana@contoso.com");
        yield return new MalformedRequest("DELETE", "/account/collections/finance-eu", null, 404, Who: "nobody@contoso.com");
        yield return new MalformedRequest("PUT", "/account/collections/finance/roleAssignments/collectionAdmin/dana@contoso.com", null, 403, Who: "dana@contoso.com");
        yield return new MalformedRequest("PUT", "/account/collections/root/roleAssignments/collectionAdmin/alice@contoso.com", null, 404, Who: "alice@contoso.com");
        yield return new MalformedRequest("GET", "/account/audit", null, 403, Who: "rita@contoso.com");

        // Methods the routes do not have.
        yield return new MalformedRequest("POST", "/account/collections/finance", valid, 405);
        yield return new MalformedRequest("PATCH", "/account/collections/finance", valid, 405);
        yield return new MalformedRequest("POST", "/account/audit", "{}", 405);
    }

    [Fact]
    public void The_corpus_is_large_enough() => Assert.True(All().Count() >= 100, $"only {All().Count()} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_malformed_request_gets_a_problem_and_changes_nothing(MalformedRequest c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var before = await fixture.StateAsync();

        using var problem = await c.SendAndAssertProblemAsync(fixture.Host);

        Assert.Equal(before, await fixture.StateAsync());
    }
}
