using System.Text.RegularExpressions;
using NCrontab;

namespace Purview.Functions.Tests.Drift;

/// <summary>
/// Compares the Functions app with the local host: every route (method + route, parameter names aside) on both sides
/// with the same authorization and body limit, every scheduled job as a timer function with the same schedule, the
/// orchestrator rules, and anything the reader could not make sense of. Returns one readable line per mismatch.
/// </summary>
public static partial class DriftGuard
{
    public static IReadOnlyList<string> Compare(LocalHostModel local, FunctionsAppModel functions)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(functions);
        var mismatches = new List<string>(functions.Problems);
        CompareRoutes(local, functions, mismatches);
        CompareJobs(local, functions, mismatches);
        mismatches.AddRange(functions.OrchestratorViolations.Select(v => $"orchestrator rule broken: {v}"));
        return mismatches;
    }

    /// <summary>A route as both hosts match it: literals case-insensitive, parameters by position (names, constraints and defaults aside).</summary>
    public static string NormalizeRoute(string route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var segments = route.Trim('/').Split('/').Select(segment => Parameter().Replace(segment, m =>
            m.Groups[1].Value.StartsWith('*') ? "{*}" : m.Groups[1].Value.EndsWith('?') ? "{?}" : "{}").ToLowerInvariant());
        return "/" + string.Join('/', segments);
    }

    private static void CompareRoutes(LocalHostModel local, FunctionsAppModel functions, List<string> mismatches)
    {
        var localByKey = local.Endpoints.GroupBy(e => Key(e.Method, e.Route)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var functionByKey = new Dictionary<string, HttpFunction>(StringComparer.Ordinal);
        foreach (var function in functions.Http)
        {
            if (function.Methods.Count == 0)
            {
                mismatches.Add($"function {function.Name} ({function.Location}) declares no HTTP method (the local host maps one method per endpoint)");
            }

            foreach (var method in function.Methods)
            {
                if (!functionByKey.TryAdd(Key(method, function.Route), function))
                {
                    mismatches.Add($"{method} {function.Route} is declared by two functions: {functionByKey[Key(method, function.Route)].Name} and {function.Name} ({function.Location})");
                }
            }
        }

        foreach (var (key, endpoint) in localByKey.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!functionByKey.TryGetValue(key, out var function))
            {
                mismatches.Add($"missing in the Functions app: {endpoint.Method} {endpoint.Route} (local endpoint {endpoint.Name})");
                continue;
            }

            if (function.Pipeline is not { } pipeline)
            {
                mismatches.Add($"function {function.Name} ({function.Location}) does not run its handler inside HandlerPipeline.RunAsync (authentication, policy, rate limit, body limit, errors)");
                continue;
            }

            var localPolicy = endpoint.Policies.Count == 0 ? null : string.Join(" + ", endpoint.Policies.Order(StringComparer.Ordinal));
            if (pipeline.Anonymous != endpoint.Anonymous || !string.Equals(pipeline.Policy, localPolicy, StringComparison.Ordinal))
            {
                mismatches.Add($"authorization differs for {endpoint.Method} {endpoint.Route}: local host {Describe(endpoint.Anonymous, localPolicy)}, function {function.Name} {Describe(pipeline.Anonymous, pipeline.Policy)}");
            }

            if (pipeline.BodyLimit != endpoint.BodyLimit)
            {
                mismatches.Add($"body limit differs for {endpoint.Method} {endpoint.Route}: local host {endpoint.BodyLimit} bytes, function {function.Name} {pipeline.BodyLimit} bytes");
            }
        }

        foreach (var (key, function) in functionByKey.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!localByKey.ContainsKey(key))
            {
                mismatches.Add($"missing in the local host: {key.Split(' ')[0]} {function.Route} (function {function.Name}, {function.Location})");
            }
        }
    }

    /// <summary>
    /// Jobs and timer functions pair by schedule (the compiled attribute holds the schedule, not the constant it came
    /// from): each job needs a timer function with the same occurrences, and each timer function a job.
    /// </summary>
    private static void CompareJobs(LocalHostModel local, FunctionsAppModel functions, List<string> mismatches)
    {
        var unpairedJobs = local.Jobs.ToList();
        foreach (var timer in functions.Timers)
        {
            if (timer.Schedule is null)
            {
                mismatches.Add($"timer function {timer.Name} ({timer.Location}): its schedule {timer.ScheduleSource} does not resolve (a %setting% missing from local.settings.sample.json?)");
                continue;
            }

            var job = unpairedJobs.FirstOrDefault(j => SameSchedule(j.Schedule, timer.Schedule));
            if (job is null)
            {
                mismatches.Add($"timer function {timer.Name} ('{timer.Schedule}', {timer.Location}) runs on a schedule no job of the local host has");
            }
            else
            {
                unpairedJobs.Remove(job);
            }
        }

        mismatches.AddRange(unpairedJobs.Select(j => $"missing in the Functions app: a timer function for job {j.Name} ({j.JobType.Name}, '{j.Schedule}')"));
    }

    /// <summary>Same occurrences (the next 500 from a fixed instant), so that equivalent spellings of a schedule match.</summary>
    public static bool SameSchedule(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = true };
        if (CrontabSchedule.TryParse(a, options) is not { } left || CrontabSchedule.TryParse(b, options) is not { } right)
        {
            return string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal);
        }

        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return left.GetNextOccurrences(start, start.AddYears(2)).Take(500).SequenceEqual(right.GetNextOccurrences(start, start.AddYears(2)).Take(500));
    }

    private static string Key(string method, string route) => $"{method.ToUpperInvariant()} {NormalizeRoute(route)}";

    private static string Describe(bool anonymous, string? policy) =>
        anonymous ? "allows anonymous callers" : policy is null ? "needs an authenticated caller" : $"needs policy '{policy}'";

    [GeneratedRegex(@"\{([^}]*)\}")]
    private static partial Regex Parameter();
}
