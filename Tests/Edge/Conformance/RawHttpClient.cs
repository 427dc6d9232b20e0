using System.Net.Sockets;
using System.Text;

namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// One HTTP/1.x connection driven by hand, because HttpClient hides what these tests look at: it pools and
/// reopens connections, reframes bodies, and waits out a stalled response for its whole timeout. This client
/// writes exactly the request given, reads the response's framing as sent, and keeps the connection for the
/// next request only when both sides said so.
/// </summary>
internal sealed class RawHttpClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(20);

    private const int WritePiece = 64 * 1024;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly RawResponseReader _reader;
    private readonly string _label;
    private readonly string _host;
    private bool _reusable = true;

    private RawHttpClient(TcpClient tcp, string label, string host, TimeSpan readTimeout)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _label = label;
        _host = host;
        _reader = new RawResponseReader(_stream, label, readTimeout);
    }

    /// <param name="label">Names the path in failures: "edge" or "instance".</param>
    /// <param name="host">The Host header every request gets unless it sets its own.</param>
    public static async Task<RawHttpClient> ConnectAsync(string address, int port, string label, string host, TimeSpan? readTimeout = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tcp.ConnectAsync(address, port, timeout.Token);
        return new RawHttpClient(tcp, label, host, readTimeout ?? DefaultReadTimeout);
    }

    public string Label => _label;

    /// <summary>Sends a request and reads its whole response (interim 1xx skipped and listed in it).</summary>
    public async Task<RawResponse> SendAsync(RawRequest request)
    {
        if (!_reusable)
        {
            throw new InvalidOperationException($"{_label}: the connection cannot carry {request}: the previous exchange ended it");
        }

        var body = request.Body ?? ReadOnlyMemory<byte>.Empty;
        await _stream.WriteAsync(Head(request));
        var interim = new List<int>();
        var writing = Task.CompletedTask;
        if (request.ExpectContinue)
        {
            var first = await _reader.ReadHeadAsync(request);
            if (first.Status != 100)
            {
                // A final answer instead of 100 Continue: the body is never sent, so the connection is done.
                _reusable = false;
                return await _reader.ReadBodyAsync(request, first, interim) with { ConnectionReusable = false };
            }

            interim.Add(first.Status);
        }

        if (!body.IsEmpty)
        {
            // The response is read while the body goes out: a server that answers early (413) and stops reading
            // would otherwise leave this client blocked in a write.
            writing = WriteBodyAsync(body);
        }

        ResponseHead head;
        try
        {
            while ((head = await _reader.ReadHeadAsync(request, writing)).Status is >= 100 and < 200 and not 101)
            {
                interim.Add(head.Status);
            }
        }
        catch (Exception e) when (writing.IsFaulted && e is not TimeoutException)
        {
            throw new IOException($"{_label}: sending the {body.Length:N0}-byte body of {request} failed and no answer came: {writing.Exception!.InnerException!.Message}", e);
        }

        var response = await _reader.ReadBodyAsync(request, head, interim);
        var bodySent = await Completed(writing);
        _reusable = response.ConnectionReusable && bodySent;
        return response with { ConnectionReusable = _reusable };
    }

    /// <summary>True when the peer closes the connection within <paramref name="wait"/>, having sent nothing more.</summary>
    public Task<bool> ClosedByPeerWithinAsync(TimeSpan wait) => _reader.ClosesWithinAsync(wait);

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private byte[] Head(RawRequest request)
    {
        var head = new StringBuilder($"{request.Method} {request.Target} {request.Version}\r\n");
        var headers = request.Headers.ToList();
        if (!headers.Any(h => h.Name.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Insert(0, ("Host", _host));
        }

        if (request.Body is { } body && !headers.Any(h => h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (request.ExpectContinue)
        {
            headers.Add(("Expect", "100-continue"));
        }

        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    private async Task WriteBodyAsync(ReadOnlyMemory<byte> body)
    {
        for (var offset = 0; offset < body.Length; offset += WritePiece)
        {
            await _stream.WriteAsync(body.Slice(offset, Math.Min(WritePiece, body.Length - offset)));
        }
    }

    /// <summary>Whether the body went out whole; a server may answer (413) and close before reading it all.</summary>
    private static async Task<bool> Completed(Task writing)
    {
        try
        {
            await writing.WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            return false;
        }
    }
}
