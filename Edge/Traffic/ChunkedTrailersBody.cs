using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Granary.Edge.Traffic;

/// <summary>
/// Response trailers over HTTP/1.1, which Kestrel cannot send (it offers trailers on HTTP/2 and 3 only): for a chunked
/// response whose instance declares trailers (a <c>Trailer</c> header), the edge sets <c>Transfer-Encoding: chunked</c>
/// itself, which Kestrel then leaves to it, frames each write as a chunk, and ends the body with the instance's
/// trailers (<see cref="EndAsync(HttpResponseHeaders)"/>). A body that fails before that is left unterminated, so the
/// client sees the truncation as it would from the instance.
/// </summary>
internal sealed class ChunkedTrailersBody(IHttpResponseBodyFeature inner) : Stream, IHttpResponseBodyFeature, IEdgeResponseBody
{
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    private readonly PipeWriter _writer = inner.Writer;

    public IHttpResponseBodyFeature Inner => inner;

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Whether this response gets its trailers through the edge's own chunking (pure).</summary>
    public static bool Applies(HttpContext context, HttpResponseMessage response) =>
        response.Headers.Trailer.Count > 0
        && HttpProtocol.IsHttp11(context.Request.Protocol)
        && CoalescedResponseBody.EndsWithTerminatingChunk(context);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0)
        {
            return;
        }

        _writer.Write(Encoding.ASCII.GetBytes(buffer.Length.ToString("x", CultureInfo.InvariantCulture)));
        _writer.Write(CrLf);
        _writer.Write(buffer.Span);
        _writer.Write(CrLf);
        await _writer.FlushAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the response body is written asynchronously");

    public override Task FlushAsync(CancellationToken cancellationToken) => _writer.FlushAsync(cancellationToken).AsTask();

    public override void Flush() => throw new NotSupportedException("the response body is flushed asynchronously");

    /// <summary>The last chunk and the instance's trailers, once its whole body was copied.</summary>
    public async ValueTask EndAsync(HttpResponseHeaders trailers)
    {
        var end = new StringBuilder("0\r\n");
        foreach (var (name, values) in trailers)
        {
            foreach (var value in values)
            {
                end.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        end.Append("\r\n");
        _writer.Write(Encoding.ASCII.GetBytes(end.ToString()));
        await _writer.FlushAsync();
    }

    /// <summary>Nothing is left pending: every chunk was flushed as it was written.</summary>
    public ValueTask EndAsync(HttpContext context) => default;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    void IHttpResponseBodyFeature.DisableBuffering() => inner.DisableBuffering();

    Task IHttpResponseBodyFeature.StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    Task IHttpResponseBodyFeature.SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the edge copies instance responses; it sends no files");

    Task IHttpResponseBodyFeature.CompleteAsync() => inner.CompleteAsync();
}

/// <summary>A response body the edge puts in front of Kestrel's while an instance's response is copied.</summary>
internal interface IEdgeResponseBody
{
    /// <summary>Kestrel's body feature, put back once the copy is done.</summary>
    IHttpResponseBodyFeature Inner { get; }

    /// <summary>Sends whatever the wrapper still holds.</summary>
    ValueTask EndAsync(HttpContext context);
}
