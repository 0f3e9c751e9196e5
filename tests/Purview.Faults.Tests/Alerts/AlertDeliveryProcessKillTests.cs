using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Purview.Core.Alerts;
using Purview.Testing;
using Xunit;

namespace Purview.Faults.Tests.Alerts;

/// <summary>
/// A host killed (SIGKILL) while its alerts job is posting a webhook: the receiver holds the request, so the kill is
/// certainly mid-delivery. A second host takes the delivery over once its lease expires and sends the same signed body
/// with the same idempotency key; the transition itself exists once.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class AlertDeliveryProcessKillTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_host_killed_mid_delivery_leaves_the_delivery_to_another_host_which_sends_the_same_signed_body_once_more()
    {
        // Jobs on (the alerts job runs every minute on the real clock), scan-run workers off.
        var options = HostProcessOptions.For(azurite.Azurite, new Dictionary<string, string> { ["Jobs:Enabled"] = "true", ["Workers:Enabled"] = "false" });
        await using var receiver = await WebhookReceiver.StartAsync();
        var held = receiver.HoldNext();
        string secret;
        await using (var first = await HostProcess.StartAsync(options))
        {
            using var client = first.Client();
            // A scan that never ran has not succeeded in the last day: the rule fires at the job's next minute.
            using var put = await client.PutAsJsonAsync("/monitoring/alerts/kill-test", new { kind = "scanNotSucceeded", days = 1, dataSource = "no-such-source", scan = "never", webhookUrl = receiver.Url.AbsoluteUri });
            var text = await put.Content.ReadAsStringAsync();
            Assert.True(put.StatusCode == HttpStatusCode.Created, text);
            secret = JsonDocument.Parse(text).RootElement.GetProperty("webhookSecret").GetString()!;

            await held.WaitAsync(TimeSpan.FromMinutes(3));
            first.Kill();
            Assert.True(first.HasExited);
        }

        receiver.Release();
        Assert.Single(receiver.Requests);

        await using var second = await HostProcess.StartAsync(options);
        using var secondClient = second.Client();
        // The first attempt's lease is a minute; the second host's job sends at its first minute after that.
        var deadline = DateTime.UtcNow.AddMinutes(4);
        JsonElement delivery;
        do
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            delivery = (await GetAsync(secondClient, "/monitoring/alerts/kill-test/deliveries")).GetProperty("value")[0];
            Assert.True(DateTime.UtcNow < deadline, $"The delivery was not taken over within 4 minutes: {delivery}");
        }
        while (delivery.GetProperty("status").GetString() != "delivered");

        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r =>
        {
            Assert.True(AlertSignature.Verify(secret, r.Body, r.Signature));
            Assert.Equal("kill-test:1", r.DeliveryId);
            Assert.Equal("alert.firing", r.Event);
        });
        Assert.Single(receiver.Requests.Select(r => r.Body).Distinct());
        Assert.Equal(2, delivery.GetProperty("attempts").GetInt32());
        // The killed host's attempt left no answer to record; the second host's did.
        Assert.Equal(200, Assert.Single(delivery.GetProperty("attemptHistory").EnumerateArray()).GetProperty("statusCode").GetInt32());
        var history = (await GetAsync(secondClient, "/monitoring/alerts/kill-test/history")).GetProperty("value");
        Assert.Equal("firing", Assert.Single(history.EnumerateArray()).GetProperty("state").GetString());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
