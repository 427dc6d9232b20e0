using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// Reads HTTP/1.x responses off one connection through a buffer of its own, so bytes past one response are the
/// start of the next. Every read has a timeout: a response that stops arriving fails with how far it got, rather
/// than hanging the test until the server's keep-alive timeout (Kestrel's is 130 s).
/// </summary>
internal sealed class RawResponseReader(Stream stream, string label, TimeSpan readTimeout)
{
    private const int MaxLine = 16 * 1024;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _closed;

    /// <summary>The peer closed (or reset) the connection and every byte before that was consumed.</summary>
    public bool PeerClosed => _closed && _start == _end;

    public TimeSpan ReadTimeout { get; set; } = readTimeout;

    /// <summary>The next response head, interim (1xx) ones included.</summary>
    public async Task<ResponseHead> ReadHeadAsync(RawRequest request, Task? notBefore = null)
    {
        var line = await ReadLineAsync(() => $"waiting for the status line of the response to {request}", notBefore)
            ?? throw new IOException($"{label}: the connection closed instead of answering {request}");
        var parts = line.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
        {
            throw new InvalidDataException($"{label}: not a status line in answer to {request}: '{line}'");
        }

        return new ResponseHead(parts[0], status, parts.Length > 2 ? parts[2] : "", await ReadFieldsAsync(request, "headers"));
    }

    /// <summary>The rest of a response whose head was read: its body, framed as the head and request say.</summary>
    public async Task<RawResponse> ReadBodyAsync(RawRequest request, ResponseHead head, IReadOnlyList<int> interim)
    {
        using var sink = new ResponseBodySink(request.ReadAtMost);
        var trailers = new List<(string, string)>();
        var framing = MessageFraming.Of(request, head);
        var complete = framing switch
        {
            Framing.None => true,
            Framing.ContentLength => await ReadExactlyAsync(long.Parse(head.Header("Content-Length")!, CultureInfo.InvariantCulture), sink, request, "Content-Length"),
            Framing.Chunked => await ReadChunkedAsync(sink, trailers, request),
            _ => await ReadUntilCloseAsync(sink, request),
        };
        var end = sink.Full ? BodyEnd.StoppedByClient : complete ? BodyEnd.Complete : BodyEnd.Truncated;
        var reusable = end == BodyEnd.Complete && framing != Framing.UntilClose && !PeerClosed && MessageFraming.KeepsAlive(request, head);
        return new RawResponse(head.Version, head.Status, head.Reason, head.Headers, interim, framing, end,
            sink.Length, sink.Sha256(), sink.Kept(), trailers, reusable);
    }

    /// <summary>True when the peer closes the connection within <paramref name="wait"/> and sends nothing more.</summary>
    public async Task<bool> ClosesWithinAsync(TimeSpan wait)
    {
        var previous = ReadTimeout;
        ReadTimeout = wait;
        try
        {
            return _start == _end && !await FillAsync(() => "", null);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            ReadTimeout = previous;
        }
    }

    private async Task<bool> ReadExactlyAsync(long length, ResponseBodySink sink, RawRequest request, string framing)
    {
        var remaining = length;
        while (remaining > 0 && !sink.Full)
        {
            if (_start == _end && !await FillAsync(() => $"{request} stalled after {sink.Length:N0} of {length:N0} body bytes ({framing})", null))
            {
                return false;
            }

            var take = (int)Math.Min(remaining, _end - _start);
            take = sink.Add(_buffer.AsSpan(_start, take));
            _start += take;
            remaining -= take;
        }

        return remaining == 0;
    }

    private async Task<bool> ReadChunkedAsync(ResponseBodySink sink, List<(string, string)> trailers, RawRequest request)
    {
        while (!sink.Full)
        {
            var sizeLine = await ReadLineAsync(() => $"{request} stalled after {sink.Length:N0} body bytes, before a chunk size (chunked)", null);
            if (sizeLine is null)
            {
                return false;
            }

            var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                trailers.AddRange(await ReadFieldsAsync(request, "trailers"));
                return true;
            }

            if (!await ReadExactlyAsync(size, sink, request, $"a chunk of {size:N0} bytes"))
            {
                return false;
            }

            if (sink.Full)
            {
                break;
            }

            switch (await ReadLineAsync(() => $"{request} stalled after {sink.Length:N0} body bytes, at a chunk's end (chunked)", null))
            {
                case null:
                    return false;
                case { Length: > 0 } extra:
                    throw new InvalidDataException($"{label}: a chunk longer than its size ({size}) in the answer to {request}: '{extra[..Math.Min(40, extra.Length)]}'");
            }
        }

        return true;
    }

    private async Task<bool> ReadUntilCloseAsync(ResponseBodySink sink, RawRequest request)
    {
        while (!sink.Full)
        {
            if (_start == _end && !await FillAsync(() => $"{request} stalled after {sink.Length:N0} body bytes (delimited by the connection's close)", null))
            {
                return true;
            }

            _start += sink.Add(_buffer.AsSpan(_start, _end - _start));
        }

        return true;
    }

    private async Task<List<(string Name, string Value)>> ReadFieldsAsync(RawRequest request, string what)
    {
        var fields = new List<(string, string)>();
        while (await ReadLineAsync(() => $"{request} stalled in the {what}", null) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException($"{label}: a malformed line in the {what} of the answer to {request}: '{line}'");
            }

            fields.Add((line[..colon], line[(colon + 1)..].Trim()));
        }

        return fields;
    }

    /// <summary>A line without its CRLF, or null when the connection closed before one.</summary>
    private async Task<string?> ReadLineAsync(Func<string> progress, Task? notBefore)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }

            if (_end - _start >= MaxLine)
            {
                throw new InvalidDataException($"{label}: a line of over {MaxLine} bytes: {progress()}");
            }

            if (!await FillAsync(progress, notBefore))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Reads more into the buffer; false once the peer closed or reset the connection. The timeout starts when
    /// <paramref name="notBefore"/> is done: while a request body is still being sent, no answer is no stall.
    /// </summary>
    private async Task<bool> FillAsync(Func<string> progress, Task? notBefore)
    {
        if (_closed)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        using var timeout = new CancellationTokenSource();
        var read = stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token).AsTask();
        if (notBefore is { IsCompleted: false })
        {
            await Task.WhenAny(read, notBefore);
        }

        timeout.CancelAfter(ReadTimeout);
        try
        {
            var count = await read;
            _end += count;
            _closed = count == 0;
            return count > 0;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{label}: no byte for {ReadTimeout.TotalSeconds:0} s: {progress()}");
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            // A reset ends the stream as a close does; the caller sees the body cut short.
            _closed = true;
            return false;
        }
    }
}
