using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Granary.Edge.Traffic;

/// <summary>
/// The client's response body while YARP copies an instance's response into it: writes go to Kestrel's pipe
/// without a flush, and are flushed when the instance's next read would wait (see <see cref="FlushBeforeWaitContent"/>),
/// when 64 KB are pending, or at the end of the response (<see cref="EndAsync"/>). A small response then leaves in
/// one send instead of two (the body, then the terminating chunk): a system call and a packet less per request. A
/// response that trickles (server-sent events, long polls) is flushed as soon as the instance pauses, so nothing
/// waits in the edge for more than the instance's own silence.
/// </summary>
internal sealed class CoalescedResponseBody(IHttpResponseBodyFeature inner) : Stream, IHttpResponseBodyFeature, IEdgeResponseBody
{
    private const int MaxPending = 64 * 1024;

    private readonly PipeWriter _writer = inner.Writer;
    private int _pending;

    /// <summary>The body feature this one stands in for; put back when the forwarder is done.</summary>
    public IHttpResponseBodyFeature Inner => inner;

    public bool HasPending => _pending > 0;

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _writer.Write(buffer.Span);
        _pending += buffer.Length;
        return _pending >= MaxPending ? FlushPendingAsync(cancellationToken) : default;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the response body is written asynchronously");

    public override Task FlushAsync(CancellationToken cancellationToken) => FlushPendingAsync(cancellationToken).AsTask();

    public override void Flush() => throw new NotSupportedException("the response body is flushed asynchronously");

    public async ValueTask FlushPendingAsync(CancellationToken cancellationToken = default)
    {
        _pending = 0;
        await _writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Sends what is still pending once the instance's body is copied, unless Kestrel's own end of the response
    /// will. Kestrel ends a chunked HTTP/1.1 body by writing the terminating chunk, which flushes the pipe with it.
    /// For any other body (Content-Length, HTTP/1.0, HTTP/2) it flushes at the end only the bytes it counted
    /// itself, and bytes advanced through the pipe (as here) are not among them once anything was flushed: the
    /// tail of a response over 64 KB stayed in the pipe, and a kept-alive client waited for it until the
    /// connection timed out.
    /// </summary>
    public async ValueTask EndAsync(HttpContext context)
    {
        if (!HasPending || EndsWithTerminatingChunk(context))
        {
            return;
        }

        try
        {
            await FlushPendingAsync(context.RequestAborted);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; Kestrel has aborted the request and there is no one left to send the tail to.
        }
    }

    /// <summary>Whether Kestrel chunks this response itself: HTTP/1.1, a body, and no Content-Length.</summary>
    internal static bool EndsWithTerminatingChunk(HttpContext context) =>
        !HttpMethods.IsHead(context.Request.Method)
        && context.Response.ContentLength is null
        && HttpProtocol.IsHttp11(context.Request.Protocol)
        && context.Response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified) and >= 200;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    void IHttpResponseBodyFeature.DisableBuffering() => inner.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    Task IHttpResponseBodyFeature.CompleteAsync() =>
        HasPending ? FlushThenCompleteAsync() : inner.CompleteAsync();

    private async Task FlushThenCompleteAsync()
    {
        await FlushPendingAsync();
        await inner.CompleteAsync();
    }
}

/// <summary>An instance's response content whose reads flush the client's pending body before they wait.</summary>
internal sealed class FlushBeforeWaitContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly CoalescedResponseBody _output;

    public FlushBeforeWaitContent(HttpContent inner, CoalescedResponseBody output)
    {
        _inner = inner;
        _output = output;
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new FlushBeforeWaitStream(await _inner.ReadAsStreamAsync(cancellationToken), _output);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class FlushBeforeWaitStream(Stream inner, CoalescedResponseBody output) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(buffer, cancellationToken);
            return read.IsCompleted || !output.HasPending ? read : FlushThenWaitAsync(read);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

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
            }

            base.Dispose(disposing);
        }

        private async ValueTask<int> FlushThenWaitAsync(ValueTask<int> read)
        {
            try
            {
                await output.FlushPendingAsync();
            }
            catch (Exception)
            {
                // The client went away: Kestrel has aborted the request, and the copy ends at its next write. A
                // failure here must not read as the instance's, which this stream speaks for.
            }

            return await read;
        }
    }
}
