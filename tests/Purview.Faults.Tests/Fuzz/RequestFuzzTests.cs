using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Purview.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Purview.Faults.Tests.Fuzz;

/// <summary>
/// Bounded mutation fuzzing of every route the host maps (read from its endpoint table, so new routes are fuzzed too):
/// valid requests over seeded objects, mutated in their path, query, body, content type, method and caller with a fixed
/// seed. No answer may be a 5xx, every 4xx must carry an error body, and the host must stay healthy.
/// </summary>
public sealed class RequestFuzzTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const int Seed = 20261122;
    private const int Requests = 10_000;

    private static readonly string[] HostileStrings =
    [
        "", " ", "..", "../..", "%2e%2e%2f", "a/b", "a\\b", "x%00y", "%00", "' or 1 eq 1 or 'a' eq '", "PartitionKey ne ''", "$metadata", "a#b", "a?b=c",
        "\u202e\u0635\u0648\u0631", "\ud83d\ude00\ud83d\ude00", "\u0000", "NaN", "-1", "99999999999999999999999", "1e400", "true", "null", "{}", "[]",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "Robert'); DROP TABLE runs;--", "%ZZ", "%E0%A4%A", new string('a', 2048), "\t\r\n", "Ω≈ç√",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-30", "00000000-0000-0000-0000-000000000000", "not-a-guid", "*", "~", "root", "ADMIN",
    ];

    private static readonly string[] QueryNames =
    [
        "api-version", "scanLevel", "period", "granularity", "sourceType", "sourceName", "from", "to", "top", "$top", "$skipToken", "skip", "view",
        "direction", "depth", "hour", "date", "redirect", "mode", "sort", "attr:qualifiedName", "continuationToken", "limit",
    ];

    private static readonly string[] Principals = ["admin", "nobody@contoso.com", "fz-reader", "fz-curator"];

    [Fact]
    public async Task Ten_thousand_mutated_requests_over_every_route_get_no_5xx_and_every_4xx_has_an_error_body()
    {
        // The routes come from the endpoint table of the app built in memory; the requests go to a real host process
        // (Kestrel's own request parsing included), which must still be up and healthy at the end.
        List<RouteCatalog.Route> routes;
        await using (var inMemory = new TestHost(azurite, settings: new Dictionary<string, string?> { ["Workers:Enabled"] = "false" }))
        {
            routes = RouteCatalog.Routes(inMemory);
        }

        Assert.True(routes.Count >= 60, $"Only {routes.Count} routes found in the endpoint table.");
        await using var host = await HostProcess.StartAsync(HostProcessOptions.For(azurite.Azurite, new Dictionary<string, string> { ["Workers:Enabled"] = "false", ["Jobs:Enabled"] = "false" }));
        var clients = Principals.ToDictionary(p => p, p => host.Client(p));
        clients["anonymous"] = new HttpClient { BaseAddress = host.BaseAddress };
        var garbage = new HttpClient { BaseAddress = host.BaseAddress };
        garbage.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.");
        clients["garbage-token"] = garbage;
        await RouteCatalog.SeedAsync(clients["admin"]);

        var random = new Random(Seed);
        var cases = Enumerable.Range(0, Requests).Select(i => Mutate(random, routes[random.Next(routes.Count)], i)).ToList();

        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var started = DateTime.UtcNow;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (c, ct) =>
        {
            var failure = await SendAsync(clients[c.Who], c, statuses);
            if (failure is not null)
            {
                lock (failures)
                {
                    failures.Add(failure);
                }
            }
        });

        output.WriteLine($"{Requests} requests over {routes.Count} routes in {(DateTime.UtcNow - started).TotalSeconds:F1} s; statuses: " +
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}x{s.Value}")));
        Assert.False(host.HasExited, "The host process died during the fuzzing run. Output:\n" + host.Output);
        Assert.True(failures.Count == 0, $"{failures.Count} bad answers, first ones (5xx first):\n" + string.Join("\n", failures.OrderBy(f => f.Contains(": 5", StringComparison.Ordinal) ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal).Take(30)));
        using var health = await clients["anonymous"].GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.True(statuses.Keys.Count(s => s is >= 400 and < 500) >= 4, "The fuzzer should reach several kinds of 4xx.");
        Assert.True(statuses.Keys.Any(s => s is >= 200 and < 300), "Some mutated requests should still be valid.");

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private static async Task<string?> SendAsync(HttpClient client, FuzzCase c, Dictionary<int, int> statuses)
    {
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(c.Path, UriKind.Relative));
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException)
        {
            return $"{c}: the request crashed: {ex.GetType().Name}: {ex.Message}";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            lock (statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }

            var text = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                return $"{c}: {status} {Trim(text)}";
            }

            // A HEAD answer has no body by definition, and Kestrel refuses a request line with a NUL in the path with a
            // bare 400 before any application code runs.
            var bodyless = c.Method == "HEAD" || (status == 400 && c.Path.Contains("%00", StringComparison.Ordinal) && text.Length == 0);
            if (status is >= 400 and < 500 && !bodyless && !ErrorBody.IsValid(response, text))
            {
                return $"{c}: {status} without an error body ({response.Content.Headers.ContentType}): {Trim(text)}";
            }

            return null;
        }
    }

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "..." : text;

    private static FuzzCase Mutate(Random random, RouteCatalog.Route route, int index)
    {
        var values = new Dictionary<string, string>(route.Values);
        var method = route.Method;
        var body = route.Body is null ? null : Encoding.UTF8.GetBytes(route.Body);
        var contentType = "application/json";
        var query = new List<string>();
        var who = "admin";
        var mutations = 1 + random.Next(3);
        for (var m = 0; m < mutations; m++)
        {
            switch (random.Next(10))
            {
                case 0 when values.Count > 0:
                    var key = values.Keys.ElementAt(random.Next(values.Count));
                    values[key] = Uri.EscapeDataString(Pick(random, HostileStrings));
                    break;
                case 1:
                    query.Add(Uri.EscapeDataString(Pick(random, QueryNames)) + "=" + Uri.EscapeDataString(Pick(random, HostileStrings)));
                    break;
                case 2:
                case 3:
                case 4:
                    body = MutateBody(random, body ?? "{}"u8.ToArray());
                    break;
                case 5:
                    contentType = Pick(random, ["text/plain", "application/xml", "application/json; charset=utf-16", "multipart/form-data", "application/x-www-form-urlencoded", "", "application/json;;;"]);
                    body ??= "{}"u8.ToArray();
                    break;
                case 6:
                    method = Pick(random, ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]);
                    break;
                case 7:
                    who = Pick(random, ["nobody@contoso.com", "fz-reader", "fz-curator", "anonymous", "garbage-token"]);
                    break;
                default:
                    query.Add(Uri.EscapeDataString(Pick(random, QueryNames)) + "=" + Uri.EscapeDataString(random.Next(-5, 5) switch
                    {
                        < -2 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
                        < 0 => DateTimeOffset.UnixEpoch.AddSeconds(random.NextDouble() * 5e9).ToString("O", CultureInfo.InvariantCulture),
                        < 3 => Pick(random, ["7d", "30d", "46d", "day", "week", "Full", "Incremental", "INPUT", "BOTH", "recent", "failed", "true", "replace"]),
                        _ => Pick(random, HostileStrings),
                    }));
                    break;
            }
        }

        var path = route.Template;
        foreach (var (name, value) in values)
        {
            path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        if (query.Count > 0)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join('&', query);
        }

        return new FuzzCase(index, method, path, method is "GET" or "HEAD" or "DELETE" or "OPTIONS" && random.Next(4) > 0 ? null : body, contentType, who);
    }

    private static byte[] MutateBody(Random random, byte[] body)
    {
        switch (random.Next(9))
        {
            case 0:
                return body.Length == 0 ? body : body[..random.Next(body.Length)];
            case 1:
                var flipped = (byte[])body.Clone();
                if (flipped.Length > 0)
                {
                    flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                }

                return flipped;
            case 2:
                return [.. body, 0xC3, 0x28, 0xFF];
            case 3:
                var depth = 20 + random.Next(200);
                return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
            case 4:
                return Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 100_000 + random.Next(2_000_000)) + "\"}");
            default:
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    return body;
                }

                if (node is null)
                {
                    return body;
                }

                try
                {
                    node = MutateNode(random, node, 0);
                    return Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null");
                }
                catch (InvalidOperationException)
                {
                    // A byte flip made a name invalid UTF-8: send the body as it is, the server must cope with it.
                    return body;
                }
        }
    }

    private static JsonNode? MutateNode(Random random, JsonNode node, int depth)
    {
        if (node is JsonObject obj && obj.Count > 0 && random.Next(3) > 0 && depth < 6)
        {
            var key = obj.Select(p => p.Key).ElementAt(random.Next(obj.Count));
            switch (random.Next(4))
            {
                case 0:
                    obj.Remove(key);
                    break;
                case 1:
                    obj[Pick(random, HostileStrings)] = RandomValue(random);
                    break;
                default:
                    var child = obj[key];
                    obj[key] = child is null ? RandomValue(random) : MutateNode(random, child.DeepClone(), depth + 1);
                    break;
            }

            return obj;
        }

        if (node is JsonArray array && array.Count > 0 && random.Next(3) > 0 && depth < 6)
        {
            var i = random.Next(array.Count);
            var child = array[i];
            array[i] = child is null ? RandomValue(random) : MutateNode(random, child.DeepClone(), depth + 1);
            if (random.Next(4) == 0)
            {
                array.Add(RandomValue(random));
            }

            return array;
        }

        return RandomValue(random);
    }

    private static JsonNode? RandomValue(Random random) => random.Next(10) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.NextInt64(long.MinValue, long.MaxValue)),
        3 => JsonValue.Create(random.NextDouble() * Math.Pow(10, random.Next(-10, 300))),
        4 => new JsonArray(JsonValue.Create(Pick(random, HostileStrings)), JsonValue.Create(1)),
        5 => new JsonObject { ["x"] = JsonValue.Create(Pick(random, HostileStrings)) },
        6 => JsonValue.Create(DateTimeOffset.UnixEpoch.AddSeconds(random.NextDouble() * 1e10).ToString("O", CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Pick(random, HostileStrings)),
    };

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private sealed record FuzzCase(int Index, string Method, string Path, byte[]? Body, string ContentType, string Who)
    {
        public override string ToString() =>
            $"#{Index} {Who} {Method} {(Path.Length > 240 ? Path[..100] + "..." + Path[^140..] : Path)} [{ContentType}] {(Body is null ? "-" : Trim(Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 200)])))}";
    }
}
