using Xunit;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// The Functions app as built stays in step with the local host: same routes (method, route, authorization, body
/// limit), a timer function per scheduled job on the same schedule, deterministic orchestrators. The failing cases
/// compile modified copies of the app's source against its real packages and check that the specific mismatch is named.
/// </summary>
public sealed class DriftGuardTests(DriftFixture fixture) : IClassFixture<DriftFixture>
{
    private static IReadOnlyDictionary<string, string> Sources => DriftFixture.Sources;

    [Fact]
    public void The_functions_app_serves_every_route_and_runs_every_job_of_the_local_host()
    {
        var mismatches = fixture.Guard();

        Assert.True(mismatches.Count == 0, $"The Functions app and the local host differ ({mismatches.Count}):\n  " + string.Join("\n  ", mismatches));
    }

    [Fact]
    public void The_guard_sees_every_route_and_job_of_both_hosts()
    {
        var functions = fixture.Built;

        // Guards against a guard that silently reads nothing (e.g. attributes that stop binding).
        Assert.Contains(fixture.Local.Endpoints, e => e is { Method: "PUT", Route: "/scan/datasources/{dataSourceName}/scans/{scanName}/runs/{runId}" });
        Assert.Contains(fixture.Local.Jobs, j => j.Name == "scan-schedules");
        Assert.Equal(fixture.Local.Endpoints.Count, functions.Http.Sum(f => f.Methods.Count));
        Assert.Equal(fixture.Local.Jobs.Count, functions.Timers.Count);
        Assert.All(functions.Http, f => Assert.NotNull(f.Pipeline));
        Assert.Contains(functions.Http, f => f is { Name: "PutLink", Pipeline: { Policy: "RootLinkMonitor", Anonymous: false, BodyLimit: > 0 } });
        Assert.Contains(functions.Http, f => f is { Name: "Health", Pipeline.Anonymous: true });
    }

    [Fact]
    public async Task A_route_removed_from_the_functions_app_is_reported()
    {
        var mismatches = await fixture.GuardAsync(SourceEdits.WithoutFunction(Sources, "GetConnector"));

        var mismatch = Assert.Single(mismatches);
        Assert.Equal("missing in the Functions app: GET /connectors/{connectorId} (local endpoint GetConnector)", mismatch);
    }

    [Fact]
    public void A_route_and_a_job_added_to_the_local_host_alone_are_reported()
    {
        // What happens when a feature maps a new route or registers a new job and forgets the Functions app.
        var local = fixture.Local with
        {
            Endpoints = [.. fixture.Local.Endpoints, new LocalEndpoint("GET", "/scan/localonly/{thingName}", "GetLocalOnlyThing", false, new HashSet<string> { "DataSourceAdmin" }, 1024 * 1024)],
            Jobs = [.. fixture.Local.Jobs, new LocalJob("search-index", "0 15 * * * *", typeof(DriftGuardTests))],
        };

        var mismatches = fixture.Guard(local);

        Assert.Equal(
            ["missing in the Functions app: GET /scan/localonly/{thingName} (local endpoint GetLocalOnlyThing)",
             "missing in the Functions app: a timer function for job search-index (DriftGuardTests, '0 15 * * * *')"],
            mismatches);
    }

    [Fact]
    public async Task A_setting_schedule_resolves_from_the_settings_and_is_reported_when_missing()
    {
        var sources = SourceEdits.Replace(Sources, "Links/LinkFunctions.cs", "[TimerTrigger(LinkAggregationJob.CronSchedule)]", "[TimerTrigger(\"%LinkAggregationSchedule%\")]");

        var resolved = await fixture.GuardAsync(sources, settings: new Dictionary<string, string>(fixture.Settings) { ["LinkAggregationSchedule"] = "0 5 * * * *" });
        var unresolved = await fixture.GuardAsync(sources);

        Assert.Empty(resolved);
        Assert.Contains(unresolved, m => m.StartsWith("timer function LinkAggregationTimer (LinkTimerFunctions.AggregateLinks)", StringComparison.Ordinal)
            && m.EndsWith("its schedule %LinkAggregationSchedule% does not resolve (a %setting% missing from local.settings.sample.json?)", StringComparison.Ordinal));
        Assert.Contains("missing in the Functions app: a timer function for job link-aggregation (LinkAggregationJob, '0 5 * * * *')", unresolved);
    }

    [Fact]
    public async Task A_route_only_the_functions_app_serves_is_reported()
    {
        var sources = SourceEdits.Replace(Sources, "Health/HealthFunctions.cs", "Route = \"healthz\"", "Route = \"healthz/deep\"");

        var mismatches = await fixture.GuardAsync(sources);

        Assert.Contains("missing in the Functions app: GET /healthz (local endpoint Health)", mismatches);
        Assert.Contains(mismatches, m => m == "missing in the local host: GET /healthz/deep (function Health, HealthFunctions.Health)");
    }

    [Fact]
    public async Task A_changed_timer_schedule_is_reported()
    {
        var sources = SourceEdits.Replace(Sources, "Links/LinkFunctions.cs", "[TimerTrigger(LinkAggregationJob.CronSchedule)]", "[TimerTrigger(\"0 6 * * * *\")]");

        var mismatches = await fixture.GuardAsync(sources);

        Assert.Equal(2, mismatches.Count);
        Assert.Contains(mismatches, m => m.StartsWith("timer function LinkAggregationTimer ('0 6 * * * *', LinkTimerFunctions.AggregateLinks)", StringComparison.Ordinal)
            && m.EndsWith("runs on a schedule no job of the local host has", StringComparison.Ordinal));
        Assert.Contains("missing in the Functions app: a timer function for job link-aggregation (LinkAggregationJob, '0 5 * * * *')", mismatches);
    }

    [Fact]
    public async Task A_timer_function_removed_from_the_functions_app_is_reported()
    {
        var mismatches = await fixture.GuardAsync(SourceEdits.WithoutFunction(Sources, "ConnectorRetentionDaily"));

        Assert.Equal(["missing in the Functions app: a timer function for job connector-retention (ConnectorRetentionJob, '0 40 0 * * *')"], mismatches);
    }

    [Theory]
    [InlineData("var now = DateTime.UtcNow;", "DateTime.UtcNow (use context.CurrentUtcDateTime)")]
    [InlineData("var id = Guid.NewGuid();", "Guid.NewGuid (use context.NewGuid())")]
    [InlineData("await Task.Delay(1000);", "Task.Delay (use context.CreateTimer)")]
    [InlineData("Thread.Sleep(10);", "Thread.Sleep (use context.CreateTimer)")]
    [InlineData("using var http = new HttpClient();", "HttpClient (I/O belongs in an activity)")]
    [InlineData("var home = Environment.GetEnvironmentVariable(\"HOME\");", "Environment.GetEnvironmentVariable (no environment reads in an orchestrator: pass it as input)")]
    [InlineData("while (true) { }", "an unbounded loop (bound it and use ContinueAsNew)")]
    public async Task A_non_deterministic_call_in_an_orchestrator_is_reported(string statement, string expected)
    {
        var sources = SourceEdits.Replace(Sources, "Shared/ScanRuns/Durable/ScanRunOrchestrator.cs",
            "var next = input.NextActivity;", "var next = input.NextActivity;\n        " + statement);

        var mismatches = await fixture.GuardAsync(sources);

        var mismatch = Assert.Single(mismatches);
        Assert.StartsWith("orchestrator rule broken: ScanRunOrchestrator.RunAsync (Shared/ScanRuns/Durable/ScanRunOrchestrator.cs:", mismatch, StringComparison.Ordinal);
        Assert.EndsWith(expected, mismatch, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_authorizes_differently_from_the_local_host_is_reported()
    {
        var sources = SourceEdits.Replace(Sources, "Access/AccessFunctions.cs",
            "HandlerPipeline.RunAsync(request, AccessPolicies.CollectionAdmin,", "HandlerPipeline.RunAsync(request, null,");

        var mismatches = await fixture.GuardAsync(sources);

        Assert.Equal(["authorization differs for GET /account/audit: local host needs policy 'CollectionAdmin', function ReadAudit needs an authenticated caller"], mismatches);
    }

    [Fact]
    public async Task A_function_that_skips_the_handler_pipeline_is_reported()
    {
        var sources = SourceEdits.Replace(Sources, "Connectors/ConnectorFunctions.cs",
            "HandlerPipeline.RunAsync(request, Policy, ct => ConnectorEndpoints.ListConnectors(connectors, ct));",
            "ConnectorEndpoints.ListConnectors(connectors, request.HttpContext.RequestAborted).ContinueWith(t => (IResult)t.Result, TaskScheduler.Default);");

        var mismatches = await fixture.GuardAsync(sources);

        Assert.Equal(["function ListConnectors (ConnectorFunctions.ListConnectors) does not run its handler inside HandlerPipeline.RunAsync (authentication, policy, rate limit, body limit, errors)"], mismatches);
    }

    [Theory]
    [InlineData("/scan/datasources/{dataSourceName}/scans/{scanName}/runs/{runId}", "/Scan/datasources/{ds:minlength(1)}/scans/{s}/runs/{id}")]
    [InlineData("/links/aggregates:run", "links/aggregates:run/")]
    public void Routes_match_whatever_their_parameter_names_constraints_and_case(string a, string b) =>
        Assert.Equal(DriftGuard.NormalizeRoute(a), DriftGuard.NormalizeRoute(b));

    [Fact]
    public void Routes_with_a_parameter_in_another_position_do_not_match() =>
        Assert.NotEqual(DriftGuard.NormalizeRoute("/links/{a}/x"), DriftGuard.NormalizeRoute("/links/x/{a}"));

    [Fact]
    public void Schedules_match_by_their_occurrences_not_their_spelling()
    {
        Assert.True(DriftGuard.SameSchedule("0 * * * * *", "0 */1 * * * *"));
        Assert.False(DriftGuard.SameSchedule("0 5 * * * *", "0 6 * * * *"));
    }

    [Fact]
    public void The_route_prefix_comes_from_host_json_and_defaults_to_api()
    {
        Assert.Equal(string.Empty, FunctionsAppModel.RoutePrefix("""{"extensions": {"http": {"routePrefix": ""}}}"""));
        Assert.Equal("api", FunctionsAppModel.RoutePrefix("""{"version": "2.0"}"""));
        Assert.Equal(string.Empty, fixture.RoutePrefix);
    }
}
