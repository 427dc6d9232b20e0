namespace Granary.Silo.Staging;

/// <summary>Reads an uploaded zip or tar.gz safely: checks it, lists it, and optionally unpacks it.</summary>
internal static class PackageArchive
{
    /// <summary>
    /// Checks every entry against the safety rules and <paramref name="limits"/>, returning the listing.
    /// With a <paramref name="destination"/> (which must be missing or empty) the files are also written
    /// there; if the archive is refused part-way, the destination is removed again.
    /// Throws <see cref="ArchiveRejectedException"/> for anything unsafe, damaged or too large.
    /// </summary>
    public static async Task<ArchiveListing> ReadAsync(
        string archivePath, ArchiveLimits limits, string? destination, Func<string, bool> keepText, CancellationToken cancellationToken)
    {
        var kind = await ArchiveFormat.SniffFileAsync(archivePath, cancellationToken)
            ?? throw new ArchiveRejectedException(ArchiveFormat.Expected);
        return await ReadAsync(archivePath, kind, limits, destination, keepText, cancellationToken);
    }

    public static async Task<ArchiveListing> ReadAsync(
        string archivePath, ArchiveKind kind, ArchiveLimits limits, string? destination, Func<string, bool> keepText, CancellationToken cancellationToken)
    {
        if (destination is not null)
        {
            PrepareDestination(destination);
        }

        try
        {
            var walk = new ArchiveWalk(limits, destination, keepText);
            if (kind == ArchiveKind.Zip)
            {
                await ZipReader.ReadAsync(archivePath, walk, limits, cancellationToken);
            }
            else
            {
                await TarGzReader.ReadAsync(archivePath, walk, limits, cancellationToken);
            }

            return walk.Finish();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            RemoveQuietly(destination);
            throw new ArchiveRejectedException($"the {(kind == ArchiveKind.Zip ? "zip" : "tar.gz")} archive is damaged: {e.Message}");
        }
        catch
        {
            RemoveQuietly(destination);
            throw;
        }
    }

    // Unpacking over existing files could follow links left there by someone else; only a clean folder is safe.
    private static void PrepareDestination(string destination)
    {
        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new IOException($"cannot unpack into '{destination}': the folder is not empty");
        }

        Directory.CreateDirectory(destination);
    }

    private static void RemoveQuietly(string? destination)
    {
        if (destination is not null)
        {
            WorkFolder.DeleteQuietly(destination);
        }
    }
}
