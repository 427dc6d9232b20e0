using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Granary.Tests.Infrastructure;

/// <summary>Builds upload archives in memory, including hostile ones no honest CLI would make.</summary>
public static class Archives
{
    public static byte[] TarGz(params TarEntry[] entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var entry in entries)
            {
                tar.WriteEntry(entry);
            }
        }

        if (entries.Length == 0)
        {
            // A real empty tarball (what `tar czf` of an empty folder holds): the two zero end blocks.
            using var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true);
            gzip.Write(new byte[1024]);
        }

        return buffer.ToArray();
    }

    public static PaxTarEntry File(string path, string content) =>
        new(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)), Mode = (UnixFileMode)420 };

    public static PaxTarEntry Link(string path, string target) =>
        new(TarEntryType.SymbolicLink, path) { LinkName = target };

    /// <summary>A folder packed as tar.gz the way the CLI does (regular files only).</summary>
    public static byte[] TarGzOfFolder(string folder) =>
        TarGz(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (TarEntry)new PaxTarEntry(TarEntryType.RegularFile, Path.GetRelativePath(folder, f))
            {
                DataStream = new MemoryStream(System.IO.File.ReadAllBytes(f)),
                Mode = (UnixFileMode)420,
            })
            .ToArray());
}
