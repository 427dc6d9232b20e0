namespace Granary.Silo.Staging;

/// <summary>What a shared blob is: the stores keep droplets and packages apart.</summary>
public enum BlobKind
{
    Droplet = 1,
    Package = 2,
}

/// <summary>A stored blob's size and, for packages, its archive format ("zip" or "tgz").</summary>
public sealed record SharedBlob(long SizeBytes, string? Extension);

/// <summary>
/// Content-addressed files every node can fetch (PostgreSQL when the cluster has a database). Each node keeps
/// its own disk copy as a cache; this is where a node finds what another node stored.
/// </summary>
public interface ISharedBlobStore
{
    /// <summary>Stores the file under its SHA-256 unless already stored; the file must hash to <paramref name="hash"/>.</summary>
    Task PutAsync(BlobKind kind, string hash, string path, string? extension, CancellationToken ct);

    /// <summary>The blob's size and extension, or null if it is not stored.</summary>
    Task<SharedBlob?> FindAsync(BlobKind kind, string hash, CancellationToken ct);

    /// <summary>
    /// Writes the blob to <paramref name="targetPath"/>, verifying its hash and size on the way. False if it is not
    /// stored; InvalidDataException (and no file) if the stored bytes do not match their hash.
    /// </summary>
    Task<bool> TryFetchAsync(BlobKind kind, string hash, string targetPath, CancellationToken ct);
}
