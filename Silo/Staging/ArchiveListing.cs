namespace Granary.Silo.Staging;

/// <summary>What a checked archive holds: its files for framework detection, and how many there are.</summary>
internal sealed record ArchiveListing(AppFiles Files, int RegularFileCount, long UnpackedBytes);
