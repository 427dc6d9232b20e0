namespace Granary.Silo.Staging;

/// <summary>Where staging keeps its files and how much it accepts. Bound from "Granary:Staging".</summary>
public sealed class StagingOptions
{
    /// <summary>Uploaded packages, named by SHA-256.</summary>
    public string PackagesDirectory { get; set; } = "";

    /// <summary>Finished droplets, named by SHA-256.</summary>
    public string DropletsDirectory { get; set; } = "";

    /// <summary>Scratch space for builds; each build gets its own folder, removed afterwards.</summary>
    public string WorkDirectory { get; set; } = "";

    /// <summary>Largest upload accepted, compressed.</summary>
    public long MaxPackageBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest total size of the files inside an upload (guards against archive bombs).</summary>
    public long MaxUnpackedBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Most entries an upload may hold.</summary>
    public int MaxEntries { get; set; } = 100_000;

    /// <summary>How long one build may run before it is stopped and fails.</summary>
    public TimeSpan BuildTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
