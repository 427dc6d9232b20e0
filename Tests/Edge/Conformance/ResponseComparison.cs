namespace Granary.Tests.Edge.Conformance;

/// <summary>
/// What must be the same in the instance's response and the edge's to the same request: the status (interim
/// ones too), the end-to-end headers, the body's bytes and how its reading ended, and the trailers. Hop-by-hop
/// headers belong to one connection, Date can tick between the two requests, and the edge adds its own
/// X-Granary-* and X-Request-Id; those are left out.
/// </summary>
internal static class ResponseComparison
{
    private static readonly HashSet<string> NotCompared = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Upgrade", "Date", "X-Request-Id",
    };

    public static void AssertSame(string @case, RawResponse direct, RawResponse edge)
    {
        var differences = Differences(direct, edge);
        if (differences.Count > 0)
        {
            Assert.Fail($"{@case}: the edge's response differs from the instance's:\n  - {string.Join("\n  - ", differences)}\n"
                + $"  instance: {direct}\n  edge:     {edge}");
        }
    }

    public static List<string> Differences(RawResponse direct, RawResponse edge)
    {
        var differences = new List<string>();
        if (direct.Status != edge.Status)
        {
            differences.Add($"status: instance {direct.Status} {direct.Reason}, edge {edge.Status} {edge.Reason}");
        }

        if (!direct.Interim.SequenceEqual(edge.Interim))
        {
            differences.Add($"interim responses: instance [{string.Join(", ", direct.Interim)}], edge [{string.Join(", ", edge.Interim)}]");
        }

        differences.AddRange(FieldDifferences("header", EndToEnd(direct), Reframed(direct, edge)));
        if (direct.BodyLength != edge.BodyLength || direct.BodySha256 != edge.BodySha256)
        {
            differences.Add($"body: instance {direct.BodyLength:N0} bytes sha256 {direct.BodySha256[..16]}…, "
                + $"edge {edge.BodyLength:N0} bytes sha256 {edge.BodySha256[..16]}…");
        }

        if (direct.End != edge.End)
        {
            differences.Add($"body ended: instance {direct.End}, edge {edge.End}");
        }

        differences.AddRange(FieldDifferences("trailer", direct.Trailers, edge.Trailers));
        return differences;
    }

    /// <summary>The headers that describe the message rather than one connection's hop of it.</summary>
    public static IReadOnlyList<(string Name, string Value)> EndToEnd(RawResponse response)
    {
        // A header the Connection header names is hop-by-hop too (RFC 9110 7.6.1).
        var named = response.Values("Connection").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries));
        var skip = new HashSet<string>(named, StringComparer.OrdinalIgnoreCase);
        return response.Headers
            .Where(h => !NotCompared.Contains(h.Name) && !skip.Contains(h.Name)
                && !h.Name.StartsWith("X-Granary-", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>
    /// The edge's end-to-end headers, less a Content-Length it added to a body the instance left open (chunked or
    /// until close) when it matches the bytes delivered: a proxy holding the whole body may frame it by length
    /// (RFC 9112 6), as Kestrel does for an empty one. A Content-Length the instance sent is always compared.
    /// </summary>
    private static IReadOnlyList<(string Name, string Value)> Reframed(RawResponse direct, RawResponse edge)
    {
        var headers = EndToEnd(edge);
        var length = edge.BodyLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return direct.Header("Content-Length") is null && edge.Framing == Framing.ContentLength && edge.Header("Content-Length") == length
            ? headers.Where(h => !h.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).ToList()
            : headers;
    }

    private static IEnumerable<string> FieldDifferences(string kind, IReadOnlyList<(string Name, string Value)> direct, IReadOnlyList<(string Name, string Value)> edge)
    {
        var names = direct.Concat(edge).Select(f => f.Name.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var fromInstance = ValuesOf(direct, name);
            var fromEdge = ValuesOf(edge, name);
            if (!fromInstance.SequenceEqual(fromEdge))
            {
                yield return $"{kind} {name}: instance {Show(fromInstance)}, edge {Show(fromEdge)}";
            }
        }
    }

    private static List<string> ValuesOf(IReadOnlyList<(string Name, string Value)> fields, string name) =>
        fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToList();

    private static string Show(List<string> values) => values.Count == 0 ? "(absent)" : string.Join(" | ", values.Select(v => $"'{v}'"));
}
