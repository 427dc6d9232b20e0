using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Granary.Silo.Staging;

/// <summary>
/// Uploaded app packages, stored by content as PackagesDirectory/&lt;sha256&gt;.&lt;zip|tgz&gt;. An upload is
/// checked completely before it is kept: safe to unpack, not empty, and startable by some framework rule,
/// so a push fails at once with a useful message rather than minutes later in a build. With a shared store (a
/// cluster's database) a kept package is stored there too, so a stager on another node can fetch it.
/// </summary>
public sealed partial class PackageStore(IOptions<StagingOptions> options, ILogger<PackageStore> logger, ISharedBlobStore? shared = null)
{
    private const string UnsafeTitle = "Package refused";

    /// <summary>
    /// Streams <paramref name="body"/> to disk while hashing, checks it, and stores it. Throws
    /// <see cref="PackageRejectedException"/> (413 too large, 422 not an archive, unsafe, empty or undetectable).
    /// </summary>
    public async Task<PackageInfo> SaveAsync(Stream body, string? command, CancellationToken ct)
    {
        var settings = options.Value;
        Directory.CreateDirectory(settings.PackagesDirectory);
        var upload = Path.Combine(settings.PackagesDirectory, $".upload-{Guid.NewGuid():N}.tmp");
        try
        {
            var (hash, size) = await ReceiveAsync(body, upload, settings.MaxPackageBytes, ct);
            var kind = await ArchiveFormat.SniffFileAsync(upload, ct)
                ?? throw new PackageRejectedException(422, "Not an archive",
                    $"{ArchiveFormat.Expected}; the upload starts with neither a zip nor a gzip signature");
            var listing = await CheckAsync(upload, kind, settings, ct);
            var detection = FrameworkDetector.Detect(listing.Files, command);
            if (detection.Error is { } error)
            {
                throw new PackageRejectedException(422, "No framework detected", error);
            }

            var stored = Path.Combine(settings.PackagesDirectory, $"{hash}.{ArchiveFormat.Extension(kind)}");
            // Same bytes, same name: replacing an existing copy is harmless and the rename is atomic.
            File.Move(upload, stored, overwrite: true);
            if (shared is not null)
                await shared.PutAsync(BlobKind.Package, hash, stored, ArchiveFormat.Extension(kind), ct);
            LogStored(hash, size, listing.RegularFileCount, detection.Detected!.Framework);
            return new PackageInfo(hash, size, listing.RegularFileCount, detection.Detected.Framework);
        }
        finally
        {
            File.Delete(upload);
        }
    }

    /// <summary>The stored archive of a package, or null when the id is malformed or unknown.</summary>
    public string? FindPath(string packageId)
    {
        if (!ContentHash.IsValid(packageId))
        {
            return null;
        }

        return new[] { ArchiveKind.Zip, ArchiveKind.TarGz }
            .Select(kind => Path.Combine(options.Value.PackagesDirectory, $"{packageId}.{ArchiveFormat.Extension(kind)}"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The stored archive of a package: this node's copy, else one fetched (verified by hash) from the shared
    /// store. Null when the id is malformed or the package is unknown.
    /// </summary>
    public async Task<string?> FindPathAsync(string packageId, CancellationToken ct)
    {
        if (FindPath(packageId) is { } local)
            return local;
        if (shared is null || !ContentHash.IsValid(packageId) || await shared.FindAsync(BlobKind.Package, packageId, ct) is not { Extension: { } extension })
            return null;

        var folder = options.Value.PackagesDirectory;
        Directory.CreateDirectory(folder);
        var download = Path.Combine(folder, $".fetch-{Guid.NewGuid():N}.tmp");
        if (!await shared.TryFetchAsync(BlobKind.Package, packageId, download, ct))
            return null;
        var stored = Path.Combine(folder, $"{packageId}.{extension}");
        File.Move(download, stored, overwrite: true);
        return stored;
    }

    private static async Task<(string Hash, long Size)> ReceiveAsync(Stream body, string path, long maxBytes, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
        var (hash, size, tooLarge) = await ContentHash.CopyAsync(body, file, maxBytes, ct);
        if (tooLarge)
        {
            throw new PackageRejectedException(413, "Upload too large",
                $"the upload is larger than the limit of {Bytes.Describe(maxBytes)}; leave build outputs and dependencies (node_modules, bin, obj) out of it");
        }

        if (size == 0)
        {
            throw new PackageRejectedException(422, "Not an archive", $"{ArchiveFormat.Expected}; the upload was empty");
        }

        return (hash, size);
    }

    private static async Task<ArchiveListing> CheckAsync(string path, ArchiveKind kind, StagingOptions settings, CancellationToken ct)
    {
        ArchiveListing listing;
        try
        {
            listing = await PackageArchive.ReadAsync(path, kind, ArchiveLimits.From(settings), null, FrameworkDetector.ReadsText, ct);
        }
        catch (ArchiveRejectedException e) when (e.TooLarge)
        {
            throw new PackageRejectedException(413, "Package too large", e.Message);
        }
        catch (ArchiveRejectedException e)
        {
            throw new PackageRejectedException(422, UnsafeTitle, e.Message);
        }

        if (listing.RegularFileCount == 0)
        {
            throw new PackageRejectedException(422, "Empty package", "the upload holds no files: push a folder with your app in it");
        }

        return listing;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored package {PackageId}: {SizeBytes} bytes, {FileCount} files, framework {Framework}")]
    private partial void LogStored(string packageId, long sizeBytes, int fileCount, string framework);
}
