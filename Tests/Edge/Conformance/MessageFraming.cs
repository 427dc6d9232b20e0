namespace Granary.Tests.Edge.Conformance;

/// <summary>HTTP/1.x's rules for where a response ends and whether its connection carries another, as a client applies them.</summary>
internal static class MessageFraming
{
    /// <summary>How the response's body is delimited (RFC 9112 6.3): none for HEAD, 1xx, 204 and 304.</summary>
    public static Framing Of(RawRequest request, ResponseHead head)
    {
        if (request.Method == "HEAD" || head.Status is 204 or 304 || head.Status < 200)
        {
            return Framing.None;
        }

        var codings = string.Join(',', head.Values("Transfer-Encoding")).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (codings.Length > 0)
        {
            return codings[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase) ? Framing.Chunked : Framing.UntilClose;
        }

        return head.Header("Content-Length") is null ? Framing.UntilClose : Framing.ContentLength;
    }

    /// <summary>Whether both sides leave the connection open for another request (RFC 9112 9.3).</summary>
    public static bool KeepsAlive(RawRequest request, ResponseHead head)
    {
        static bool Says(IEnumerable<string> values, string token) =>
            values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).Any(t => t.Equals(token, StringComparison.OrdinalIgnoreCase));

        var requestConnection = request.Headers.Where(h => h.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
        if (Says(requestConnection, "close") || Says(head.Values("Connection"), "close"))
        {
            return false;
        }

        return (head.Version == "HTTP/1.1" && request.Version == "HTTP/1.1") || Says(head.Values("Connection"), "keep-alive");
    }
}
