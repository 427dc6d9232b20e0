using System.Globalization;

namespace Granary.Cli.Output;

/// <summary>Durations as people type them: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c>, or <c>hh:mm:ss</c>.</summary>
internal static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var s = (text ?? "").Trim().ToLowerInvariant();
        if (s.Length >= 2 && int.TryParse(s[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            TimeSpan? unit = s[^1] switch { 's' => TimeSpan.FromSeconds(1), 'm' => TimeSpan.FromMinutes(1), 'h' => TimeSpan.FromHours(1), 'd' => TimeSpan.FromDays(1), _ => null };
            if (unit is { } u)
            {
                duration = u * n;
                return true;
            }
        }

        return s.Contains(':') && TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new UsageException($"'{text}' is not a duration: use 90s, 30m, 1h, 2d or hh:mm:ss");
}
