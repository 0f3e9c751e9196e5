using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Storage;
using Purview.Storage.Client.Tables;
using Purview.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Purview.Faults.Tests.Hostile;

/// <summary>
/// The hostile-input corpus generated for every mapped route (the feature corpora in Purview.Api.Tests check the
/// named field of each validation error; this one checks breadth): no credentials, a caller without any role writing,
/// broken JSON, wrong JSON types, deep nesting, wrong content types, huge bodies, invalid UTF-8, and hostile path values
/// (traversal, OData injection, control and bidi characters, over-long names). Every case must get a 4xx with an error
/// body, and the whole corpus must leave storage exactly as it found it.
/// </summary>
public sealed class RouteHostileInputTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private static readonly (string Name, string Value)[] HostilePathValues =
    [
        ("traversal", "..%2F..%2Fsecrets"),
        ("OData injection", "x%27%20or%20PartitionKey%20ne%20%27"),
        ("over-long", new string('n', 1100)),
        ("bidi override", "%E2%80%AEtxt.exe"),
        ("control character", "a%01b"),
        ("encoded hash and query", "a%23b%3Fc%3Dd"),
        ("emoji", "%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80"),
        ("space only", "%20"),
    ];

    private static readonly (string Name, string Body, string ContentType, int Status)[] HostileBodies =
    [
        ("truncated JSON", "{\"a\":", "application/json", 400),
        ("JSON array instead of object", "[1,2,3]", "application/json", 400),
        ("JSON string instead of object", "\"hello\"", "application/json", 400),
        ("nesting 100 deep", new string('[', 100) + new string(']', 100), "application/json", 400),
        ("invalid UTF-8", "{\"a\":\"\u00ff\"}", "application/json-bytes", 400),
        ("text/plain", "{}", "text/plain", 415),
        ("XML", "<a/>", "application/xml", 415),
        // 413 where the route's limit is below 8 MB; routes that stream large bodies (imports) refuse the content (400).
        ("8 MB", "{\"a\":\"" + new string('x', 8 * 1024 * 1024) + "\"}", "application/json", 0),
    ];

    [Fact]
    public async Task Every_route_answers_hostile_input_with_a_4xx_error_body_and_no_state_change()
    {
        await using var host = new TestHost(azurite, settings: new Dictionary<string, string?> { ["Workers:Enabled"] = "false" });
        using var admin = host.Client();
        await RouteCatalog.SeedAsync(admin);
        var routes = RouteCatalog.Routes(host);
        var cases = Cases(routes).ToList();
        var before = await SnapshotAsync(host);

        using var anonymous = host.Client(null);
        using var stranger = host.Client("stranger@contoso.com");
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var c in cases)
        {
            var client = c.Who switch { "anonymous" => anonymous, "stranger" => stranger, _ => admin };
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(c.Path, UriKind.Relative));
            if (c.Body is not null)
            {
                request.Content = c.ContentType == "application/json-bytes"
                    ? new ByteArrayContent(InvalidUtf8(c.Body))
                    : new StringContent(c.Body, Encoding.UTF8);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType == "application/json-bytes" ? "application/json" : c.ContentType);
                if (c.ContentType != "application/json-bytes")
                {
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(c.ContentType);
                }
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status is < 400 or >= 500 || (c.Status is { } expected && status != expected))
            {
                failures.Add($"{c}: got {status} {Trim(text)}");
            }
            else if (!ErrorBody.IsValid(response, text))
            {
                failures.Add($"{c}: {status} without an error body: {Trim(text)}");
            }
        }

        var after = await SnapshotAsync(host);
        output.WriteLine($"snapshot: {before.Split('\n').GroupBy(l => l.Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}s").Aggregate((a, b) => a + ", " + b)}");
        output.WriteLine($"{cases.Count} cases over {routes.Count} routes; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}x{s.Value}"))}");
        Assert.True(cases.Count >= 500, $"The corpus has only {cases.Count} cases.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures.Take(40)));
        // A snapshot that read nothing would compare equal whatever the corpus did.
        Assert.Contains("\ntable ", "\n" + before, StringComparison.Ordinal);
        Assert.Contains("\nblob ", "\n" + before, StringComparison.Ordinal);
        Assert.Equal(before, after);
    }

    private static IEnumerable<HostileCase> Cases(IReadOnlyList<RouteCatalog.Route> routes)
    {
        foreach (var route in routes.Where(r => !r.Anonymous && r.Method != "HEAD"))
        {
            yield return new HostileCase("no credentials", "anonymous", route.Method, route.Path, route.Body, "application/json", 401);
            if (route.Method is "PUT" or "POST" or "DELETE")
            {
                // Authenticated but holding no role anywhere: refused (403), or told the object does not exist (404).
                yield return new HostileCase("caller without a role", "stranger", route.Method, route.Path, route.Body, "application/json", null);
            }

            if (route.TakesJson)
            {
                foreach (var (name, body, contentType, status) in HostileBodies)
                {
                    yield return new HostileCase(name, "admin", route.Method, route.Path, body, contentType, status == 0 ? null : status);
                }
            }

            if (route.Method is "PUT" or "POST" or "DELETE" || route.Values.Count > 0)
            {
                foreach (var parameter in route.Values.Keys)
                {
                    foreach (var (name, value) in HostilePathValues)
                    {
                        var values = new Dictionary<string, string>(route.Values) { [parameter] = value };
                        var hostile = route with { Values = values };
                        // A GET of a name that cannot exist is a 400 or a 404; a write of one must never succeed.
                        yield return new HostileCase($"{parameter}: {name}", "admin", route.Method, hostile.Path, route.Body, "application/json", null);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Everything the host keeps in storage: every entity of its tables by key and ETag (except the audit trail, where
    /// refusals may be recorded), every blob of its containers by name and ETag, and every message of its queues.
    /// </summary>
    private static async Task<string> SnapshotAsync(TestHost host)
    {
        var layout = host.Services.GetRequiredService<StorageLayout>();
        var lines = new List<string>();
        foreach (var table in layout.TableNames.Where(t => !t.EndsWith("audit", StringComparison.Ordinal)))
        {
            await foreach (var entity in new EntityTable(layout.Tables, table).QueryAsync(select: ["PartitionKey", "RowKey"]))
            {
                lines.Add($"table {table}|{entity.PartitionKey}|{entity.RowKey}|{entity.ETag}");
            }
        }

        foreach (var container in layout.ContainerNames)
        {
            await foreach (var blob in layout.Blobs.GetBlobContainerClient(container).GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
            {
                lines.Add($"blob {container}/{blob.Name}|{blob.Properties.ETag}");
            }
        }

        foreach (var queue in layout.QueueNames)
        {
            var client = layout.Queues.GetQueueClient(queue);
            var properties = (await client.GetPropertiesAsync()).Value;
            lines.Add($"queue {queue}|{properties.ApproximateMessagesCount} messages");
            foreach (var message in (await client.PeekMessagesAsync(32)).Value)
            {
                lines.Add($"queue {queue}|{message.MessageId}|{message.DequeueCount}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    }

    private static byte[] InvalidUtf8(string body)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        return bytes;
    }

    private static string Trim(string text) => text.Length > 240 ? text[..240] + "..." : text;

    private sealed record HostileCase(string Name, string Who, string Method, string Path, string? Body, string ContentType, int? Status)
    {
        public override string ToString() => $"[{Name}] {Who} {Method} {(Path.Length > 140 ? Path[..140] + "..." : Path)}{(Status is { } s ? " expecting " + s : string.Empty)}";
    }
}
