using System.Buffers;

namespace Granary.Edge.Routing;

/// <summary>Host names as the edge keys its table by them (pure).</summary>
public static class HostNames
{
    private static readonly SearchValues<char> HostChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._");

    /// <summary>
    /// A route's host name as the edge matches it (lower case, no trailing dot), or null if it is not a DNS name
    /// (optionally with a leading <c>*.</c> wildcard). Punycode is left out: routes are registered in the form
    /// clients send, and a second spelling of one name would let two apps claim it.
    /// </summary>
    public static string? Normalize(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var normalized = host.Trim().TrimEnd('.').ToLowerInvariant();
        var name = IsWildcard(normalized) ? normalized.AsSpan(2) : normalized.AsSpan();
        if (name.Length is 0 or > 253 || name.ContainsAnyExcept(HostChars) || name.Contains("..", StringComparison.Ordinal)
            || name[0] == '.' || name.Contains("xn--", StringComparison.Ordinal))
        {
            return null;
        }

        return normalized;
    }

    /// <summary><c>*.example.com</c>: every name under example.com (at any depth), not example.com itself.</summary>
    public static bool IsWildcard(string host) => host.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>The host of a request as the lookup wants it: without the trailing dot a fully qualified name may carry.</summary>
    public static ReadOnlySpan<char> OfRequest(string host)
    {
        var span = host.AsSpan();
        return span.Length > 0 && span[^1] == '.' ? span[..^1] : span;
    }
}
