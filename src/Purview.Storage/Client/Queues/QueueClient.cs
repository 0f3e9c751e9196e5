using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Purview.Storage.Client.Queues;

/// <summary>
/// A storage queue: create/delete, send, receive (with a visibility lease), peek, update, delete and count messages.
/// </summary>
public sealed class QueueClient
{
    public const int MaxMessagesPerReceive = 32;

    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
    };

    private readonly StoragePipeline _pipeline;
    private readonly string _messagesUri;

    internal QueueClient(StoragePipeline pipeline, string name)
    {
        ResourceNames.ValidateContainerOrQueue(name, "queue", nameof(name));
        _pipeline = pipeline;
        Name = name;
        Uri = new Uri(pipeline.Endpoint, name);
        _messagesUri = Uri.AbsoluteUri + "/messages";
    }

    public string Name { get; }

    public Uri Uri { get; }

    /// <summary>Creates the queue unless it exists; true when this call created it.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Put, Uri);
        try
        {
            // 201 created; 204 means it already existed with the same (empty) metadata.
            var response = await _pipeline.SendAsync(message, cancellationToken);
            return response.Status == 201;
        }
        catch (StorageException ex) when (ex.Status == 409 && ex.ErrorCode == "QueueAlreadyExists")
        {
            // It exists with different metadata: still "exists", which is all this call promises.
            return false;
        }
    }

    /// <summary>Deletes the queue and its messages; throws 404 QueueNotFound if missing.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, Uri);
        await _pipeline.SendAsync(message, cancellationToken);
    }

    /// <summary>Deletes the queue if it exists; true when this call deleted it.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await DeleteAsync(cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await GetApproximateMessageCountAsync(cancellationToken);
            return true;
        }
        catch (StorageException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Puts a message on the queue. The text is sent as-is (XML-escaped inside &lt;MessageText&gt;), NOT base64-encoded:
    /// this matches the official JavaScript client's default, but consumers that expect base64 (the Azure Functions queue
    /// trigger, by default) need the caller to encode it. The service limits a message to 64 KiB; characters XML cannot
    /// carry (most C0 controls) are refused with <see cref="ArgumentException"/>; CR and LF are sent as character references so they survive.
    /// </summary>
    /// <param name="visibilityDelay">Hide the message this long before first delivery (0 to 7 days; default visible at once).</param>
    /// <param name="timeToLive">How long the message lives (default 7 days); <see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.MaxValue"/> for never expiring.</param>
    public async Task<SendReceipt> SendMessageAsync(string text, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var query = new StringBuilder();
        if (visibilityDelay is { } delay)
        {
            AppendSeconds(query, "visibilitytimeout", delay, TimeSpan.Zero, nameof(visibilityDelay));
        }

        if (timeToLive is { } ttl)
        {
            if (ttl == Timeout.InfiniteTimeSpan || ttl == TimeSpan.MaxValue)
            {
                query.Append(query.Length == 0 ? '?' : '&').Append("messagettl=-1");
            }
            else
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.FromSeconds(1), nameof(timeToLive));
                query.Append(query.Length == 0 ? '?' : '&').Append("messagettl=").Append(Seconds(ttl));
            }
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Post, new Uri(_messagesUri + query));
        SetMessageBody(message, text);
        var response = await _pipeline.SendAsync(message, cancellationToken);
        var m = ParseMessages(response).Single();
        return new SendReceipt(
            Required(m, "MessageId"),
            Required(m, "PopReceipt"),
            RequiredDate(m, "InsertionTime"),
            RequiredDate(m, "ExpirationTime"),
            RequiredDate(m, "TimeNextVisible"));
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> (1-32) visible messages and hides them for <paramref name="visibilityTimeout"/>
    /// (service default 30 s); delete each with its pop receipt before then or it reappears with a higher dequeue count.
    /// An empty list means nothing was visible.
    /// </summary>
    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        ValidateMaxMessages(maxMessages);
        var query = new StringBuilder("?numofmessages=").Append(maxMessages.ToString(CultureInfo.InvariantCulture));
        if (visibilityTimeout is { } timeout)
        {
            AppendSeconds(query, "visibilitytimeout", timeout, TimeSpan.FromSeconds(1), nameof(visibilityTimeout));
        }

        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(_messagesUri + query));
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return ParseMessages(response).Select(m => new QueueMessage(
            Required(m, "MessageId"),
            Required(m, "PopReceipt"),
            (string?)m.Element("MessageText") ?? string.Empty,
            (long?)m.Element("DequeueCount") ?? 0,
            RequiredDate(m, "InsertionTime"),
            RequiredDate(m, "ExpirationTime"),
            RequiredDate(m, "TimeNextVisible"))).ToList();
    }

    /// <summary>Receives one message, or null when none is visible.</summary>
    public async Task<QueueMessage?> ReceiveMessageAsync(TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        var messages = await ReceiveMessagesAsync(1, visibilityTimeout, cancellationToken);
        return messages.Count == 0 ? null : messages[0];
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> (1-32) visible messages without hiding them or counting a dequeue.</summary>
    public async Task<IReadOnlyList<PeekedMessage>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        ValidateMaxMessages(maxMessages);
        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(_messagesUri + "?peekonly=true&numofmessages=" + maxMessages.ToString(CultureInfo.InvariantCulture)));
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return ParseMessages(response).Select(m => new PeekedMessage(
            Required(m, "MessageId"),
            (string?)m.Element("MessageText") ?? string.Empty,
            (long?)m.Element("DequeueCount") ?? 0,
            RequiredDate(m, "InsertionTime"),
            RequiredDate(m, "ExpirationTime"))).ToList();
    }

    /// <summary>Deletes a received message; a pop receipt that is no longer current fails with a <see cref="StorageException"/>.</summary>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, MessageUri(messageId, popReceipt));
        await _pipeline.SendAsync(message, cancellationToken);
    }

    /// <summary>
    /// Extends (or shortens) a received message's invisibility to <paramref name="visibilityTimeout"/> from now (0 to 7 days) and
    /// optionally replaces its text. The old pop receipt stops working: use the returned one from here on.
    /// </summary>
    public async Task<UpdateReceipt> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, string? newText = null, CancellationToken cancellationToken = default)
    {
        // The message URI already carries ?popreceipt=, so the timeout is appended with '&'.
        var uri = new StringBuilder(MessageUri(messageId, popReceipt).AbsoluteUri);
        AppendSeconds(uri, "visibilitytimeout", visibilityTimeout, TimeSpan.Zero, nameof(visibilityTimeout));
        using var message = _pipeline.CreateMessage(RequestMethod.Put, new Uri(uri.ToString()));
        if (newText is not null)
        {
            SetMessageBody(message, newText);
        }

        var response = await _pipeline.SendAsync(message, cancellationToken);
        return new UpdateReceipt(
            response.Get("x-ms-popreceipt") ?? throw new StorageException(response.Status, "MissingHeader", response.Get("x-ms-request-id"), "Update Message returned no x-ms-popreceipt."),
            response.RequiredDate("x-ms-time-next-visible"));
    }

    /// <summary>The service's approximate message count (x-ms-approximate-messages-count): may lag recent sends and deletes.</summary>
    public async Task<int> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, new Uri(Uri.AbsoluteUri + "?comp=metadata"));
        var response = await _pipeline.SendAsync(message, cancellationToken);
        return int.TryParse(response.Get("x-ms-approximate-messages-count"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    /// <summary>Deletes every message in the queue.</summary>
    public async Task ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, new Uri(_messagesUri));
        await _pipeline.SendAsync(message, cancellationToken);
    }

    private Uri MessageUri(string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        return new Uri($"{_messagesUri}/{Uri.EscapeDataString(messageId)}?popreceipt={Uri.EscapeDataString(popReceipt)}");
    }

    private static void SetMessageBody(HttpMessage message, string text)
    {
        var body = new StringBuilder(text.Length + 64);
        // Entitize keeps CR (and CRLF) intact through the service's XML parser, which would otherwise normalise it to LF.
        var settings = new XmlWriterSettings { OmitXmlDeclaration = true, NewLineHandling = NewLineHandling.Entitize, CheckCharacters = true };
        try
        {
            using var writer = XmlWriter.Create(body, settings);
            writer.WriteStartElement("QueueMessage");
            writer.WriteElementString("MessageText", text);
            writer.WriteEndElement();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException("The message text contains characters that XML cannot carry; base64-encode it before sending.", nameof(text), ex);
        }

        message.Request.Headers.SetValue("Content-Type", "application/xml; charset=utf-8");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToString()));
    }

    private static List<XElement> ParseMessages(Response response)
    {
        using var stream = response.Content.ToStream();
        using var reader = XmlReader.Create(stream, ReaderSettings);
        var document = XDocument.Load(reader);
        return document.Root?.Elements("QueueMessage").ToList() ?? [];
    }

    private static string Required(XElement message, string name) =>
        (string?)message.Element(name) ?? throw new StorageException(0, "UnexpectedResponse", null, $"A queue message in the response has no <{name}>.");

    private static DateTimeOffset RequiredDate(XElement message, string name) =>
        ResponseHeaders.ParseDate(Required(message, name)) ?? throw new StorageException(0, "UnexpectedResponse", null, $"A queue message in the response has an empty <{name}>.");

    private static void ValidateMaxMessages(int maxMessages)
    {
        if (maxMessages is < 1 or > MaxMessagesPerReceive)
        {
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, $"maxMessages must be between 1 and {MaxMessagesPerReceive}.");
        }
    }

    private static void AppendSeconds(StringBuilder query, string name, TimeSpan value, TimeSpan min, string paramName)
    {
        if (value < min || value > MaxVisibility)
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be between {min.TotalSeconds} seconds and 7 days.");
        }

        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Seconds(value));
    }

    /// <summary>Whole seconds, rounded up: a lease or delay is never shorter than asked.</summary>
    private static string Seconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
