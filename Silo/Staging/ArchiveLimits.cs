namespace Granary.Silo.Staging;

/// <summary>How much an archive may hold once unpacked.</summary>
internal sealed record ArchiveLimits(int MaxEntries, long MaxUnpackedBytes)
{
    /// <summary>
    /// Droplets are built by staging and verified by hash, so no size limit applies; the path and link
    /// rules still do, because their files came from a user.
    /// </summary>
    public static readonly ArchiveLimits Droplet = new(int.MaxValue, long.MaxValue);

    public static ArchiveLimits From(StagingOptions options) => new(options.MaxEntries, options.MaxUnpackedBytes);
}
