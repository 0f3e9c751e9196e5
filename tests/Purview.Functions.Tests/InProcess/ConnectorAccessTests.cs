using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Access;
using Purview.Api.Http;
using Purview.Core.Access;
using Purview.Testing;
using Xunit;

namespace Purview.Functions.Tests.InProcess;

/// <summary>
/// The <c>/connectors</c> route group through the app's functions: every role of the collection model, granted at the
/// root and at a sub-collection, against every route, with the outcome the group's policy (as registered) allows (and
/// the same for the root-only link administration routes); then no credentials (401), a malformed body (400) and a
/// caller over the rate limit (429).
/// </summary>
public sealed class ConnectorAccessTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Every function of the group; {id} is the caller's own connector, so cells do not depend on each other.</summary>
    private static readonly (string Function, string Method, string Path, string? Body, int Success)[] Routes =
    [
        ("GetConnectorSettings", "GET", "/connectors/settings", null, 200),
        ("PutConnectorSettings", "PUT", "/connectors/settings", """{"auditingEnabled":true}""", 200),
        ("PutConnector", "PUT", "/connectors/{id}", """{"name":"matrix","sourceType":"Slack"}""", 201),
        ("ListConnectors", "GET", "/connectors", null, 200),
        ("GetConnector", "GET", "/connectors/{id}", null, 200),
        ("PutUserMappings", "PUT", "/connectors/{id}/user-mappings", """{"mappings":[{"sourceUserId":"u1","userPrincipalName":"u1@contoso.com"}]}""", 200),
        ("ListUserMappings", "GET", "/connectors/{id}/user-mappings", null, 200),
        ("ImportItems", "POST", "/connectors/{id}/imports",
            """{"items":[{"itemId":"i1","sender":"u1","recipients":["u1"],"sizeBytes":10,"timestamp":"2026-11-22T09:00:00Z"}]}""", 201),
        ("GenerateAdminLogs", "POST", "/connectors/admin-logs:generate?date=2026-11-22", null, 200),
        ("ListAdminLogs", "GET", "/connectors/{id}/admin-logs", null, 200),
        ("DownloadAdminLog", "GET", "/connectors/{id}/admin-logs/2026-11-22", null, 200),
        ("DeleteConnector", "DELETE", "/connectors/{id}", null, 204),
    ];

    /// <summary>The link administration routes: their policy is root-only for roles that sub-collections can hold.</summary>
    private static readonly (string Function, string Method, string Path, string? Body, int Success)[] LinkAdminRoutes =
    [
        ("PutLink", "PUT", "/links/AzureDataFactory/{id}", """{"collection":"root","writers":["someone"]}""", 201),
        ("ListLinks", "GET", "/links", null, 200),
        ("GetLink", "GET", "/links/AzureDataFactory/{id}", null, 200),
        ("DeleteLink", "DELETE", "/links/AzureDataFactory/{id}", null, 204),
    ];

    [Fact]
    public async Task Every_role_at_the_root_and_below_gets_what_the_connector_admin_policy_allows_on_every_route()
    {
        var (callers, cells) = await RunMatrixAsync(AccessPolicies.ConnectorAdmin, Routes);

        // Both outcomes occur: the Connector admin at the root and the bootstrap admin pass, everyone else is refused.
        Assert.Equal(2 * Routes.Length, cells.Count(c => c.Status != 403));
        Assert.True(callers >= 2 + Roles.All.Count + 4, $"only {callers} callers could be granted a role");
    }

    [Fact]
    public async Task Link_administration_needs_data_source_or_collection_admin_at_the_root_not_below()
    {
        var (_, cells) = await RunMatrixAsync(AccessPolicies.RootLinkMonitor, LinkAdminRoutes);

        // Data source admin and Collection admin at the root pass; the same roles on a sub-collection are refused.
        Assert.Equal(3 * LinkAdminRoutes.Length, cells.Count(c => c.Status != 403));
        Assert.All(cells.Where(c => c.Principal.EndsWith("-finance@contoso.com", StringComparison.Ordinal)), c => Assert.Equal(403, c.Status));
    }

    /// <summary>
    /// Grants every role of the collection model at the root and at a sub-collection (roles a sub-collection cannot hold
    /// are refused with 400 and left out), calls every route as each caller (and as the bootstrap admin and a caller
    /// without roles), and compares each answer with what the policy's registered requirement allows.
    /// </summary>
    private async Task<(int Callers, List<(string Principal, string Function, int Status)> Cells)> RunMatrixAsync(
        string groupPolicy, (string Function, string Method, string Path, string? Body, int Success)[] routes)
    {
        await using var worker = await FunctionsWorker.StartAsync(azurite, new ManualTimeProvider(Now));
        await worker.PutCollectionAsync("finance");
        var callers = new List<(string Principal, Role? Role, bool AtRoot)> { ("admin", null, true), ("nobody@contoso.com", null, false) };
        foreach (var role in Roles.All)
        {
            foreach (var (collection, atRoot) in new[] { ("root", true), ("finance", false) })
            {
                var principal = $"{role.ToWire()}-{collection}@contoso.com";
                var granted = await worker.GrantAsync(collection, role.ToWire(), principal);
                Assert.True(granted is 201 or 400, $"grant {role} on {collection}: {granted}");
                if (granted == 201)
                {
                    callers.Add((principal, role, atRoot));
                }
            }
        }

        var requirement = await RequirementOfAsync(worker, groupPolicy);
        var cells = new List<(string Principal, string Function, int Status)>();
        var mismatches = new List<string>();
        foreach (var (caller, index) in callers.Select((c, i) => (c, i)))
        {
            // The bootstrap admin holds every role at the root.
            var allowed = caller.Principal == "admin"
                ? requirement.AnyOf.Count > 0
                : caller.Role is { } role && requirement.AnyOf.Contains(role) && (caller.AtRoot || !requirement.RootOnly);
            foreach (var route in routes)
            {
                HttpContext? context = null;
                var path = route.Path.Replace("{id}", $"matrix-{index:D2}", StringComparison.Ordinal);
                var answer = await worker.HttpAsync(WorkerCalls.Functions[route.Function], route.Method, path, caller.Principal, route.Body, prepare: c => context = c);
                var use = context!.Features.Get<HandlerPipelineUse>();
                var expected = allowed ? route.Success : 403;
                cells.Add((caller.Principal, route.Function, answer.Status));
                if (use?.Policy != groupPolicy || answer.Status != expected)
                {
                    mismatches.Add($"{caller.Principal} {route.Method} {path}: policy {use?.Policy}, expected {expected}, got {answer.Status} {answer.Body}");
                }
            }
        }

        Assert.Empty(mismatches);
        return (callers.Count, cells);
    }

    [Fact]
    public async Task Without_credentials_every_connector_route_answers_401_as_a_problem()
    {
        await using var worker = await FunctionsWorker.StartAsync(azurite, new ManualTimeProvider(Now));

        foreach (var route in Routes)
        {
            var answer = await worker.HttpAsync(WorkerCalls.Functions[route.Function], route.Method, route.Path.Replace("{id}", "anon-1", StringComparison.Ordinal), principal: null, route.Body);

            Assert.True(answer.Status == 401, $"{route.Function}: {answer.Status} {answer.Body}");
            Assert.StartsWith("application/problem+json", answer.Headers.ContentType.ToString(), StringComparison.Ordinal);
            Assert.Equal(401, answer.Json().GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task A_malformed_body_is_a_400_problem_naming_the_field_and_creates_nothing()
    {
        await using var worker = await FunctionsWorker.StartAsync(azurite, new ManualTimeProvider(Now));

        var wrongType = await worker.CallAsync("PutConnector", "PUT", "/connectors/bad-body", 400, json: """{"name":1,"sourceType":"Slack"}""");
        var notJson = await worker.CallAsync("PutConnector", "PUT", "/connectors/bad-body", 400, json: """{"name":"x","sourceType":"Slack",""");
        var unknownField = await worker.CallAsync("PutConnectorSettings", "PUT", "/connectors/settings", 400, json: """{"auditingEnabled":true,"extra":1}""");

        var problem = wrongType.Json();
        Assert.StartsWith("application/problem+json", wrongType.Headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("InvalidInput", problem.GetProperty("code").GetString());
        Assert.Equal(ApiResults.ProblemTypeBase + "InvalidInput", problem.GetProperty("type").GetString());
        Assert.Equal(["name"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList());
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
        Assert.Equal("InvalidInput", notJson.Json().GetProperty("code").GetString());
        Assert.True(unknownField.Json().GetProperty("errors").TryGetProperty("extra", out _), unknownField.Body);
        await worker.CallAsync("GetConnector", "GET", "/connectors/bad-body", 404);
    }

    [Fact]
    public async Task A_caller_over_the_rate_limit_gets_429_with_retry_after_while_others_still_pass()
    {
        await using var worker = await FunctionsWorker.StartAsync(azurite, new ManualTimeProvider(Now),
            new Dictionary<string, string?> { ["RateLimiting:PermitsPerSecond"] = "1", ["RateLimiting:Burst"] = "2" });

        var statuses = new List<int>();
        FunctionAnswer? refused = null;
        // The bucket holds 2 and refills 1 a second on the real clock, so a refill may let one more through first.
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var answer = await worker.HttpAsync(WorkerCalls.Functions["ListConnectors"], "GET", "/connectors");
            statuses.Add(answer.Status);
            refused = answer.Status == 429 ? answer : null;
        }

        var other = await worker.HttpAsync(WorkerCalls.Functions["GetAccount"], "GET", "/account/me", "someone-else@contoso.com");

        Assert.Equal(429, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(200, s));
        Assert.InRange(statuses.Count, 3, 4);
        Assert.Equal("1", refused!.Headers.RetryAfter.ToString());
        var problem = refused.Json();
        Assert.Equal("TooManyRequests", problem.GetProperty("code").GetString());
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(200, other.Status);
    }

    private static async Task<RoleRequirement> RequirementOfAsync(FunctionsWorker worker, string policyName)
    {
        var policy = await worker.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policyName);
        return Assert.Single(policy!.Requirements.OfType<RoleRequirement>());
    }
}
