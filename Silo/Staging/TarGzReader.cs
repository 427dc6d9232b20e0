using System.Formats.Tar;
using System.IO.Compression;

namespace Granary.Silo.Staging;

/// <summary>Feeds a tar.gz's entries to an <see cref="ArchiveWalk"/>, streaming: nothing is held in memory.</summary>
internal static class TarGzReader
{
    // Tar spends up to 1 KiB of headers and padding per entry; anything beyond that and the data allowance
    // is a bomb hiding in headers (a giant PAX record) rather than in file contents.
    private const long HeaderAllowancePerEntry = 1536;
    private const long FixedAllowance = 16L * 1024 * 1024;

    public static async Task ReadAsync(string archivePath, ArchiveWalk walk, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var allowance = SaturatingAdd(limits.MaxUnpackedBytes, SaturatingAdd(FixedAllowance, limits.MaxEntries * HeaderAllowancePerEntry));
        await using var bounded = new BoundedReadStream(gzip, allowance, limits.MaxUnpackedBytes);
        await using var tar = new TarReader(bounded);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            var item = entry.EntryType switch
            {
                TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile =>
                    new ArchiveItem(entry.Name, ArchiveItemKind.File, entry.Mode),
                TarEntryType.Directory => new ArchiveItem(entry.Name, ArchiveItemKind.Directory, entry.Mode),
                TarEntryType.SymbolicLink => new ArchiveItem(entry.Name, ArchiveItemKind.SymbolicLink, entry.Mode, entry.LinkName),
                TarEntryType.HardLink => new ArchiveItem(entry.Name, ArchiveItemKind.HardLink, entry.Mode, entry.LinkName),
                TarEntryType.GlobalExtendedAttributes => null,
                TarEntryType.CharacterDevice => Unsupported(entry, "character device"),
                TarEntryType.BlockDevice => Unsupported(entry, "block device"),
                TarEntryType.Fifo => Unsupported(entry, "fifo"),
                _ => Unsupported(entry, $"tar entry of type {entry.EntryType}"),
            };
            if (item is not null)
            {
                await walk.AddAsync(item, item.Kind == ArchiveItemKind.File ? entry.DataStream : null, cancellationToken);
            }
        }
    }

    private static ArchiveItem Unsupported(TarEntry entry, string description) =>
        new(entry.Name, ArchiveItemKind.Unsupported, entry.Mode, Description: description);

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
