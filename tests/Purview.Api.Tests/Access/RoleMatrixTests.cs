using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Purview.Api.Tests.Access;

/// <summary>Every principal kind against every access route: allowed, 401, 403, or 404 when the object is hidden.</summary>
public sealed class RoleMatrixTests(AccessHostFixture fixture) : IClassFixture<AccessHostFixture>
{
    public static TheoryData<string, string, string, int> Cases()
    {
        var data = new TheoryData<string, string, string, int>();
        void Row(string method, string route, params (string Who, int Status)[] expected)
        {
            foreach (var (who, status) in expected)
            {
                data.Add(who, method, route, status);
            }
        }

        Row("GET", "/account/me", ("admin", 200), ("alice", 200), ("dana", 200), ("rita", 200), ("nobody", 200), ("anonymous", 401));
        Row("GET", "/account/collections", ("admin", 200), ("alice", 200), ("dana", 200), ("rita", 200), ("nobody", 200), ("anonymous", 401));
        Row("GET", "/account/collections/finance", ("admin", 200), ("alice", 200), ("dana", 200), ("rita", 200), ("nobody", 404), ("anonymous", 401));
        Row("GET", "/account/collections/finance-eu", ("admin", 200), ("alice", 200), ("dana", 200), ("rita", 200), ("nobody", 404), ("anonymous", 401));
        Row("GET", "/account/collections/sales", ("admin", 200), ("alice", 404), ("dana", 404), ("rita", 404), ("nobody", 404), ("anonymous", 401));
        Row("PUT", "/account/collections/{new}", ("admin", 201), ("alice", 201), ("dana", 403), ("rita", 403), ("nobody", 400), ("anonymous", 401));
        Row("PUT", "/account/collections/finance", ("admin", 200), ("alice", 200), ("dana", 403), ("rita", 403), ("nobody", 404), ("anonymous", 401));
        Row("DELETE", "/account/collections/{temp}", ("admin", 204), ("alice", 204), ("dana", 403), ("rita", 403), ("nobody", 404), ("anonymous", 401));
        Row("GET", "/account/collections/finance/roleAssignments", ("admin", 200), ("alice", 200), ("dana", 403), ("rita", 403), ("nobody", 404), ("anonymous", 401));
        Row("GET", "/account/collections/sales/roleAssignments", ("admin", 200), ("alice", 404), ("dana", 404), ("rita", 404), ("nobody", 404), ("anonymous", 401));
        Row("PUT", "/account/collections/finance/roleAssignments/dataReader/{someone}", ("admin", 201), ("alice", 201), ("dana", 403), ("rita", 403), ("nobody", 404), ("anonymous", 401));
        Row("DELETE", "/account/collections/finance/roleAssignments/dataReader/{granted}", ("admin", 204), ("alice", 204), ("dana", 403), ("rita", 403), ("nobody", 404), ("anonymous", 401));
        Row("GET", "/account/audit", ("admin", 200), ("alice", 200), ("dana", 403), ("rita", 403), ("nobody", 403), ("anonymous", 401));
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_principal_gets_the_answer_its_roles_allow(string who, string method, string route, int expected)
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var path = route.Replace("{new}", "new-" + unique, StringComparison.Ordinal)
            .Replace("{someone}", $"someone-{unique}", StringComparison.Ordinal)
            .Replace("{granted}", $"granted-{unique}", StringComparison.Ordinal);
        if (route.Contains("{temp}", StringComparison.Ordinal))
        {
            await AccessHostFixture.PutCollection(fixture.Admin, "temp-" + unique, "finance");
            path = path.Replace("{temp}", "temp-" + unique, StringComparison.Ordinal);
        }

        if (route.Contains("{granted}", StringComparison.Ordinal))
        {
            await AccessHostFixture.Grant(fixture.Admin, "finance", "dataReader", $"granted-{unique}");
        }

        using var client = fixture.Host.Client(who switch
        {
            "anonymous" => null,
            "admin" => "admin",
            _ => who + "@contoso.com",
        });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "PUT" && route.StartsWith("/account/collections/{new}", StringComparison.Ordinal) || route == "/account/collections/finance" && method == "PUT")
        {
            request.Content = JsonContent.Create(new { friendlyName = "x", parentCollection = new { referenceName = route.Contains("{new}", StringComparison.Ordinal) ? "finance" : "root" } });
        }

        using var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode == expected, $"{who} {method} {path}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
