using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Granary.Silo.Staging;

/// <summary>Feeds a zip's entries to an <see cref="ArchiveWalk"/>, reading unix types and modes where the zip has them.</summary>
internal static class ZipReader
{
    private const int TypeMask = 0xF000;
    private const int SymbolicLinkType = 0xA000;
    private const int MaxLinkTargetBytes = 4096;

    public static async Task ReadAsync(string archivePath, ArchiveWalk walk, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);

        // The central directory is loaded whole when the zip is opened; refuse a huge one before that happens.
        if (await DeclaredEntryCountAsync(file, cancellationToken) is { } declared && declared > (ulong)limits.MaxEntries)
        {
            throw new ArchiveRejectedException($"the archive holds more than {limits.MaxEntries} entries", tooLarge: true);
        }

        file.Position = 0;
        await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
        foreach (var entry in zip.Entries)
        {
            var unixMode = (int)((uint)entry.ExternalAttributes >> 16);
            var type = unixMode & TypeMask;
            var permissions = (UnixFileMode)(unixMode & 0xFFF);
            var isFolderName = entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');
            if (type == SymbolicLinkType)
            {
                var target = await ReadLinkTargetAsync(entry, cancellationToken);
                await walk.AddAsync(new ArchiveItem(entry.FullName, ArchiveItemKind.SymbolicLink, permissions, target), null, cancellationToken);
            }
            else if (type == 0x4000 || (type == 0 && isFolderName))
            {
                await walk.AddAsync(new ArchiveItem(entry.FullName, ArchiveItemKind.Directory, permissions), null, cancellationToken);
            }
            else if (type is 0x8000 or 0)
            {
                await using var data = await entry.OpenAsync(cancellationToken);
                await walk.AddAsync(new ArchiveItem(entry.FullName, ArchiveItemKind.File, permissions), data, cancellationToken);
            }
            else
            {
                var description = UnixTypes.Describe(type);
                await walk.AddAsync(new ArchiveItem(entry.FullName, ArchiveItemKind.Unsupported, permissions, Description: description), null, cancellationToken);
            }
        }
    }

    // Info-ZIP stores a link's target as the entry's content.
    private static async Task<string> ReadLinkTargetAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        await using var data = await entry.OpenAsync(cancellationToken);
        var buffer = new byte[MaxLinkTargetBytes + 1];
        var read = await data.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read > MaxLinkTargetBytes)
        {
            throw new ArchiveRejectedException($"the symbolic link '{entry.FullName}' has a target longer than {MaxLinkTargetBytes} bytes");
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>The entry count the end-of-central-directory record declares (zip64 aware), or null if it cannot be found.</summary>
    internal static async Task<ulong?> DeclaredEntryCountAsync(FileStream file, CancellationToken cancellationToken)
    {
        const int EndRecordSize = 22;
        var tailLength = (int)Math.Min(file.Length, EndRecordSize + ushort.MaxValue + 20);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        await file.ReadExactlyAsync(tail, cancellationToken);
        for (var at = tailLength - EndRecordSize; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != 0x06054B50)
            {
                continue;
            }

            var count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            if (count != ushort.MaxValue)
            {
                return count;
            }

            // Zip64: the locator just before the record gives the zip64 end record, which holds the real count.
            if (at < 20 || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at - 20)) != 0x07064B50)
            {
                return null;
            }

            var zip64Offset = BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(at - 12));
            if (zip64Offset > (ulong)(file.Length - 56))
            {
                return null;
            }

            var record = new byte[56];
            file.Position = (long)zip64Offset;
            await file.ReadExactlyAsync(record, cancellationToken);
            return BinaryPrimitives.ReadUInt32LittleEndian(record) == 0x06064B50
                ? BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32))
                : null;
        }

        return null;
    }
}
