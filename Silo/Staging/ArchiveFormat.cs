namespace Granary.Silo.Staging;

internal enum ArchiveKind
{
    Zip = 1,
    TarGz = 2,
}

/// <summary>Tells zip from tar.gz by the first bytes: a client's Content-Type or file name is not evidence.</summary>
internal static class ArchiveFormat
{
    public const string Expected = "expected a zip or tar.gz archive";

    /// <summary>The kind of archive the header shows, or null for anything else.</summary>
    public static ArchiveKind? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 4 && header[0] == (byte)'P' && header[1] == (byte)'K')
        {
            // Local file header, or the end-of-central-directory record alone (an empty zip).
            var (third, fourth) = (header[2], header[3]);
            if ((third == 3 && fourth == 4) || (third == 5 && fourth == 6))
            {
                return ArchiveKind.Zip;
            }
        }

        return header.Length >= 3 && header[0] == 0x1F && header[1] == 0x8B && header[2] == 8 ? ArchiveKind.TarGz : null;
    }

    public static async Task<ArchiveKind?> SniffFileAsync(string path, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        await using var file = File.OpenRead(path);
        var read = await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        return Sniff(header.AsSpan(0, read));
    }

    public static string Extension(ArchiveKind kind) => kind == ArchiveKind.Zip ? "zip" : "tgz";
}
