namespace Granary.Silo.Staging;

internal static class UnixTypes
{
    /// <summary>Names the S_IFMT file type bits for a refusal message.</summary>
    public static string Describe(int type) => type switch
    {
        0x1000 => "fifo",
        0x2000 => "character device",
        0x6000 => "block device",
        0xC000 => "socket",
        _ => $"special file (type 0x{type:X4})",
    };
}
