using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Core.Connectors;
using Purview.Testing;
using Xunit;
using static Purview.Api.Tests.Connectors.ConnectorTestKit;

namespace Purview.Api.Tests.Connectors;

/// <summary>Imports with known outcomes, the daily admin log built from them, its download, retention and the auditing switch.</summary>
public sealed class AdminLogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string ExpectedLog =
        "Import completion time,Items available from source,Items available for import,Items imported successfully,Items partially imported,Items skipped,Items failed\r\n" +
        "2026-11-21T10:00:00.000Z,7,15,7,4,0,4\r\n" +
        "2026-11-21T10:01:00.000Z,2,5,1,0,3,1\r\n" +
        "\r\n" +
        "Failed item details\r\n" +
        "Item id,Source User ID,M365 User ID,Failure Reason\r\n" +
        "i2,u9,,User mapping failure\r\n" +
        "i4,u2,u2@contoso.com,Item size exceeded\r\n" +
        "i4,u3,u3@contoso.com,Item size exceeded\r\n";

    private static readonly object[] BatchA =
    [
        Item("i1", "u1", ["u2", "u3"]),
        Item("i2", "u1", ["u2", "u9"]),
        Item("i3", "u9", ["u1"]),
        Item("i4", "u2", ["u3"], size: 11_000_000),
        Item("i5", "u3", ["u1"], 1000, ("run.exe", 10)),
        Item("i6", "u1", ["u2"], 1000, ("big.pdf", 4_000_000), ("small.pdf", 10)),
        Item("i7", "u1", ["u1", "U1"]),
    ];

    private static readonly object[] BatchB = [Item("i1", "u1", ["u2", "u3"]), Item("i8", "u9", ["u2"])];

    [Fact]
    public async Task Imports_count_every_outcome_and_the_daily_log_lists_them_with_failures_once_per_user()
    {
        var time = new ManualTimeProvider(Start);
        await using var host = NewHost(azurite, time);
        var admin = host.Client("admin");
        await PutConnector(admin, "slack-eu");
        await PutMappings(admin, "slack-eu", "u1", "u2", "u3");

        var (statusA, a) = await Import(admin, "slack-eu", Body("import-a", BatchA));
        Assert.Equal(201, statusA);
        Assert.Equal("import-a", a.GetProperty("importId").GetString());
        AssertCounters(a, fromSource: 7, forImport: 15, imported: 7, partial: 4, skipped: 0, failed: 4);

        time.Advance(TimeSpan.FromMinutes(1));
        var bodyB = Body(null, BatchB);
        var (statusB, b) = await Import(admin, "slack-eu", bodyB);
        Assert.Equal(201, statusB);
        Assert.StartsWith("sha256-", b.GetProperty("importId").GetString(), StringComparison.Ordinal);
        AssertCounters(b, fromSource: 2, forImport: 5, imported: 1, partial: 0, skipped: 3, failed: 1);

        // The same batches again are the same imports: the first summaries, nothing counted twice.
        time.Advance(TimeSpan.FromMinutes(1));
        var (againA, a2) = await Import(admin, "slack-eu", Body("import-a", BatchA));
        var (againB, b2) = await Import(admin, "slack-eu", bodyB);
        Assert.Equal((200, a.ToString(), 200, b.ToString()), (againA, a2.ToString(), againB, b2.ToString()));

        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 0, 10, 0, TimeSpan.Zero));
        await RunJob<Purview.Core.Connectors.AdminLogJob>(host, time.GetUtcNow());
        admin.Dispose();
        admin = host.Client("admin"); // development tokens follow the clock

        using var response = await admin.GetAsync(new Uri("/connectors/slack-eu/admin-logs/2026-11-21", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("slack-eu-admin-log-2026-11-21.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var first = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(ExpectedLog, System.Text.Encoding.UTF8.GetString(first));

        // Re-running the job for the day rewrites the same bytes; only the generation time (metadata) moves.
        var listed = await admin.GetFromJsonAsync<JsonElement>(new Uri("/connectors/slack-eu/admin-logs", UriKind.Relative));
        var generatedBefore = listed.GetProperty("value")[0].GetProperty("generatedAt").GetDateTimeOffset();
        time.Advance(TimeSpan.FromMinutes(5));
        await RunJob<Purview.Core.Connectors.AdminLogJob>(host, new DateTimeOffset(2026, 11, 22, 0, 10, 0, TimeSpan.Zero));
        var second = await admin.GetByteArrayAsync(new Uri("/connectors/slack-eu/admin-logs/2026-11-21", UriKind.Relative));
        Assert.Equal(first, second);
        listed = await admin.GetFromJsonAsync<JsonElement>(new Uri("/connectors/slack-eu/admin-logs", UriKind.Relative));
        var entry = listed.GetProperty("value")[0];
        Assert.Equal("2026-11-21", entry.GetProperty("date").GetString());
        Assert.Equal(first.Length, entry.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(0, entry.GetProperty("invariantViolations").GetInt32());
        Assert.True(entry.GetProperty("generatedAt").GetDateTimeOffset() > generatedBefore);

        // Retention: eight days later the log is gone, and so are the import records.
        time.SetUtcNow(new DateTimeOffset(2026, 11, 30, 0, 40, 0, TimeSpan.Zero));
        await RunJob<Purview.Core.Connectors.ConnectorRetentionJob>(host, time.GetUtcNow());
        admin.Dispose();
        admin = host.Client("admin");
        var logs = host.Services.GetRequiredService<IAdminLogStore>();
        Assert.False(await logs.ExistsAsync("slack-eu", new DateOnly(2026, 11, 21), CancellationToken.None));
        var imports = host.Services.GetRequiredService<IImportStore>();
        Assert.Null(await imports.FindSummaryAsync("slack-eu", "import-a", CancellationToken.None));
        using var old = await admin.GetAsync(new Uri("/connectors/slack-eu/admin-logs/2026-11-21", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        Assert.Contains("previous 7 days", await old.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        admin.Dispose();
    }

    [Fact]
    public async Task The_log_downloads_as_a_stream_and_through_a_SAS_url_that_the_official_client_reads()
    {
        // Azurite checks SAS expiry against the real clock, so this host's clock starts now.
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var host = NewHost(azurite, time);
        using var admin = host.Client("admin");
        await PutConnector(admin, "webex-sas", "Webex");
        await PutMappings(admin, "webex-sas", "u1", "u2");
        Assert.Equal(201, (await Import(admin, "webex-sas", Body(null, Item("m1", "u1", ["u2", "u7"])))).Status);
        var today = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var generate = await admin.PostAsync(new Uri($"/connectors/admin-logs:generate?date={today}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, generate.StatusCode);

        var streamed = await admin.GetByteArrayAsync(new Uri($"/connectors/webex-sas/admin-logs/{today}", UriKind.Relative));
        Assert.EndsWith("m1,u7,,User mapping failure\r\n", System.Text.Encoding.UTF8.GetString(streamed), StringComparison.Ordinal);

        using var noRedirect = NoRedirectClient(host);
        using var redirect = await noRedirect.GetAsync(new Uri($"/connectors/webex-sas/admin-logs/{today}?redirect=true", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var sas = redirect.Headers.Location!;
        Assert.Contains("sp=r", sas.Query, StringComparison.Ordinal);
        var viaJs = await NodeScript.RunAsync("""
            const { BlobClient } = require('@azure/storage-blob');
            (async () => {
              const buffer = await new BlobClient(process.env.SAS_URL).downloadToBuffer();
              process.stdout.write(buffer.toString('base64'));
            })().catch(e => { console.error(e.message); process.exit(1); });
            """, new Dictionary<string, string> { ["SAS_URL"] = sas.AbsoluteUri });
        Assert.Equal(streamed, Convert.FromBase64String(viaJs));
    }

    [Fact]
    public async Task A_day_without_items_reads_no_items_ingested_with_the_US_date()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero));
        await using var host = NewHost(azurite, time);
        using var admin = host.Client("admin");
        await PutConnector(admin, "zoom-quiet", "Zoom");
        using var generate = await admin.PostAsync(new Uri("/connectors/admin-logs:generate?date=2026-11-21", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, generate.StatusCode);
        var text = await admin.GetStringAsync(new Uri("/connectors/zoom-quiet/admin-logs/2026-11-21", UriKind.Relative));
        Assert.Equal("No items ingested on 11/21/2026.", text);
    }

    [Fact]
    public async Task With_auditing_off_no_log_is_produced_and_the_log_routes_say_so()
    {
        var time = new ManualTimeProvider(Start);
        await using var host = NewHost(azurite, time);
        using var admin = host.Client("admin");
        Assert.True((await admin.GetFromJsonAsync<JsonElement>(new Uri("/connectors/settings", UriKind.Relative))).GetProperty("auditingEnabled").GetBoolean());
        await PutConnector(admin, "teams-one", "Teams");
        await PutMappings(admin, "teams-one", "u1", "u2");
        Assert.Equal(201, (await Import(admin, "teams-one", Body(null, Item("x1", "u1", ["u2"])))).Status);
        using var off = await admin.PutAsJsonAsync("/connectors/settings", new { auditingEnabled = false });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);

        time.SetUtcNow(new DateTimeOffset(2026, 11, 22, 0, 10, 0, TimeSpan.Zero));
        await RunJob<Purview.Core.Connectors.AdminLogJob>(host, time.GetUtcNow());
        using var later = host.Client("admin");
        Assert.False(await host.Services.GetRequiredService<IAdminLogStore>().ExistsAsync("teams-one", new DateOnly(2026, 11, 21), CancellationToken.None));

        foreach (var (method, path) in new[]
                 {
                     ("GET", "/connectors/teams-one/admin-logs"), ("GET", "/connectors/teams-one/admin-logs/2026-11-21"),
                     ("GET", "/connectors/teams-one/admin-logs/2026-11-21?redirect=true"), ("POST", "/connectors/admin-logs:generate?date=2026-11-21"),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            using var response = await later.SendAsync(request);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("AuditingDisabled", problem.GetProperty("code").GetString());
            Assert.Contains("Auditing is turned off", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_caller_without_the_connector_admin_role_gets_403()
    {
        await using var host = NewHost(azurite, new ManualTimeProvider(Start));
        using var bob = host.Client("bob");
        foreach (var path in new[] { "/connectors", "/connectors/settings", "/connectors/abc/admin-logs" })
        {
            using var response = await bob.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task User_mappings_merge_replace_and_page()
    {
        await using var host = NewHost(azurite, new ManualTimeProvider(Start));
        using var admin = host.Client("admin");
        await PutConnector(admin, "bloomberg-1", "Bloomberg");
        await PutMappings(admin, "bloomberg-1", Enumerable.Range(0, 250).Select(i => $"user{i:D3}").ToArray());
        await PutMappings(admin, "bloomberg-1", "user000", "extra");

        var seen = new List<string>();
        var next = "/connectors/bloomberg-1/user-mappings?top=100";
        var pages = 0;
        while (next is not null)
        {
            var page = await admin.GetFromJsonAsync<JsonElement>(new Uri(next, UriKind.Relative));
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(m => m.GetProperty("sourceUserId").GetString()!));
            Assert.Equal(page.GetProperty("value").GetArrayLength(), page.GetProperty("count").GetInt32());
            next = page.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
            pages++;
        }

        Assert.Equal(251, seen.Distinct().Count());
        Assert.True(pages >= 3);

        using var replace = await admin.PutAsJsonAsync("/connectors/bloomberg-1/user-mappings?mode=replace",
            new { mappings = new[] { new { sourceUserId = "only", userPrincipalName = "only@contoso.com" } } });
        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        var after = await admin.GetFromJsonAsync<JsonElement>(new Uri("/connectors/bloomberg-1/user-mappings", UriKind.Relative));
        Assert.Equal(1, after.GetProperty("count").GetInt32());
        Assert.Equal("only@contoso.com", after.GetProperty("value")[0].GetProperty("userPrincipalName").GetString());
    }
}
