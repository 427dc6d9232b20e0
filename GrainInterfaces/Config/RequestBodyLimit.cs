using System.Globalization;

namespace Granary.Config;

/// <summary>
/// Pure: the request body limit as operators type it (<c>unlimited</c>, <c>30000000</c>, <c>512K</c>, <c>100M</c>,
/// <c>2G</c>; K, M and G are powers of 1024) and its stored form (bytes, or <c>unlimited</c>). The cluster config
/// validates with it and every edge reads with it, so both agree on what a value means.
/// </summary>
public static class RequestBodyLimit
{
    public const string Unlimited = "unlimited";

    public const string AcceptedForms = "unlimited, or a size in bytes: 30000000, 512K, 100M, 2G (K, M, G = 1024, 1024², 1024³)";

    private static readonly (string Suffix, long Factor)[] Suffixes =
        [("KB", 1L << 10), ("MB", 1L << 20), ("GB", 1L << 30), ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30)];

    /// <summary>Reads a limit; <paramref name="bytes"/> is null for unlimited (also for an empty value).</summary>
    public static bool TryParse(string? text, out long? bytes)
    {
        bytes = null;
        var s = text?.Trim() ?? "";
        if (s.Length == 0 || s.Equals(Unlimited, StringComparison.OrdinalIgnoreCase))
            return true;
        var factor = 1L;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[..^suffix.Length].TrimEnd();
                factor = f;
                break;
            }
        }

        // Whole numbers only, and at most 16 digits, so the product cannot overflow.
        if (s.Length is 0 or > 16 || !s.All(char.IsAsciiDigit))
            return false;
        var value = long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value == 0 || value > long.MaxValue / factor)
            return false;
        bytes = value * factor;
        return true;
    }

    /// <summary>The stored form: bytes, or <c>unlimited</c>; null when the text is not a limit.</summary>
    public static string? Normalize(string? text) =>
        TryParse(text, out var bytes) ? Format(bytes) : null;

    public static string Format(long? bytes) => bytes is { } n ? n.ToString(CultureInfo.InvariantCulture) : Unlimited;
}
