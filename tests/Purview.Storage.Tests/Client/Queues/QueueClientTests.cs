using System.Text.Json;
using Purview.Storage.Client;
using Purview.Storage.Client.Queues;
using Purview.Testing;
using Xunit;

namespace Purview.Storage.Tests.Client.Queues;

public sealed class QueueClientTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        _queue = new QueueServiceClient(azurite.Account).GetQueueClient(UniqueName.Queue());
        Assert.True(await _queue.CreateIfNotExistsAsync());
    }

    public async Task DisposeAsync() => await _queue.DeleteIfExistsAsync();

    [Fact]
    public async Task A_sent_message_is_received_once_and_gone_after_delete()
    {
        var sent = await _queue.SendMessageAsync("job-1");

        var received = Assert.Single(await _queue.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(30)));

        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal("job-1", received.MessageText);
        Assert.Equal(1, received.DequeueCount);
        Assert.Equal(sent.InsertionTime, received.InsertionTime);
        Assert.True(received.NextVisibleOn > DateTimeOffset.UtcNow.AddSeconds(20));
        Assert.Empty(await _queue.ReceiveMessagesAsync(10));

        await _queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
        Assert.Empty(await _queue.PeekMessagesAsync(32));
    }

    [Fact]
    public async Task Receive_returns_up_to_the_requested_number_in_send_order()
    {
        foreach (var i in Enumerable.Range(1, 5))
        {
            await _queue.SendMessageAsync($"m{i}");
        }

        var first = await _queue.ReceiveMessagesAsync(3);
        var rest = await _queue.ReceiveMessagesAsync(32);

        Assert.Equal(new[] { "m1", "m2", "m3" }, first.Select(m => m.MessageText));
        Assert.Equal(new[] { "m4", "m5" }, rest.Select(m => m.MessageText));
        Assert.Null(await _queue.ReceiveMessageAsync());
    }

    [Fact]
    public async Task A_message_sent_with_a_visibility_delay_stays_hidden_until_the_delay_passes()
    {
        var sent = await _queue.SendMessageAsync("later", visibilityDelay: TimeSpan.FromSeconds(2));

        Assert.True(sent.NextVisibleOn >= sent.InsertionTime.AddSeconds(2));
        Assert.Null(await _queue.ReceiveMessageAsync());
        Assert.Empty(await _queue.PeekMessagesAsync());

        await Task.Delay(TimeSpan.FromSeconds(3));

        var received = await _queue.ReceiveMessageAsync();
        Assert.Equal("later", received?.MessageText);
    }

    [Fact]
    public async Task A_message_not_deleted_within_its_visibility_timeout_reappears_with_a_higher_dequeue_count()
    {
        var sent = await _queue.SendMessageAsync("retry me");
        var first = await _queue.ReceiveMessageAsync(TimeSpan.FromSeconds(1));
        Assert.NotNull(first);
        Assert.Null(await _queue.ReceiveMessageAsync());

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await _queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(second);
        Assert.Equal(sent.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);
    }

    [Fact]
    public async Task Updating_visibility_extends_the_lease_and_replaces_the_pop_receipt()
    {
        await _queue.SendMessageAsync("long job");
        var received = await _queue.ReceiveMessageAsync(TimeSpan.FromSeconds(1));
        Assert.NotNull(received);

        var updated = await _queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.FromSeconds(30));

        Assert.NotEqual(received.PopReceipt, updated.PopReceipt);
        Assert.True(updated.NextVisibleOn > DateTimeOffset.UtcNow.AddSeconds(20));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Null(await _queue.ReceiveMessageAsync());

        var stale = await Assert.ThrowsAsync<StorageException>(() => _queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));
        Assert.Equal((400, "PopReceiptMismatch"), (stale.Status, stale.ErrorCode));

        await _queue.DeleteMessageAsync(received.MessageId, updated.PopReceipt);
        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Updating_with_new_text_changes_what_the_next_receiver_sees()
    {
        await _queue.SendMessageAsync("step 1");
        var received = (await _queue.ReceiveMessageAsync())!;

        await _queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero, "step 2 <done>");

        var again = await _queue.ReceiveMessageAsync();
        Assert.Equal("step 2 <done>", again?.MessageText);
        Assert.Equal(2, again?.DequeueCount);
    }

    [Fact]
    public async Task Peeking_does_not_hide_the_message_or_count_a_dequeue()
    {
        var sent = await _queue.SendMessageAsync("look");

        var peek1 = Assert.Single(await _queue.PeekMessagesAsync(32));
        var peek2 = Assert.Single(await _queue.PeekMessagesAsync(32));
        var received = await _queue.ReceiveMessageAsync();

        Assert.Equal((sent.MessageId, "look", 0L), (peek1.MessageId, peek1.MessageText, peek1.DequeueCount));
        Assert.Equal(0, peek2.DequeueCount);
        Assert.Equal(1, received?.DequeueCount);
    }

    [Fact]
    public async Task The_approximate_count_reflects_sends_and_clear()
    {
        foreach (var i in Enumerable.Range(0, 7))
        {
            await _queue.SendMessageAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(7, await _queue.GetApproximateMessageCountAsync());

        await _queue.ClearMessagesAsync();

        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Deleting_with_a_stale_pop_receipt_is_a_storage_error_with_status_and_code()
    {
        await _queue.SendMessageAsync("x");
        var first = await _queue.ReceiveMessageAsync(TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await _queue.ReceiveMessageAsync(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<StorageException>(() => _queue.DeleteMessageAsync(first!.MessageId, first.PopReceipt));

        Assert.Equal(400, ex.Status);
        Assert.Equal("PopReceiptMismatch", ex.ErrorCode);
        await _queue.DeleteMessageAsync(second!.MessageId, second.PopReceipt);
    }

    [Fact]
    public async Task Deleting_a_message_that_is_gone_is_a_404_MessageNotFound()
    {
        await _queue.SendMessageAsync("x");
        var received = (await _queue.ReceiveMessageAsync())!;
        await _queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);

        var ex = await Assert.ThrowsAsync<StorageException>(() => _queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));

        Assert.Equal((404, "MessageNotFound"), (ex.Status, ex.ErrorCode));
    }

    [Theory]
    [InlineData("<QueueMessage><MessageText>inject</MessageText></QueueMessage>")]
    [InlineData("a & b < c > d \"quoted\" 'single' ]]> &amp; &#x41;")]
    [InlineData("ünïcödé 日本語 emoji 🚀 𝄞 tab\there")]
    [InlineData("line1\nline2\r\nline3\rline4")]
    [InlineData("   leading and trailing spaces   ")]
    [InlineData("")]
    public async Task Message_text_round_trips_exactly(string text)
    {
        await _queue.SendMessageAsync(text);

        var peeked = Assert.Single(await _queue.PeekMessagesAsync());
        var received = await _queue.ReceiveMessageAsync();

        Assert.Equal(text, peeked.MessageText);
        Assert.Equal(text, received?.MessageText);
    }

    [Fact]
    public async Task Text_that_xml_cannot_carry_is_refused_before_sending()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _queue.SendMessageAsync("bell \u0007"));
        Assert.Contains("base64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_to_live_sets_the_expiration_and_can_be_infinite()
    {
        var hour = await _queue.SendMessageAsync("h", timeToLive: TimeSpan.FromHours(1));
        var forever = await _queue.SendMessageAsync("f", timeToLive: Timeout.InfiniteTimeSpan);

        Assert.Equal(TimeSpan.FromHours(1), hour.ExpirationTime - hour.InsertionTime);
        Assert.True(forever.ExpirationTime.Year >= 9999);
    }

    [Fact]
    public async Task Operations_on_a_missing_queue_are_404_QueueNotFound()
    {
        var missing = new QueueServiceClient(azurite.Account).GetQueueClient(UniqueName.Queue("gone"));

        var send = await Assert.ThrowsAsync<StorageException>(() => missing.SendMessageAsync("x"));
        var receive = await Assert.ThrowsAsync<StorageException>(() => missing.ReceiveMessagesAsync());
        var count = await Assert.ThrowsAsync<StorageException>(() => missing.GetApproximateMessageCountAsync());
        var delete = await Assert.ThrowsAsync<StorageException>(() => missing.DeleteAsync());

        foreach (var ex in new[] { send, receive, count, delete })
        {
            Assert.Equal((404, "QueueNotFound"), (ex.Status, ex.ErrorCode));
        }

        Assert.False(await missing.ExistsAsync());
        Assert.False(await missing.DeleteIfExistsAsync());
    }

    [Fact]
    public async Task Queue_lifecycle_reports_whether_each_call_changed_anything()
    {
        var queue = new QueueServiceClient(azurite.Account).GetQueueClient(UniqueName.Queue("life"));

        Assert.False(await queue.ExistsAsync());
        Assert.True(await queue.CreateIfNotExistsAsync());
        Assert.False(await queue.CreateIfNotExistsAsync());
        Assert.True(await queue.ExistsAsync());
        Assert.True(await queue.DeleteIfExistsAsync());
        Assert.False(await queue.DeleteIfExistsAsync());
    }

    [Theory]
    [InlineData("q1", "3 to 63")]
    [InlineData("Queue", "lowercase")]
    [InlineData("q.dots", "lowercase")]
    [InlineData("trailing-", "start and end")]
    [InlineData("a--b", "consecutive dashes")]
    public void Invalid_queue_names_are_refused_naming_the_rule(string name, string rule)
    {
        var ex = Assert.Throws<ArgumentException>(() => new QueueServiceClient(azurite.Account).GetQueueClient(name));
        Assert.Contains(rule, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public async Task Receive_counts_outside_1_to_32_are_refused(int count)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _queue.ReceiveMessagesAsync(count));
    }

    [Fact]
    public async Task Messages_cross_between_the_js_client_and_ours_unchanged()
    {
        await _queue.SendMessageAsync("from .NET <&> ✓");
        var output = await NodeScript.RunAsync("""
            const { QueueServiceClient } = require('@azure/storage-queue');
            (async () => {
              const queue = QueueServiceClient.fromConnectionString(process.env.CONN).getQueueClient(process.env.QUEUE);
              const got = await queue.receiveMessages({ numberOfMessages: 1 });
              const m = got.receivedMessageItems[0];
              await queue.deleteMessage(m.messageId, m.popReceipt);
              await queue.sendMessage('from JS <&> ✓');
              process.stdout.write(JSON.stringify({ text: m.messageText, dequeueCount: m.dequeueCount }));
            })().catch(e => { console.error(e); process.exit(1); });
            """, new Dictionary<string, string> { ["CONN"] = azurite.ConnectionString, ["QUEUE"] = _queue.Name });
        using var js = JsonDocument.Parse(output);

        var fromJs = await _queue.ReceiveMessageAsync();

        Assert.Equal("from .NET <&> ✓", js.RootElement.GetProperty("text").GetString());
        Assert.Equal(1, js.RootElement.GetProperty("dequeueCount").GetInt32());
        Assert.Equal("from JS <&> ✓", fromJs?.MessageText);
    }
}
