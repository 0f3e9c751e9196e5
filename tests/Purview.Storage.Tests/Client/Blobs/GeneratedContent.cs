using System.Security.Cryptography;

namespace Purview.Storage.Tests.Client.Blobs;

/// <summary>
/// Deterministic pseudo-random bytes produced on demand, so multi-MiB uploads need no test-side buffer and can be
/// checked by hash; <see cref="Stream"/> hides seeking and length the way a network or pipe source would.
/// </summary>
internal static class GeneratedContent
{
    public static Stream NonSeekable(long length, uint seed) => new GeneratorStream(length, seed);

    public static byte[] Bytes(int length, uint seed)
    {
        var bytes = new byte[length];
        using var s = NonSeekable(length, seed);
        s.ReadExactly(bytes);
        return bytes;
    }

    public static string Sha256(long length, uint seed)
    {
        using var s = NonSeekable(length, seed);
        return Sha256(s);
    }

    public static string Sha256(Stream stream) => Convert.ToHexString(SHA256.HashData(stream));

    public static async Task<string> Sha256Async(Stream stream) => Convert.ToHexString(await SHA256.HashDataAsync(stream));

    private sealed class GeneratorStream(long length, uint seed) : Stream
    {
        private long _position;
        private uint _state = seed == 0 ? 2463534242u : seed;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Short reads on purpose: callers must loop, as they must for a socket.
            var n = (int)Math.Min(Math.Min(buffer.Length, 64 * 1024 + 17), length - _position);
            for (var i = 0; i < n; i++)
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                buffer[i] = (byte)_state;
            }

            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
