using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Purview.Api.Connectors;
using Purview.Api.Tests.Connectors;
using Purview.Core.Alerts;
using Purview.Core.Connectors;
using Purview.Testing;
using Xunit;

namespace Purview.Api.Tests.Alerts;

/// <summary>
/// Rules evaluated by the alerts job against real storage, with a webhook receiver on loopback (Kestrel): one signed
/// delivery per transition, with two hosts racing, a receiver that fails first, and a delivery abandoned mid-request.
/// The signal is a connector whose admin log of yesterday was not generated (fires), then generated (resolves).
/// </summary>
public sealed class AlertDeliveryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    // The connector is created on Nov 21; its log of Nov 21 is due at 01:00 UTC on Nov 22.
    private static readonly DateTimeOffset Created = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Due = new(2026, 11, 22, 1, 30, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = new(2026, 11, 21);

    private sealed record Setup(TestHost Host, ManualTimeProvider Time, WebhookReceiver Receiver, string Secret) : IAsyncDisposable
    {
        public Task RunJobAsync(CancellationToken cancellationToken = default) =>
            Host.Services.GetServices<Purview.Core.Jobs.IScheduledJob>().OfType<AlertJob>().Single().RunAsync(Time.GetUtcNow(), cancellationToken);

        public async Task GenerateLogAsync()
        {
            var written = await Host.Services.GetRequiredService<AdminLogService>().GenerateAllAsync(Day, CancellationToken.None);
            Assert.True(written.IsSuccess);
        }

        public async Task<JsonElement> GetAsync(string path)
        {
            using var admin = Host.Client("admin");
            using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
            return JsonDocument.Parse(text).RootElement.Clone();
        }

        public async ValueTask DisposeAsync()
        {
            await Receiver.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    private async Task<Setup> StartAsync(string? prefix = null)
    {
        var time = new ManualTimeProvider(Created);
        var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };
        if (prefix is not null)
        {
            settings["Storage:Prefix"] = prefix;
        }

        var host = new TestHost(azurite, time, settings);
        using var admin = host.Client("admin");
        await ConnectorTestKit.PutConnector(admin, "slack-eu");
        using var put = await admin.PutAsJsonAsync("/monitoring/alerts/admin-logs", new { kind = "connectorAdminLog", threshold = 0, webhookUrl = receiver.Url.AbsoluteUri });
        var text = await put.Content.ReadAsStringAsync();
        Assert.True(put.StatusCode == HttpStatusCode.Created, text);
        var secret = JsonDocument.Parse(text).RootElement.GetProperty("webhookSecret").GetString()!;
        time.SetUtcNow(Due);
        return new Setup(host, time, receiver, secret);
    }

    private static void AssertSigned(WebhookReceiver.Received request, string secret, string deliveryId, string state)
    {
        Assert.True(AlertSignature.Verify(secret, request.Body, request.Signature), $"bad signature {request.Signature} over {request.Body}");
        Assert.Equal(deliveryId, request.DeliveryId);
        Assert.Equal("alert." + state, request.Event);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(deliveryId, body.GetProperty("id").GetString());
        Assert.Equal(state, body.GetProperty("state").GetString());
        Assert.Equal("admin-logs", body.GetProperty("rule").GetString());
        Assert.Equal("connectors", body.GetProperty("page").GetString());
    }

    [Fact]
    public async Task A_rule_fires_once_and_resolves_once_with_exactly_one_signed_delivery_per_transition()
    {
        await using var s = await StartAsync();

        await s.RunJobAsync();
        var firing = Assert.Single(s.Receiver.Requests);
        AssertSigned(firing, s.Secret, "admin-logs:1", "firing");
        Assert.Contains("slack-eu: no admin log for 2026-11-21", JsonDocument.Parse(firing.Body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var summary = await s.GetAsync("/monitoring/alerts/summary");
        Assert.Equal(1, summary.GetProperty("firing").GetInt32());
        Assert.Equal(1, summary.GetProperty("pages").GetProperty("connectors").GetInt32());

        // Still firing a minute later: no new transition, nothing sent again.
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunJobAsync();
        Assert.Single(s.Receiver.Requests);

        await s.GenerateLogAsync();
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunJobAsync();
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunJobAsync();
        Assert.Equal(2, s.Receiver.Requests.Count);
        AssertSigned(s.Receiver.Requests.Last(), s.Secret, "admin-logs:2", "resolved");

        var history = (await s.GetAsync("/monitoring/alerts/admin-logs/history")).GetProperty("value");
        Assert.Equal(["resolved", "firing"], history.EnumerateArray().Select(h => h.GetProperty("state").GetString()));
        Assert.Equal(Due.AddMinutes(2), history[0].GetProperty("at").GetDateTimeOffset());
        var deliveries = (await s.GetAsync("/monitoring/alerts/admin-logs/deliveries")).GetProperty("value");
        Assert.All(deliveries.EnumerateArray(), d =>
        {
            Assert.Equal("delivered", d.GetProperty("status").GetString());
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            Assert.Equal(200, Assert.Single(d.GetProperty("attemptHistory").EnumerateArray()).GetProperty("statusCode").GetInt32());
        });
        Assert.Equal("ok", (await s.GetAsync("/monitoring/alerts/admin-logs")).GetProperty("state").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Two_hosts_running_the_job_at_the_same_instants_write_each_transition_once_and_deliver_it_once()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var s = await StartAsync(prefix);
        await using var second = new TestHost(azurite, s.Time, new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["Storage:Prefix"] = prefix });
        var jobs = new[] { s.Host, second }.Select(h => h.Services.GetServices<Purview.Core.Jobs.IScheduledJob>().OfType<AlertJob>().Single()).ToList();

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunAsync(s.Time.GetUtcNow(), CancellationToken.None))));
            s.Time.Advance(TimeSpan.FromMinutes(1));
        }

        await s.GenerateLogAsync();
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(jobs.Select(j => Task.Run(() => j.RunAsync(s.Time.GetUtcNow(), CancellationToken.None))));
            s.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(["admin-logs:1", "admin-logs:2"], s.Receiver.Requests.Select(r => r.DeliveryId).Order(StringComparer.Ordinal));
        Assert.All(s.Receiver.Requests, r => Assert.True(AlertSignature.Verify(s.Secret, r.Body, r.Signature)));
        var history = (await s.GetAsync("/monitoring/alerts/admin-logs/history")).GetProperty("value");
        Assert.Equal(2, history.GetArrayLength());
        var deliveries = (await s.GetAsync("/monitoring/alerts/admin-logs/deliveries")).GetProperty("value");
        Assert.All(deliveries.EnumerateArray(), d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task A_receiver_failing_first_gets_the_same_signed_delivery_again_after_the_backoff_and_every_attempt_is_recorded()
    {
        await using var s = await StartAsync();
        s.Receiver.AnswerNext(500, 503);

        await s.RunJobAsync();
        var pending = (await s.GetAsync("/monitoring/alerts/admin-logs/deliveries")).GetProperty("value")[0];
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(Due.AddSeconds(30), pending.GetProperty("nextAttemptAt").GetDateTimeOffset());

        // Not due yet: nothing sent.
        s.Time.Advance(TimeSpan.FromSeconds(29));
        await s.RunJobAsync();
        Assert.Single(s.Receiver.Requests);

        s.Time.Advance(TimeSpan.FromSeconds(1));
        await s.RunJobAsync();
        s.Time.Advance(TimeSpan.FromMinutes(1));
        await s.RunJobAsync();
        Assert.Equal(3, s.Receiver.Requests.Count);
        Assert.All(s.Receiver.Requests, r => AssertSigned(r, s.Secret, "admin-logs:1", "firing"));
        Assert.Single(s.Receiver.Requests.Select(r => r.Body).Distinct());

        var delivered = (await s.GetAsync("/monitoring/alerts/admin-logs/deliveries")).GetProperty("value")[0];
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Equal(3, delivered.GetProperty("attempts").GetInt32());
        Assert.Equal([500, 503, 200], delivered.GetProperty("attemptHistory").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal(Due.AddSeconds(90), delivered.GetProperty("deliveredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_delivery_abandoned_mid_request_is_taken_over_by_another_host_after_its_lease_with_the_same_idempotency_key()
    {
        var prefix = "t" + Guid.NewGuid().ToString("N")[..8];
        await using var s = await StartAsync(prefix);
        var held = s.Receiver.HoldNext();
        using var dying = new CancellationTokenSource();
        var first = s.RunJobAsync(dying.Token);
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        // The first runner goes away while the receiver has the request and has not answered (as a host that dies would).
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        s.Receiver.Release();

        await using var second = new TestHost(azurite, s.Time, new Dictionary<string, string?> { ["Jobs:Enabled"] = "false", ["Storage:Prefix"] = prefix });
        var job = second.Services.GetServices<Purview.Core.Jobs.IScheduledJob>().OfType<AlertJob>().Single();
        // Within the lease the delivery is the first runner's: not sent again.
        s.Time.Advance(TimeSpan.FromSeconds(59));
        await job.RunAsync(s.Time.GetUtcNow(), CancellationToken.None);
        Assert.Single(s.Receiver.Requests);

        s.Time.Advance(TimeSpan.FromSeconds(2));
        await job.RunAsync(s.Time.GetUtcNow(), CancellationToken.None);
        Assert.Equal(2, s.Receiver.Requests.Count);
        Assert.All(s.Receiver.Requests, r => AssertSigned(r, s.Secret, "admin-logs:1", "firing"));
        Assert.Single(s.Receiver.Requests.Select(r => r.Body).Distinct());

        var delivered = (await s.GetAsync("/monitoring/alerts/admin-logs/deliveries")).GetProperty("value")[0];
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Equal(2, delivered.GetProperty("attempts").GetInt32());
        // The abandoned attempt left no answer to record; the takeover's is.
        Assert.Equal(200, Assert.Single(delivered.GetProperty("attemptHistory").EnumerateArray()).GetProperty("statusCode").GetInt32());
        Assert.Single((await s.GetAsync("/monitoring/alerts/admin-logs/history")).GetProperty("value").EnumerateArray());
    }
}
