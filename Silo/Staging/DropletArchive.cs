using System.Formats.Tar;
using System.IO.Compression;

namespace Granary.Silo.Staging;

/// <summary>Packs a staged app folder into a droplet (tar.gz) and unpacks droplets safely.</summary>
public static class DropletArchive
{
    /// <summary>
    /// Unpacks a droplet (tar.gz) into <paramref name="destinationDirectory"/>, which must be missing or empty.
    /// Applies the same rules as uploads (no entry or link leaving the folder, no devices), keeps exec bits.
    /// Throws <see cref="InvalidDataException"/> (message naming the entry) for a bad archive, after removing
    /// what it had written, and <see cref="IOException"/> when the destination is not empty.
    /// </summary>
    public static async Task ExtractAsync(string archivePath, string destinationDirectory, CancellationToken ct)
    {
        if (await ArchiveFormat.SniffFileAsync(archivePath, ct) != ArchiveKind.TarGz)
        {
            throw new InvalidDataException($"the droplet '{archivePath}' is not a tar.gz archive");
        }

        try
        {
            await PackageArchive.ReadAsync(archivePath, ArchiveKind.TarGz, ArchiveLimits.Droplet, destinationDirectory, static _ => false, ct);
        }
        catch (ArchiveRejectedException e)
        {
            throw new InvalidDataException($"the droplet '{archivePath}' cannot be unpacked: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes the contents of <paramref name="sourceDirectory"/> as a tar.gz, in ordinal name order so that a
    /// listing reads predictably. Links are stored as links, never followed. Fifos or devices a build left
    /// behind are written as such; staging then refuses the droplet when it checks it.
    /// </summary>
    internal static async Task PackAsync(string sourceDirectory, string archivePath, CancellationToken ct)
    {
        await using var file = new FileStream(archivePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false);
        await AddFolderAsync(tar, sourceDirectory, "", ct);
    }

    private static async Task AddFolderAsync(TarWriter tar, string folder, string prefix, CancellationToken ct)
    {
        var children = new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(info => info.Name, StringComparer.Ordinal);
        foreach (var child in children)
        {
            var name = prefix + child.Name;
            if (child.LinkTarget is not null)
            {
                await tar.WriteEntryAsync(child.FullName, name, ct);
            }
            else if (child is DirectoryInfo)
            {
                await tar.WriteEntryAsync(child.FullName, name + "/", ct);
                await AddFolderAsync(tar, child.FullName, name + "/", ct);
            }
            else
            {
                await tar.WriteEntryAsync(child.FullName, name, ct);
            }
        }
    }
}
