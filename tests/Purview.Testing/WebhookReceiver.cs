using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Purview.Testing;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 (Kestrel) that records every request it gets. Its answers are scripted: a queue of
/// status codes (200 once it is empty), and an optional gate that holds the next request until the test releases it.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _answers = new();
    private TaskCompletionSource? _gate;
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Received(string Body, string? Signature, string? DeliveryId, string? Event, string? ContentType);

    public ConcurrentQueue<Received> Requests { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First() + "/hook");
        return receiver;
    }

    /// <summary>The next requests are answered with these statuses, in order.</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var s in statuses)
        {
            _answers.Enqueue(s);
        }
    }

    /// <summary>Holds the next request until <see cref="Release"/>; <see cref="Held"/> completes when it arrives.</summary>
    public Task HoldNext()
    {
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _held.Task;
    }

    public void Release() => _gate?.TrySetResult();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new Received(body, context.Request.Headers["X-Purview-Signature"], context.Request.Headers["X-Purview-Delivery"],
            context.Request.Headers["X-Purview-Event"], context.Request.ContentType));
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            _held.TrySetResult();
            await gate.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }

        context.Response.StatusCode = _answers.TryDequeue(out var status) ? status : 200;
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
