using System.Globalization;

namespace Granary.Silo.Staging;

internal static class Bytes
{
    /// <summary>A size for people: "256 MB", "1.5 GB", "812 bytes".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 => Format(bytes / (double)(1L << 30), "GB"),
        >= 1L << 20 => Format(bytes / (double)(1L << 20), "MB"),
        >= 1L << 10 => Format(bytes / (double)(1L << 10), "KB"),
        _ => $"{bytes} bytes",
    };

    private static string Format(double value, string unit) =>
        value.ToString(value >= 10 || value % 1 == 0 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + unit;
}
