using System.Globalization;

namespace Granary.Cli.Push;

/// <summary>Memory sizes as people type them (<c>256M</c>, <c>1G</c>, <c>512</c>) in whole megabytes.</summary>
internal static class MemorySize
{
    public const string AcceptedForms = "use whole megabytes or gigabytes: 256M, 256MB, 1G, 1GB, or 512 (MB)";

    private static readonly (string Suffix, int Factor)[] Suffixes = [("MB", 1), ("GB", 1024), ("M", 1), ("G", 1024)];

    public static bool TryParse(string? text, out int megabytes)
    {
        megabytes = 0;
        var s = text?.Trim() ?? "";
        var factor = 1;
        foreach (var (suffix, f) in Suffixes)
        {
            if (s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                s = s[..^suffix.Length];
                factor = f;
                break;
            }
        }
        // Digits only: no sign, no decimals, no "512B" (bytes to anyone else).
        if (s.Length == 0 || s.Length > 9 || !s.All(char.IsAsciiDigit))
            return false;
        var mb = long.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture) * factor;
        if (mb is <= 0 or > int.MaxValue)
            return false;
        megabytes = (int)mb;
        return true;
    }

    public static int Parse(string text) =>
        TryParse(text, out var mb) ? mb : throw new UsageException(ErrorFor(text));

    public static string ErrorFor(string text) => $"'{text}' is not a memory size: {AcceptedForms}";

    /// <summary>Shows a size the way the user would type it: <c>1G</c> when whole gigabytes, else <c>256M</c>.</summary>
    public static string Format(int megabytes) =>
        megabytes >= 1024 && megabytes % 1024 == 0
            ? (megabytes / 1024).ToString(CultureInfo.InvariantCulture) + "G"
            : megabytes.ToString(CultureInfo.InvariantCulture) + "M";
}
