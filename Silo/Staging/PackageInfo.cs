namespace Granary.Silo.Staging;

/// <summary>A stored upload: its SHA-256 (the id), compressed size, regular file count and detected framework.</summary>
public sealed record PackageInfo(string PackageId, long SizeBytes, int FileCount, string? Framework);
