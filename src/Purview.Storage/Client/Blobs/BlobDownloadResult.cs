using Azure.Core;

namespace Purview.Storage.Client.Blobs;

/// <summary>
/// A blob being downloaded: <see cref="Content"/> reads the response body as it arrives from the network and
/// <see cref="Details"/> holds the headers. Dispose it (or the stream) to release the connection.
/// </summary>
public sealed class BlobDownloadResult : IDisposable, IAsyncDisposable
{
    internal BlobDownloadResult(Stream content, BlobProperties details)
    {
        Content = content;
        Details = details;
    }

    public Stream Content { get; }

    public BlobProperties Details { get; }

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// The unbuffered response body, owning the <see cref="HttpMessage"/> it came from: disposing the message earlier would
/// close the body under the reader, so the stream's disposal is what releases both.
/// </summary>
internal sealed class MessageOwningStream(HttpMessage message, Stream inner) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            message.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// A fixed window [start, start + length) of a seekable stream, which Azure.Core may rewind for a retry and dispose
/// with the request without touching the caller's stream (only its position moves).
/// </summary>
internal sealed class StreamWindow(Stream source, long start, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var toRead = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        if (toRead == 0)
        {
            return 0;
        }

        source.Position = start + _position;
        var read = source.Read(buffer[..toRead]);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var toRead = (int)Math.Min(buffer.Length, Math.Max(0, length - _position));
        if (toRead == 0)
        {
            return 0;
        }

        source.Position = start + _position;
        var read = await source.ReadAsync(buffer[..toRead], cancellationToken);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
