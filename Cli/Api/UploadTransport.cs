using System.Net.Sockets;

namespace Granary.Cli.Api;

/// <summary>
/// Connections for package uploads. A server that refuses an upload (413 over its package limit) may
/// answer and close while the body is still on its way; HttpClient then fails the whole request on
/// the broken pipe and the server's answer is lost. Here a failed write ends the body quietly instead,
/// so HttpClient goes on to read whatever the server answered.
/// </summary>
internal static class UploadTransport
{
    public static SocketsHttpHandler CreateHandler(TimeSpan connectTimeout, TimeSpan expectContinueTimeout) => new()
    {
        ConnectTimeout = connectTimeout,
        Expect100ContinueTimeout = expectContinueTimeout,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new WriteForgivingStream(new NetworkStream(socket, ownsSocket: true));
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Passes reads through; after the first failed write, drops every later write.</summary>
    private sealed class WriteForgivingStream(NetworkStream inner) : Stream
    {
        private bool _writeFailed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            inner.ReadAsync(buffer, offset, count, ct);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_writeFailed)
                return;
            try
            {
                inner.Write(buffer, offset, count);
            }
            catch (IOException)
            {
                _writeFailed = true;
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            if (_writeFailed)
                return;
            try
            {
                await inner.WriteAsync(buffer, ct);
            }
            catch (IOException)
            {
                _writeFailed = true;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }

        public override ValueTask DisposeAsync()
        {
            GC.SuppressFinalize(this);
            return inner.DisposeAsync();
        }
    }
}
