using System.Text;

namespace Granary.Tests.Edge.Conformance;

/// <summary>One HTTP/1.x request as it goes on the wire: nothing is added but Content-Length for a body and Expect.</summary>
internal sealed record RawRequest(string Method, string Target)
{
    public string Version { get; init; } = "HTTP/1.1";

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Sends <c>Expect: 100-continue</c> and holds the body back until the interim 100 arrives.</summary>
    public bool ExpectContinue { get; init; }

    /// <summary>Stops reading the body after this many bytes (a client that leaves mid-download).</summary>
    public long? ReadAtMost { get; init; }

    public override string ToString() => $"{Method} {Target} {Version}";
}

/// <summary>How the body was delimited on the wire.</summary>
internal enum Framing
{
    None = 0,
    ContentLength = 1,
    Chunked = 2,
    UntilClose = 3,
}

/// <summary>How reading the body ended.</summary>
internal enum BodyEnd
{
    /// <summary>All of it: the Content-Length, the last chunk and trailers, or the close that delimits it.</summary>
    Complete = 0,

    /// <summary>The connection closed or was reset before the framing said the body was done.</summary>
    Truncated = 1,

    /// <summary>The client stopped reading (<see cref="RawRequest.ReadAtMost"/>).</summary>
    StoppedByClient = 2,
}

internal sealed record ResponseHead(string Version, int Status, string Reason, IReadOnlyList<(string Name, string Value)> Headers)
{
    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => Values(name).FirstOrDefault();
}

internal sealed record RawResponse(
    string Version,
    int Status,
    string Reason,
    IReadOnlyList<(string Name, string Value)> Headers,
    IReadOnlyList<int> Interim,
    Framing Framing,
    BodyEnd End,
    long BodyLength,
    string BodySha256,
    byte[]? Body,
    IReadOnlyList<(string Name, string Value)> Trailers,
    bool ConnectionReusable)
{
    /// <summary>Bodies up to this size are kept (<see cref="Body"/>); larger ones only counted and hashed.</summary>
    public const int KeptBodyLimit = 1024 * 1024;

    public string Text => Body is null ? throw new InvalidOperationException($"a {BodyLength}-byte body is not kept") : Encoding.UTF8.GetString(Body);

    public IEnumerable<string> Values(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    public string? Header(string name) => Values(name).FirstOrDefault();

    public override string ToString() =>
        $"{Version} {Status} {Reason}, {Framing} body of {BodyLength} bytes ({End}), {Headers.Count} headers, {Trailers.Count} trailers";
}
