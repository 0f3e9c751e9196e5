namespace Purview.Storage.Client.Queues;

/// <summary>What Put Message returns: the new message's id and the pop receipt needed to delete or update it before it is received.</summary>
public sealed record SendReceipt(
    string MessageId,
    string PopReceipt,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleOn);

/// <summary>
/// A received message, invisible to others until <see cref="NextVisibleOn"/>. <see cref="MessageText"/> is exactly the text
/// the service holds: nothing is base64-decoded (see <see cref="QueueClient.SendMessageAsync"/>).
/// </summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    string MessageText,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime,
    DateTimeOffset NextVisibleOn);

/// <summary>A message seen without receiving it: no pop receipt, and its dequeue count unchanged.</summary>
public sealed record PeekedMessage(
    string MessageId,
    string MessageText,
    long DequeueCount,
    DateTimeOffset InsertionTime,
    DateTimeOffset ExpirationTime);

/// <summary>After Update Message: the receipt that replaces the old one (which no longer works) and the new visibility time.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
